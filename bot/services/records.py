"""The rows services hand to the handlers for display, named where handlers may import them.

Handlers read these; they never change them or load anything through them (the services
return them with what the handlers show already loaded).
"""

from storage.models import Event, Program, StaffMember
from storage.staff_events import EventFigures, Progress

__all__ = ["Event", "EventFigures", "Program", "Progress", "StaffMember"]

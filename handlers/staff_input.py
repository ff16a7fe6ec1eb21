"""Typed text from a staff member that answers an open question of a staff flow.

A flow stores its state in ``staff_dialog`` as ``"<prefix>:<step>"``; the text goes to
the handler registered for the prefix. Residents never have such a row, so for them
this costs one primary-key lookup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from handlers import event_edit, new_event
from handlers.common import Reply
from handlers.staff import is_staff
from storage import staff as staff_storage

# (reply, step after the prefix, the flow's data, the text) -> None
InputHandler = Callable[[Reply, str, dict[str, Any], str], Awaitable[None]]

ROUTES: dict[str, InputHandler] = {
    new_event.PREFIX: new_event.on_text,
    event_edit.PREFIX: event_edit.on_text,
}


async def handle(reply: Reply, text: str) -> bool:
    """Give the text to the staff flow waiting for it; False when none is waiting."""
    async with reply.deps.db.session() as session:
        found = await staff_storage.open_input(session, reply.user.id)
    if found is None:
        return False
    state, data = found
    prefix, _, step = state.partition(":")
    handler = ROUTES.get(prefix)
    if handler is None or not await is_staff(reply):
        # A flow of an older version, or staff rights taken away meanwhile.
        async with reply.deps.db.transaction() as session:
            await staff_storage.clear_input(session, reply.user.id)
        return False
    await handler(reply, step, data, text)
    return True

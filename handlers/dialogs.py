"""Typed text: the answer to the question asked last, whichever flow asked it.

Registered in ``bot/app.py`` for all text that is not a command. A staff flow's question
comes first (unless a sign-up question was asked after it), then the resident's sign-up,
and text that answers nothing gets the help.
"""

from __future__ import annotations

from bot.services import dialogs, signup
from bot.services.dialogs import (
    AddVisitor,
    Edit,
    EditProgram,
    Flow,
    NewEvent,
    NewProgram,
    Unknown,
)
from handlers import (
    event_edit,
    feedback,
    keyboards,
    nearby,
    nearby_views,
    new_event,
    phone_registrants,
    programs,
    render,
)
from handlers import signup as signup_handlers
from handlers.access import Access, refusal
from handlers.common import Reply


async def on_text(reply: Reply) -> None:
    message = reply.update.effective_message
    assert message is not None and message.text is not None
    text = message.text
    if nearby_views.is_cancel(reply.deps.catalogs, text):  # «✖️ Cancel» of «📍 Near me»
        await nearby.on_cancel(reply)
        return
    staff_input = await reply.read(dialogs.input_for_text, reply.user.id)
    if staff_input is not None and reply.is_staff:
        # Asked before an administrator gave them a branch: the answer is checked as a
        # button of the same event or programme would be.
        if isinstance(staff_input, Edit | AddVisitor):
            await reply.check_branch(staff_input.event_id)
        elif staff_input.flow in (Flow.NEW_PROGRAM, Flow.EDIT_PROGRAM) and reply.branch is not None:
            await reply.refuse(refusal(reply.tr, Access.LIBRARY))
            return
        match staff_input:
            case NewEvent():
                await new_event.on_text(reply, staff_input, text)
                return
            case Edit():
                await event_edit.on_text(reply, staff_input, text)
                return
            case NewProgram():
                await programs.on_new_text(reply, staff_input, text)
                return
            case EditProgram():
                await programs.on_edit_text(reply, staff_input, text)
                return
            case Unknown(flow=Flow.NEW_PROGRAM):
                await programs.restart(reply)
                return
            case Unknown(flow=Flow.EDIT_PROGRAM):
                await programs.on_edit_unreadable(reply)
                return
            case Unknown(flow=Flow.NEW_EVENT):  # a state this version does not know
                await new_event.restart(reply)
                return
            case Unknown(flow=Flow.EDIT):
                await event_edit.on_unreadable(reply)
                return
            case AddVisitor():
                await phone_registrants.on_text(reply, staff_input, text)
                return
            case Unknown(flow=Flow.VISITOR):
                await phone_registrants.on_unreadable(reply)
                return
    if staff_input is not None:
        # A flow of an older version, or staff rights taken away meanwhile.
        await reply.write(dialogs.close_staff, reply.user.id)
    if not reply.visitor.in_dialog:
        # No sign-up or feedback question is open (the look-up of the person said so): no
        # write lock for text out of the blue, which under a flood of junk would queue
        # every other writer behind it.
        await reply.send(render.help_text(reply.tr), keyboards.main_menu(reply.tr))
        return
    found = await reply.read(signup.current, reply.user.id)
    if found is not None:
        await signup_handlers.on_text(reply, found.step, text)
    elif not await feedback.on_comment(reply, text):
        await reply.send(render.help_text(reply.tr), keyboards.main_menu(reply.tr))

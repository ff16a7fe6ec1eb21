"""Residents who phone (staff only): «➕» writes one down for an event (name, category,
optional phone: an ``AddVisitor`` question kept in the database), «📞» lists whom to call,
and a person there can be marked as told, have their registration cancelled, or their
data deleted."""

from __future__ import annotations

from bot.domain.errors import InvalidInputError
from bot.domain.signup import Step
from bot.services import dialogs, phone_registrants, registration
from bot.services.dialogs import AddVisitor, NewProgram
from bot.services.phone_registrants import Unavailable, Written
from handlers import callbacks, keyboards, program_views, render
from handlers import event_form_views as form_views
from handlers import phone_registrants_views as views
from handlers.common import Reply

TEXT_MAX = 300


@callbacks.ADD_VISITOR.handles
async def on_add(reply: Reply, event_id: int) -> None:
    d = reply.deps
    question = await reply.write(
        phone_registrants.start, telegram_id=reply.user.id, event_id=event_id, now=d.now()
    )
    if question is None:
        found = await reply.read(dialogs.staff_input, reply.user.id)
        if isinstance(found, NewProgram):
            await reply.refuse(program_views.finish_first(reply.tr))
        else:
            await reply.refuse(form_views.finish_new_event_first(reply.tr))
        return
    await _ask(reply, question)


async def on_text(reply: Reply, question: AddVisitor, text: str) -> None:
    """Typed text while a visitor is being written down (routed by handlers/dialogs.py)."""
    text = text[:TEXT_MAX]
    if question.step == Step.CATEGORY:
        await _ask(reply, question, views.press_a_button(reply.tr))
        return
    value: str | None = text
    if question.step == Step.PHONE and keyboards.is_skip(reply.deps.catalogs, text):
        value = None
    await _answer(reply, question.event_id, question.step, value, question)


async def on_unreadable(reply: Reply) -> None:
    """Typed text for a question this version cannot read (an older version asked it)."""
    await reply.write(dialogs.close_staff, reply.user.id)
    await reply.send(render.not_available(reply.tr))


@callbacks.VISITOR_CATEGORY.handles
async def on_category(reply: Reply, event_id: int, category: str) -> None:
    await reply.clear_buttons()
    await _answer(reply, event_id, Step.CATEGORY, category)


@callbacks.VISITOR_NO_PHONE.handles
async def on_no_phone(reply: Reply, event_id: int) -> None:
    await reply.clear_buttons()
    await _answer(reply, event_id, Step.PHONE, None)


@callbacks.VISITOR_STOP.handles
async def on_stop(reply: Reply, event_id: int) -> None:
    if not await reply.write(phone_registrants.stop, reply.user.id, event_id):
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await reply.send(views.stopped(reply.tr), form_views.card_keyboard(reply.tr, event_id))


async def _answer(
    reply: Reply, event_id: int, step: Step, value: str | None, question: AddVisitor | None = None
) -> None:
    d = reply.deps
    try:
        result = await reply.write(
            phone_registrants.answer,
            telegram_id=reply.user.id,
            event_id=event_id,
            step=step,
            value=value,
            categories=[c.key for c in d.config.categories],
            default_reminders=d.config.reminders.before,
            now=d.now(),
        )
    except InvalidInputError as error:
        if question is None:
            raise
        await _ask(reply, question, views.invalid(reply.tr, error.problem))
        return
    if isinstance(result, AddVisitor):
        await _ask(reply, result)
    elif isinstance(result, Written):
        await reply.send(
            views.written(reply.tr, result.name, result.outcome, known=result.known),
            views.written_keyboard(reply.tr, event_id),
        )
    elif isinstance(result, Unavailable):
        await reply.send(
            render.error(reply.tr, result.error), form_views.card_keyboard(reply.tr, event_id)
        )


async def _ask(reply: Reply, question: AddVisitor, note: str = "") -> None:
    config, tr = reply.deps.config, reply.tr
    event = await reply.read(registration.visible_event, question.event_id)
    text = views.question(config, tr, event, question.step, question.name)
    await reply.send(
        f"{note}\n\n{text}" if note else text,
        views.question_keyboard(config, tr, question.event_id, question.step),
    )


@callbacks.CALL_LIST.handles
async def show_call_list(reply: Reply, event_id: int) -> None:
    found = await reply.read(phone_registrants.call_list, event_id=event_id)
    await reply.show(
        views.call_list(reply.deps.config, reply.tr, found),
        views.call_list_keyboard(reply.tr, found, now=reply.deps.now()),
    )


@callbacks.CALLER.handles
async def show_caller(reply: Reply, event_id: int, person_id: int) -> None:
    event, found = await reply.read(
        phone_registrants.caller, event_id=event_id, person_id=person_id
    )
    await reply.show(
        views.caller(reply.deps.config, reply.tr, event, found),
        views.caller_keyboard(reply.tr, event_id, found),
    )


@callbacks.CALLER_TOLD.handles
async def on_told(reply: Reply, event_id: int, person_id: int) -> None:
    changed = await reply.write(
        phone_registrants.told, event_id=event_id, person_id=person_id, now=reply.deps.now()
    )
    await reply.ack(views.told(reply.tr, changed))
    await show_call_list(reply, event_id)


@callbacks.CALLER_ASK_CANCEL.handles
async def on_ask_cancel(reply: Reply, event_id: int, person_id: int) -> None:
    event, found = await reply.read(
        phone_registrants.caller, event_id=event_id, person_id=person_id
    )
    await reply.show(
        views.cancel_question(reply.tr, event, found),
        views.confirm_keyboard(reply.tr, event_id, person_id, forget=False),
    )


@callbacks.CALLER_CANCEL.handles
async def on_cancel(reply: Reply, event_id: int, person_id: int) -> None:
    d = reply.deps
    result = await reply.write(
        phone_registrants.cancel_registration,
        event_id=event_id,
        person_id=person_id,
        default_reminders=d.config.reminders.before,
        now=d.now(),
    )
    await reply.ack(views.cancelled(reply.tr, result))
    await show_call_list(reply, event_id)


@callbacks.CALLER_ASK_FORGET.handles
async def on_ask_forget(reply: Reply, event_id: int, person_id: int) -> None:
    _, found = await reply.read(phone_registrants.caller, event_id=event_id, person_id=person_id)
    await reply.show(
        views.forget_question(reply.tr, found),
        views.confirm_keyboard(reply.tr, event_id, person_id, forget=True),
    )


@callbacks.CALLER_FORGET.handles
async def on_forget(reply: Reply, event_id: int, person_id: int) -> None:
    d = reply.deps
    await reply.write(
        phone_registrants.forget,
        event_id=event_id,
        person_id=person_id,
        default_reminders=d.config.reminders.before,
        now=d.now(),
    )
    await reply.ack(views.forgotten(reply.tr))
    await show_call_list(reply, event_id)

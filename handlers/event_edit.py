"""Editing one field of an event (staff only): ``sed:{id}`` lists the fields, a field asks
for its new value (state ``"ed:<field>"`` in ``staff_dialog``), the answer is checked by the
same parsers as /newevent and applied by ``event_admin.update_event``, which tells
registrants of a new time or place through the outbox."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain import event_form
from bot.domain.errors import DomainError, EventNotFoundError, InvalidInputError
from bot.domain.event_form import FormError
from bot.domain.status import EventStatus
from bot.i18n import Translator
from bot.services import event_admin
from bot.services.event_admin import Changes, EventCancelledError
from handlers import event_form_views as views
from handlers import new_event, render
from handlers.common import Reply, today
from handlers.staff import staff_reply
from storage import staff as staff_storage
from storage.models import Event

PREFIX = "ed"


async def on_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``sed:{id}``: the fields to change, as buttons."""
    if (reply := await staff_reply(update, context)) is None:
        return
    assert context.match is not None
    event = await _editable(reply, int(context.match.group(1)))
    if event is None:
        return
    await reply.show(
        views.edit_menu(reply.deps.config, reply.tr, event),
        views.edit_menu_keyboard(reply.tr, event.id),
    )


async def on_field(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A field was chosen: ask for its new value."""
    if (reply := await staff_reply(update, context)) is None:
        return
    assert context.match is not None
    event_id, field = int(context.match.group(1)), context.match.group(2)
    if field not in views.EDITABLE:
        await reply.refuse(render.not_available(reply.tr))
        return
    event = await _editable(reply, event_id)
    if event is None:
        return
    d = reply.deps
    data: dict[str, Any] = {"event": event_id}
    async with d.db.transaction() as session:
        # One open question per person: a half-filled /newevent is not thrown away silently.
        found = await staff_storage.get_input(session, reply.user.id)
        creating = found is not None and found[0].startswith(new_event.PREFIX + ":")
        if not creating:
            if field == "prog":
                data["programs"] = await event_admin.recent_programs(session)
            await staff_storage.put_input(
                session, reply.user.id, f"{PREFIX}:{field}", data, now=d.now()
            )
    if creating:
        await reply.refuse(views.finish_new_event_first(reply.tr))
        return
    await reply.clear_buttons()
    await _ask(reply, event, field, data)


async def on_text(reply: Reply, field: str, data: dict[str, Any], text: str) -> None:
    """The typed new value (routed here by handlers/staff_input.py)."""
    event_id = data.get("event")
    if field not in views.EDITABLE or not isinstance(event_id, int):
        await _clear(reply)
        await reply.send(render.not_available(reply.tr))
        return
    try:
        value = _parse(reply, field, text)
    except FormError as error:
        await _ask_again(
            reply, event_id, field, data, views.problem(reply.tr, error, today=today(reply.deps))
        )
        return
    await _apply(reply, event_id, field, data, value)


async def on_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button under the question: «No limit», «Clear», a project, a kind, a duration..."""
    if (reply := await staff_reply(update, context)) is None:
        return
    assert context.match is not None
    event_id, field, choice = (
        int(context.match.group(1)),
        context.match.group(2),
        context.match.group(3),
    )
    async with reply.deps.db.session() as session:
        found = await staff_storage.get_input(session, reply.user.id)
    if found is None or found[0] != f"{PREFIX}:{field}" or found[1].get("event") != event_id:
        await reply.refuse(render.not_available(reply.tr))  # an older question's button
        return
    data = found[1]
    value = views.chosen(reply.deps.config, field, choice, data.get("programs", []))
    if value is views.INVALID:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await _apply(reply, event_id, field, data, value)


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    assert context.match is not None
    event_id = int(context.match.group(1))
    async with reply.deps.db.transaction() as session:
        found = await staff_storage.get_input(session, reply.user.id)
        mine = found is not None and found[0].startswith(PREFIX + ":")
        if mine and found is not None and found[1].get("event") == event_id:
            await staff_storage.clear_input(session, reply.user.id)
        else:
            mine = False
    if not mine:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await reply.send(views.edit_cancelled(reply.tr), views.card_keyboard(reply.tr, event_id))


def _parse(reply: Reply, field: str, text: str) -> Any:
    """The value of a typed answer; raises FormError."""
    if field in event_form.TEXT_FIELDS:
        return event_form.parse_text(text, field)
    if field == "kind":
        return event_form.parse_kind(text, reply.deps.kinds())
    if field == "date":
        return event_form.parse_date(text, today=today(reply.deps))
    if field == "time":
        return event_form.parse_time(text)
    if field == "dur":
        return int(event_form.parse_duration(text).total_seconds() // 60)
    if field == "cap":
        return event_form.parse_capacity(text)
    assert field == "rem"
    return event_form.parse_reminders(text)


def _changes(reply: Reply, event: Event, field: str, value: Any) -> Changes:
    """What one answer changes; a new day keeps the time of day and the other way round."""
    tz, now = reply.deps.config.library.timezone, reply.deps.now()
    local = event.starts_at.astimezone(tz)
    if field == "date":
        assert isinstance(value, date)
        return Changes(starts_at=event_form.local_start(value, local.time(), tz, now=now))
    if field == "time":
        assert isinstance(value, time)
        return Changes(starts_at=event_form.local_start(local.date(), value, tz, now=now))
    if field == "dur":
        return Changes(duration=timedelta(minutes=value))
    if field == "cap":
        return Changes(unlimited=True) if value is None else Changes(capacity=value)
    if field == "rem":
        return Changes(reminders="default" if value is None else value)
    names = {
        "title": "title",
        "kind": "kind",
        "place": "place",
        "aud": "audience",
        "prog": "program",
        "desc": "description",
    }
    return Changes(**{names[field]: value})


async def _apply(reply: Reply, event_id: int, field: str, data: dict[str, Any], value: Any) -> None:
    d = reply.deps
    config, tr = d.config, reply.tr
    try:
        async with d.db.transaction() as session:
            event = await event_admin.get_event(session, event_id, lock=True)
            old = views.field_value(config, tr, event, field)
            taken = event.seats_taken
            result = await event_admin.update_event(
                session,
                event_id,
                _changes(reply, event, field, value),
                default_reminders=config.reminders.before,
                now=d.now(),
            )
            new = views.field_value(config, tr, result.event, field)
            await staff_storage.clear_input(session, reply.user.id)
    except FormError as error:
        note = views.problem(tr, error, today=today(reply.deps))
        await _ask_again(reply, event_id, field, data, note)
        return
    except InvalidInputError as error:
        if error.problem != "capacity_below_taken":
            raise
        await _ask_again(reply, event_id, field, data, views.capacity_below_taken(tr, taken))
        return
    except (EventCancelledError, EventNotFoundError) as error:
        await _clear(reply)
        await reply.send(_refusal(tr, error))
        return
    d.poke()
    await reply.send(
        views.edited(tr, field, old, new, notified=result.notified, promoted=len(result.promoted)),
        views.card_keyboard(tr, event_id),
    )


async def _ask(
    reply: Reply, event: Event, field: str, data: dict[str, Any], note: str = ""
) -> None:
    config, tr = reply.deps.config, reply.tr
    prefix = f"⚠️ {note}\n\n" if note else ""
    await reply.send(
        prefix + views.edit_question(config, tr, event, field),
        views.edit_keyboard(config, tr, event.id, field, data.get("programs", [])),
    )


async def _ask_again(
    reply: Reply, event_id: int, field: str, data: dict[str, Any], note: str
) -> None:
    event = await _editable(reply, event_id)
    if event is None:
        await _clear(reply)
        return
    await _ask(reply, event, field, data, note)


async def _editable(reply: Reply, event_id: int) -> Event | None:
    """The event, or None after telling why it cannot be edited."""
    try:
        async with reply.deps.db.session() as session:
            event = await event_admin.get_event(session, event_id)
    except EventNotFoundError as error:
        await reply.refuse(_refusal(reply.tr, error))
        return None
    if event.status == EventStatus.CANCELLED:
        await reply.refuse(views.cannot_edit_cancelled(reply.tr))
        return None
    return event


def _refusal(tr: Translator, error: DomainError) -> str:
    if isinstance(error, EventCancelledError):
        return views.cannot_edit_cancelled(tr)
    return render.error(tr, error)


async def _clear(reply: Reply) -> None:
    async with reply.deps.db.transaction() as session:
        await staff_storage.clear_input(session, reply.user.id)

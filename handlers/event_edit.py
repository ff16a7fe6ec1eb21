"""Editing one field of an event (staff only): ``sed:{id}`` lists the fields, a field asks
for its new value (the staff member's open question, flow ``ed``), the answer is checked by
the same parsers as /newevent and applied by ``event_admin.update_event``, which tells
registrants of a new time or place through the outbox."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from bot.domain import event_form
from bot.domain.errors import DomainError, EventNotFoundError, InvalidInputError
from bot.domain.event_form import FormError
from bot.domain.status import EventStatus
from bot.i18n import Translator
from bot.services import dialogs, event_admin, event_forms
from bot.services.dialogs import Flow
from bot.services.event_admin import Changes, EventCancelledError
from bot.services.records import Event
from handlers import callbacks, render
from handlers import event_form_views as views
from handlers.common import Reply, today


@callbacks.EDIT_EVENT.handles
async def on_menu(reply: Reply, event_id: int) -> None:
    """``sed:{id}``: the fields to change, as buttons."""
    event = await _editable(reply, event_id)
    if event is None:
        return
    await reply.show(
        views.edit_menu(reply.deps.config, reply.tr, event),
        views.edit_menu_keyboard(reply.tr, event.id),
    )


@callbacks.EDIT_FIELD.handles
async def on_field(reply: Reply, event_id: int, field: str) -> None:
    """A field was chosen: ask for its new value."""
    if field not in views.EDITABLE:
        await reply.refuse(render.not_available(reply.tr))
        return
    event = await _editable(reply, event_id)
    if event is None:
        return
    data = await reply.write(
        event_forms.start_edit, reply.user.id, event_id, field, now=reply.deps.now()
    )
    if data is None:
        await reply.refuse(views.finish_new_event_first(reply.tr))
        return
    await reply.clear_buttons()
    await _ask(reply, event, field, data)


async def on_text(reply: Reply, field: str, data: dict[str, Any], text: str) -> None:
    """The typed new value (routed here by handlers/dialogs.py)."""
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


@callbacks.EDIT_CHOICE.handles
async def on_choice(reply: Reply, event_id: int, field: str, choice: str) -> None:
    """A button under the question: «No limit», «Clear», a project, a kind, a duration..."""
    found = await reply.read(dialogs.staff_input, reply.user.id)
    if (
        found is None
        or found.flow != Flow.EDIT
        or found.step != field
        or found.data.get("event") != event_id
    ):
        await reply.refuse(render.not_available(reply.tr))  # an older question's button
        return
    data = found.data
    value = views.chosen(reply.deps.config, field, choice, data.get(event_forms.PROGRAMS, []))
    if value is views.INVALID:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await _apply(reply, event_id, field, data, value)


@callbacks.EDIT_CANCEL.handles
async def on_cancel(reply: Reply, event_id: int) -> None:
    if not await reply.write(event_forms.close_edit, reply.user.id, event_id):
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
        old, result = await reply.write(
            event_forms.apply_edit,
            reply.user.id,
            event_id,
            lambda event: _changes(reply, event, field, value),
            default_reminders=config.reminders.before,
            now=d.now(),
        )
    except FormError as error:
        note = views.problem(tr, error, today=today(reply.deps))
        await _ask_again(reply, event_id, field, data, note)
        return
    except InvalidInputError as error:
        if error.problem != "capacity_below_taken":
            raise
        taken = (await reply.read(event_admin.get_event, event_id)).seats_taken
        await _ask_again(reply, event_id, field, data, views.capacity_below_taken(tr, taken))
        return
    except (EventCancelledError, EventNotFoundError) as error:
        await _clear(reply)
        await reply.send(_refusal(tr, error))
        return
    d.poke()
    await reply.send(
        views.edited(
            tr,
            field,
            views.field_value(config, tr, old, field),
            views.field_value(config, tr, result.event, field),
            notified=result.notified,
            promoted=len(result.promoted),
        ),
        views.card_keyboard(tr, event_id),
    )


async def _ask(
    reply: Reply, event: Event, field: str, data: dict[str, Any], note: str = ""
) -> None:
    config, tr = reply.deps.config, reply.tr
    prefix = f"⚠️ {note}\n\n" if note else ""
    await reply.send(
        prefix + views.edit_question(config, tr, event, field),
        views.edit_keyboard(config, tr, event.id, field, data.get(event_forms.PROGRAMS, [])),
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
        event = await reply.read(event_admin.get_event, event_id)
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
    await reply.write(dialogs.close_staff, reply.user.id)

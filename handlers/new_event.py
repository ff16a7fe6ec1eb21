"""``/newevent`` (staff only): one question at a time, a preview, then publish or keep a draft.

The answers so far live in the staff member's open question (flow ``ne``), so a restart of
the bot, or a second process, goes on from the same question.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain import event_form
from bot.domain.errors import InvalidInputError
from bot.domain.event_form import DONE, FormError
from bot.services import dialogs, event_forms
from bot.services.dialogs import Flow
from handlers import callbacks, keyboards, render
from handlers import event_form_views as views
from handlers.cards import deep_link
from handlers.common import Reply, today


async def cmd_newevent(reply: Reply) -> None:
    """Start a new event, or go on with the one left half-filled."""
    found = await reply.read(dialogs.staff_input, reply.user.id)
    if found is not None and found.flow == Flow.NEW_EVENT:
        await reply.send(views.resumed(reply.tr))
        await _ask(reply, found.step, found.data)
        return
    await reply.send(views.started(reply.tr))
    await _go_to(reply, "title", {})


async def on_text(reply: Reply, step: str, data: dict[str, Any], text: str) -> None:
    """A typed answer to the open question (routed here by handlers/dialogs.py)."""
    if step == DONE:
        await _ask(reply, step, data, note=views.press_a_button(reply.tr))
        return
    if step not in event_form.STEPS:
        await _go_to(reply, "title", {})  # a state this version does not know
        return
    try:
        value = _parse(reply, step, data, text)
    except FormError as error:
        note = views.problem(reply.tr, error, today=today(reply.deps))
        await _ask(reply, step, data, note=note)
        return
    await _answered(reply, step, data, value)


@callbacks.NEW_EVENT_CHOICE.handles
async def on_choice(reply: Reply, step: str, choice: str) -> None:
    """A button under a question: a kind, a duration, «No limit», «Skip», Publish..."""
    found = await reply.read(dialogs.staff_input, reply.user.id)
    if found is None or found.flow != Flow.NEW_EVENT or found.step != step:
        await reply.refuse(render.not_available(reply.tr))  # an older question's button
        return
    data = found.data
    if step == DONE:
        if choice in ("publish", "draft"):
            await _create(reply, publish=choice == "publish")
        else:
            await reply.refuse(render.not_available(reply.tr))
        return
    value = views.chosen(reply.deps.config, step, choice, data.get(event_forms.PROGRAMS, []))
    if value is views.INVALID:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await _answered(reply, step, data, value)


@callbacks.NEW_EVENT_CANCEL.handles
async def on_cancel_button(reply: Reply) -> None:
    if not await reply.write(event_forms.discard, reply.user.id, Flow.NEW_EVENT):
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await reply.send(views.discarded(reply.tr))


async def cmd_cancel(reply: Reply) -> None:
    """``/cancel``: abandon the open staff question (a new event or an edit).

    Residents have nothing to cancel this way: they get the help, as for any command
    they do not have.
    """
    if not reply.is_staff:
        await reply.send(render.help_text(reply.tr), keyboards.main_menu(reply.tr))
        return
    found = await reply.write(dialogs.close_staff, reply.user.id)
    if found is None:
        await reply.send(views.nothing_to_cancel(reply.tr))
    elif found.flow == Flow.NEW_EVENT:
        await reply.send(views.discarded(reply.tr))
    else:
        await reply.send(views.edit_cancelled(reply.tr))


def _parse(reply: Reply, step: str, data: dict[str, Any], text: str) -> Any:
    """The value of a typed answer; raises FormError."""
    d = reply.deps
    if step in event_form.TEXT_FIELDS:
        return event_form.parse_text(text, step)
    if step == "kind":
        return event_form.parse_kind(text, d.kinds())
    if step == "date":
        return event_form.parse_date(text, today=today(reply.deps)).isoformat()
    if step == "time":
        at = event_form.parse_time(text)
        event_form.local_start(
            date.fromisoformat(data["date"]), at, d.config.library.timezone, now=d.now()
        )
        return at.strftime("%H:%M")
    if step == "dur":
        return int(event_form.parse_duration(text).total_seconds() // 60)
    if step == "cap":
        return event_form.parse_capacity(text)
    assert step == "rem"
    return event_form.parse_reminders(text)


async def _answered(reply: Reply, step: str, data: dict[str, Any], value: Any) -> None:
    data = {**data, step: value}
    data.pop(event_forms.PROGRAMS, None)
    following = event_form.next_step(step)
    while following != DONE and following in data:  # answered before the day was asked again
        following = event_form.next_step(following)
    await _go_to(reply, following, data)


async def _go_to(reply: Reply, step: str, data: dict[str, Any]) -> None:
    """Store where the flow is, then ask."""
    data = await reply.write(
        event_forms.ask, reply.user.id, Flow.NEW_EVENT, step, data, now=reply.deps.now()
    )
    await _ask(reply, step, data)


async def _ask(reply: Reply, step: str, data: dict[str, Any], *, note: str = "") -> None:
    config, tr = reply.deps.config, reply.tr
    prefix = f"⚠️ {note}\n\n" if note else ""
    if step == DONE:
        draft = event_form.draft(data, config.library.timezone)
        await reply.send(prefix + views.preview(config, tr, draft), views.preview_keyboard(tr))
        return
    await reply.send(
        prefix + views.new_event_question(tr, config, step),
        views.new_event_keyboard(config, tr, step, data.get(event_forms.PROGRAMS, [])),
    )


async def _create(reply: Reply, *, publish: bool) -> None:
    d = reply.deps
    try:
        # The answers are taken and the event stored together: a second tap finds nothing.
        event = await reply.write(
            event_forms.create,
            reply.user.id,
            publish=publish,
            tz=d.config.library.timezone,
            now=d.now(),
        )
    except InvalidInputError:
        # The start passed while the preview waited: ask for the day again.
        await reply.clear_buttons()
        note = views.problem(reply.tr, FormError("start_passed"), today=today(reply.deps))
        found = await reply.read(dialogs.staff_input, reply.user.id)
        answers = found.data if found is not None else {}
        data = {k: v for k, v in answers.items() if k not in ("date", "time")}
        data = await reply.write(
            event_forms.ask, reply.user.id, Flow.NEW_EVENT, "date", data, now=d.now()
        )
        await _ask(reply, "date", data, note=note)
        return
    if event is None:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await reply.send(
        views.created(reply.tr, event, deep_link(reply.context, event.id)),
        views.card_keyboard(reply.tr, event.id),
    )

"""``/newevent`` (staff only): one question at a time, a preview, then publish or keep a draft.

The answers so far live in ``staff_dialog`` (state ``"ne:<step>"``), so a restart of the
bot, or a second process, goes on from the same question.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain import event_form
from bot.domain.errors import InvalidInputError
from bot.domain.event_form import DONE, FormError
from bot.services import event_admin
from handlers import event_form_views as views
from handlers import keyboards, render
from handlers.cards import deep_link
from handlers.common import Reply, reply_for, today
from handlers.staff import is_staff, staff_reply
from storage import staff as staff_storage

PREFIX = "ne"


async def cmd_newevent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start a new event, or go on with the one left half-filled."""
    if (reply := await staff_reply(update, context)) is None:
        return
    async with reply.deps.db.session() as session:
        found = await staff_storage.get_input(session, reply.user.id)
    if found is not None and found[0].startswith(PREFIX + ":"):
        step, data = found[0].partition(":")[2], found[1]
        await reply.send(views.resumed(reply.tr))
        await _ask(reply, step, data)
        return
    await reply.send(views.started(reply.tr))
    await _go_to(reply, "title", {})


async def on_text(reply: Reply, step: str, data: dict[str, Any], text: str) -> None:
    """A typed answer to the open question (routed here by handlers/staff_input.py)."""
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


async def on_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button under a question: a kind, a duration, «No limit», «Skip», Publish..."""
    if (reply := await staff_reply(update, context)) is None:
        return
    assert context.match is not None
    step, choice = context.match.group(1), context.match.group(2)
    async with reply.deps.db.session() as session:
        found = await staff_storage.get_input(session, reply.user.id)
    if found is None or found[0] != f"{PREFIX}:{step}":
        await reply.refuse(render.not_available(reply.tr))  # an older question's button
        return
    data = found[1]
    if step == DONE:
        if choice in ("publish", "draft"):
            await _create(reply, publish=choice == "publish")
        else:
            await reply.refuse(render.not_available(reply.tr))
        return
    value = views.chosen(reply.deps.config, step, choice, data.get("programs", []))
    if value is views.INVALID:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await _answered(reply, step, data, value)


async def on_cancel_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    if not await _discard(reply):
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await reply.send(views.discarded(reply.tr))


async def cmd_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/cancel``: abandon the open staff question (a new event or an edit).

    Residents have nothing to cancel this way: they get the help, as for any command
    they do not have.
    """
    reply = await reply_for(update, context)
    if not await is_staff(reply):
        await reply.send(render.help_text(reply.tr), keyboards.main_menu(reply.tr))
        return
    async with reply.deps.db.transaction() as session:
        found = await staff_storage.get_input(session, reply.user.id)
        await staff_storage.clear_input(session, reply.user.id)
    if found is None:
        await reply.send(views.nothing_to_cancel(reply.tr))
    elif found[0].startswith(PREFIX + ":"):
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
    data.pop("programs", None)
    following = event_form.next_step(step)
    while following != DONE and following in data:  # answered before the day was asked again
        following = event_form.next_step(following)
    await _go_to(reply, following, data)


async def _go_to(reply: Reply, step: str, data: dict[str, Any]) -> None:
    """Store where the flow is, then ask."""
    d = reply.deps
    async with d.db.transaction() as session:
        if step == "prog":
            # Offered by position: the list is kept, so a button means what it showed.
            data = {**data, "programs": await event_admin.recent_programs(session)}
        await staff_storage.put_input(session, reply.user.id, f"{PREFIX}:{step}", data, now=d.now())
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
        views.new_event_keyboard(config, tr, step, data.get("programs", [])),
    )


async def _create(reply: Reply, *, publish: bool) -> None:
    d = reply.deps
    tz = d.config.library.timezone
    event = None
    try:
        async with d.db.transaction() as session:
            # The answers are taken and the event stored together: a second tap finds nothing.
            found = await staff_storage.get_input(session, reply.user.id)
            if found is not None and found[0] == f"{PREFIX}:{DONE}":
                data = found[1]
                event = await event_admin.create_event(
                    session, event_form.draft(data, tz), publish=publish, now=d.now()
                )
                await staff_storage.clear_input(session, reply.user.id)
    except InvalidInputError:
        # The start passed while the preview waited: ask for the day again.
        await reply.clear_buttons()
        note = views.problem(reply.tr, FormError("start_passed"), today=today(reply.deps))
        data = {k: v for k, v in data.items() if k not in ("date", "time")}
        async with d.db.transaction() as session:
            await staff_storage.put_input(
                session, reply.user.id, f"{PREFIX}:date", data, now=d.now()
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


async def _discard(reply: Reply) -> bool:
    """Drop the half-filled event; False when there was none."""
    async with reply.deps.db.transaction() as session:
        found = await staff_storage.get_input(session, reply.user.id)
        if found is None or not found[0].startswith(PREFIX + ":"):
            return False
        await staff_storage.clear_input(session, reply.user.id)
    return True

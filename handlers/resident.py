"""What residents do: browse events, sign up, cancel, choose a language, forget."""

from __future__ import annotations

import re

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.calendar import event_ics
from bot.domain.errors import DomainError
from bot.services import catalog, people, registration, signup
from bot.services.registration import Outcome
from handlers import keyboards, render
from handlers.cards import answer_query, deep_link, refuse, registered, show_event
from handlers.common import deps, notify_promoted, send, show
from handlers.signup import ask

DEEP_LINK = re.compile(r"^event_(\d{1,9})$")


def _match_id(context: ContextTypes.DEFAULT_TYPE) -> int:
    match = context.match
    assert match is not None
    return int(match.group(1))


async def cmd_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, or open the event a poster's deep link names."""
    d = deps(context)
    tr = await d.translator(update.effective_user)
    payload = context.args[0] if context.args else ""
    if match := DEEP_LINK.match(payload):
        await show_event(update, context, int(match.group(1)))
        return
    await send(update, context, render.greeting(tr, d.config.library.name), keyboards.main_menu(tr))


async def cmd_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    tr = await deps(context).translator(update.effective_user)
    await send(update, context, render.help_text(tr), keyboards.main_menu(tr))


async def on_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    tr = await d.translator(update.effective_user)
    await answer_query(update)
    await show(update, context, render.greeting(tr, d.config.library.name), keyboards.main_menu(tr))


async def cmd_events(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _show_page(update, context, 0)


async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_query(update)
    await _show_page(update, context, _match_id(context))


async def _show_page(update: Update, context: ContextTypes.DEFAULT_TYPE, number: int) -> None:
    d = deps(context)
    tr = await d.translator(update.effective_user)
    async with d.db.session() as session:
        page = await catalog.upcoming_page(session, page=number, now=d.now())
    tz = d.config.library.timezone
    await show(update, context, render.event_list(tr, page), keyboards.event_list(tr, page, tz))


async def on_event(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await show_event(update, context, _match_id(context))


async def on_register(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    user = update.effective_user
    assert user is not None
    tr = await d.translator(user)
    event_id = _match_id(context)
    try:
        async with d.db.transaction() as session:
            result = await signup.begin(
                session, telegram_id=user.id, event_id=event_id, now=d.now()
            )
    except DomainError as exc:
        await refuse(update, context, render.error(tr, exc))
        return
    await answer_query(update)
    if isinstance(result, Outcome):
        await registered(update, context, result)
    else:
        await ask(update, context, tr, result.step)


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    user = update.effective_user
    match = context.match
    assert user is not None and match is not None
    tr = await d.translator(user)
    event_id, origin = int(match.group(1)), match.group(2)
    try:
        async with d.db.transaction() as session:
            person = await people.ensure(session, user.id, now=d.now())
            result = await registration.cancel(
                session, event_id=event_id, person_id=person.id, now=d.now()
            )
    except DomainError as exc:
        await refuse(update, context, render.error(tr, exc))
        return
    await answer_query(update)
    await send(update, context, render.cancelled(tr, result.event, result.was))
    if origin == "m":
        await _show_my(update, context)
    else:
        await show_event(update, context, event_id, answered=True)
    if result.promoted is not None:
        await notify_promoted(context, [result.promoted])


async def on_calendar(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None and chat is not None
    tr = await d.translator(user)
    try:
        async with d.db.session() as session:
            event = await registration.visible_event(session, _match_id(context))
    except DomainError as exc:
        await refuse(update, context, render.error(tr, exc))
        return
    await answer_query(update)
    data = event_ics(
        event, library_name=d.config.library.name, deep_link=deep_link(context, event.id)
    )
    await context.bot.send_document(
        chat.id,
        InputFile(data, filename=f"event-{event.id}.ics", attach=True),
        caption=render.calendar_caption(tr),
        parse_mode=ParseMode.HTML,
    )


async def cmd_my(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _show_my(update, context)


async def on_my(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_query(update)
    await _show_my(update, context)


async def _show_my(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    user = update.effective_user
    assert user is not None
    tr = await d.translator(user)
    async with d.db.session() as session:
        items = await catalog.my_upcoming(session, telegram_id=user.id, now=d.now())
    await show(
        update,
        context,
        render.my_registrations(d.config, tr, items),
        keyboards.my_registrations(tr, items),
    )


async def cmd_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    tr = await deps(context).translator(update.effective_user)
    await answer_query(update)
    await show(update, context, render.language_question(tr), keyboards.languages())


async def on_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    user = update.effective_user
    match = context.match
    assert user is not None and match is not None
    async with d.db.transaction() as session:
        await people.set_language(session, user.id, match.group(1), now=d.now())
    tr = d.catalogs.get(match.group(1))
    await answer_query(update)
    await show(update, context, render.language_set(tr), keyboards.main_menu(tr))


async def cmd_forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    tr = await deps(context).translator(update.effective_user)
    await send(update, context, render.forget_question(tr), keyboards.forget(tr))


async def on_forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    user = update.effective_user
    assert user is not None
    tr = await d.translator(user)
    async with d.db.transaction() as session:
        promotions = await people.forget(session, user.id, now=d.now())
    await answer_query(update)
    await show(update, context, render.forgotten(tr))
    await notify_promoted(context, promotions)


async def on_unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A forged, garbled or outdated button: say so, change nothing."""
    tr = await deps(context).translator(update.effective_user)
    await refuse(update, context, render.not_available(tr))

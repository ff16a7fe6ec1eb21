"""What residents do: browse events, sign up, cancel, choose a language, forget."""

from __future__ import annotations

import re

from telegram import InputFile, Update
from telegram.ext import ContextTypes

from bot.domain.errors import DomainError
from bot.domain.staff import INVITE_PREFIX
from bot.exports.calendar import event_ics
from bot.services import catalog, people, registration, signup
from bot.services.registration import Outcome
from handlers import keyboards, render, staff_admin
from handlers.cards import cancel_registration, deep_link, registered, show_event
from handlers.command_menu import show_staff_menu
from handlers.common import Reply, reply_for
from handlers.signup import ask, report_unavailable
from handlers.staff import is_admin, is_staff
from handlers.staff_admin_views import staff_help

DEEP_LINK = re.compile(r"^event_(\d{1,9})\Z")


def _match(context: ContextTypes.DEFAULT_TYPE) -> re.Match[str]:
    assert context.match is not None
    return context.match


async def cmd_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, or open the event a poster's deep link names, or accept a staff invitation."""
    reply = await reply_for(update, context)
    payload = context.args[0] if context.args else ""
    if match := DEEP_LINK.match(payload):
        await show_event(reply, int(match.group(1)))
    elif payload.startswith(INVITE_PREFIX):
        await staff_admin.join(reply, payload)
    else:
        await _greet(reply)


async def on_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _greet(await reply_for(update, context))


async def _greet(reply: Reply) -> None:
    text = render.greeting(reply.tr, reply.deps.config.library.name)
    await reply.show(text, keyboards.main_menu(reply.tr))


async def cmd_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_help(await reply_for(update, context))


async def send_help(reply: Reply) -> None:
    text = render.help_text(reply.tr)
    if await is_staff(reply):
        text += "\n\n" + staff_help(reply.tr, admin=is_admin(reply))
    await reply.send(text, keyboards.main_menu(reply.tr))


async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await show_page(await reply_for(update, context), int(_match(context).group(1)))


async def show_page(reply: Reply, number: int) -> None:
    d = reply.deps
    async with d.db.session() as session:
        page = await catalog.upcoming_page(session, page=number, now=d.now())
    tz = d.config.library.timezone
    await reply.show(render.event_list(reply.tr, page), keyboards.event_list(reply.tr, page, tz))


async def on_event(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await show_event(await reply_for(update, context), int(_match(context).group(1)))


async def on_register(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    d = reply.deps
    try:
        async with d.db.transaction() as session:
            result = await signup.begin(
                session,
                default_reminders=d.config.reminders.before,
                telegram_id=reply.user.id,
                event_id=int(_match(context).group(1)),
                now=d.now(),
            )
    except DomainError as exc:
        await reply.refuse(render.error(reply.tr, exc))
        return
    d.poke()  # reminders may be due soon
    if isinstance(result, Outcome):
        await registered(reply, result, redraw_card=True)
    elif isinstance(result, signup.Unavailable):
        await report_unavailable(reply, result)
    else:
        await ask(reply, result.step)


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    event_id, origin = int(_match(context).group(1)), _match(context).group(2)
    result = await cancel_registration(reply, event_id)
    if result is None:
        return
    await reply.send(render.cancelled(reply.tr, result.event, result.was))
    if origin == "m":
        await _show_my(reply)
    else:
        await show_event(reply, event_id)


async def on_calendar(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    d = reply.deps
    try:
        async with d.db.session() as session:
            event = await registration.visible_event(session, int(_match(context).group(1)))
    except DomainError as exc:
        await reply.refuse(render.error(reply.tr, exc))
        return
    await reply.ack()
    data = event_ics(
        event, library_name=d.config.library.name, deep_link=deep_link(context, event.id)
    )
    await context.bot.send_document(
        reply.chat_id,
        InputFile(data, filename=f"event-{event.id}.ics", attach=True),
        caption=render.calendar_caption(reply.tr),
    )


async def cmd_my(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _show_my(await reply_for(update, context))


async def on_my(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _show_my(await reply_for(update, context))


async def _show_my(reply: Reply) -> None:
    d = reply.deps
    async with d.db.session() as session:
        items = await catalog.my_upcoming(session, telegram_id=reply.user.id, now=d.now())
    await reply.show(
        render.my_registrations(d.config, reply.tr, items),
        keyboards.my_registrations(reply.tr, items),
    )


async def cmd_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _languages(await reply_for(update, context))


async def on_languages(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _languages(await reply_for(update, context))


async def _languages(reply: Reply) -> None:
    await reply.show(render.language_question(reply.tr), keyboards.languages())


async def on_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    d = reply.deps
    language = _match(context).group(1)
    async with d.db.transaction() as session:
        await people.set_language(session, reply.user.id, language, now=d.now())
    reply.tr = d.catalogs.get(language)
    if await is_staff(reply):  # their own command menu follows the language too
        await show_staff_menu(context.bot, reply.user.id, reply.tr, admin=is_admin(reply))
    await reply.show(render.language_set(reply.tr), keyboards.main_menu(reply.tr))


async def cmd_forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    await reply.send(render.forget_question(reply.tr), keyboards.forget(reply.tr))


async def on_forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    d = reply.deps
    async with d.db.transaction() as session:
        await people.forget(
            session, reply.user.id, default_reminders=d.config.reminders.before, now=d.now()
        )
    d.poke()  # whoever got a freed seat is told by the outbox
    await reply.show(render.forgotten(reply.tr))


async def on_unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A forged, garbled or outdated button: say so, change nothing."""
    reply = await reply_for(update, context)
    await reply.refuse(render.not_available(reply.tr))

"""The staff's events: /events as a list with counts, and each event's card with what can
be done to it (publish, cancel, announce, attendance, registrants' files, poster)."""

from __future__ import annotations

import asyncio
import re

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.domain.errors import DomainError
from bot.domain.status import EventStatus
from bot.exports import poster
from bot.exports.registrants import registrants_csv, registrants_xlsx
from bot.services import announcements, event_admin, staff_events
from bot.services.staff_events import StaffCard
from handlers import announce_progress, resident
from handlers import staff_events_views as views
from handlers.cards import deep_link
from handlers.common import Reply, reply_for
from handlers.render import kind_name, when
from handlers.staff import is_staff, staff_reply


def _match(context: ContextTypes.DEFAULT_TYPE) -> re.Match[str]:
    assert context.match is not None
    return context.match


def _event_id(context: ContextTypes.DEFAULT_TYPE) -> int:
    """The number the button carries: an event's id (a page's number in the list)."""
    return int(_match(context).group(1))


async def cmd_events(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Staff get their list; residents the upcoming events as always."""
    reply = await reply_for(update, context)
    if not await is_staff(reply):
        await resident.show_page(reply, 0)
        return
    await show_list(reply, 0)


async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    await show_list(reply, _event_id(context))


async def show_list(reply: Reply, number: int) -> None:
    d = reply.deps
    now = d.now()
    async with d.db.session() as session:
        page = await staff_events.page(session, number=number, now=now)
    await reply.show(
        views.event_list(d.config, reply.tr, page, now=now),
        views.event_list_buttons(d.config, reply.tr, page),
    )


async def on_card(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    await show_card(reply, _event_id(context))


async def show_card(reply: Reply, event_id: int) -> None:
    if (card := await _card(reply, event_id)) is None:
        return
    d, now = reply.deps, reply.deps.now()
    await reply.show(
        views.card_text(d.config, reply.tr, card, now=now),
        views.card_buttons(reply.tr, card, now=now),
    )


async def _card(reply: Reply, event_id: int) -> StaffCard | None:
    """The event's card, or None after telling why there is none."""
    try:
        async with reply.deps.db.session() as session:
            return await staff_events.card(session, event_id=event_id)
    except DomainError as exc:
        await reply.refuse(views.error(reply.tr, exc))
        return None


async def on_publish(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    d, event_id = reply.deps, _event_id(context)
    try:
        async with d.db.transaction() as session:
            now_published = await event_admin.publish_event(session, event_id, now=d.now())
    except DomainError as exc:
        await reply.refuse(views.error(reply.tr, exc))
        return
    await reply.ack(views.published(reply.tr, now_published))
    await show_card(reply, event_id)


async def on_ask_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    event_id = _event_id(context)
    if (card := await _card(reply, event_id)) is not None:
        await reply.show(
            views.cancel_question(reply.tr, card.figures), views.cancel_buttons(reply.tr, event_id)
        )


async def on_ask_delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    event_id = _event_id(context)
    if (card := await _card(reply, event_id)) is not None:
        await reply.show(
            views.delete_question(reply.tr, card.figures.event),
            views.delete_buttons(reply.tr, event_id),
        )


async def on_delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    try:
        async with reply.deps.db.transaction() as session:
            title = await event_admin.delete_draft(session, _event_id(context))
    except DomainError as exc:
        await reply.refuse(views.error(reply.tr, exc))
        return
    await reply.ack(views.deleted(reply.tr, title))
    await show_list(reply, 0)


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    d, event_id = reply.deps, _event_id(context)
    try:
        async with d.db.transaction() as session:
            told = await event_admin.cancel_event(session, event_id, now=d.now())
    except DomainError as exc:
        await reply.refuse(views.error(reply.tr, exc))
        return
    d.poke()  # the notices go out through the outbox
    await reply.ack(views.cancelled(reply.tr, told))
    await show_card(reply, event_id)


async def on_announce(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue the announcement, then follow the outbox with a progress message.

    The outbox keeps one row per (person, event, kind, variant) and an announcement's
    variant is always empty, so announcing again queues nobody who already has one: the
    second progress message simply shows the same figures.
    """
    if (reply := await staff_reply(update, context)) is None:
        return
    d, event_id = reply.deps, _event_id(context)
    try:
        async with d.db.transaction() as session:
            announced = await announcements.announce(session, event_id=event_id, now=d.now())
    except DomainError as exc:
        await reply.refuse(views.error(reply.tr, exc))
        return
    d.poke()
    if announced.total == 0:
        await reply.send(views.nobody_to_announce(reply.tr))
        return
    async with d.db.session() as session:
        progress = await staff_events.announcement_progress(session, event_id=event_id)
    await reply.ack()
    message = await context.bot.send_message(
        reply.chat_id,
        views.announce_progress(reply.tr, announced.event.title, progress),
        parse_mode=ParseMode.HTML,
    )
    if not progress.done:
        assert context.job_queue is not None
        announce_progress.watch(
            context.job_queue,
            chat_id=reply.chat_id,
            message_id=message.message_id,
            event_id=event_id,
            title=announced.event.title,
            tr=reply.tr,
            shown=progress,
        )


async def on_registrants(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The registrants as a file: names and phones, so staff only."""
    if (reply := await staff_reply(update, context)) is None:
        return
    d, event_id = reply.deps, _event_id(context)
    as_xlsx = _match(context).group(2) == "x"
    try:
        async with d.db.session() as session:
            figures, rows = await staff_events.registrants(session, event_id=event_id)
    except DomainError as exc:
        await reply.refuse(views.error(reply.tr, exc))
        return
    await reply.ack()
    # An event without a seat limit may have thousands of registrants: the file is built
    # off the event loop, which serves everyone else meanwhile.
    if as_xlsx:
        data = await asyncio.to_thread(registrants_xlsx, d.config, reply.tr, figures.event, rows)
        name = f"event-{event_id}-registrants.xlsx"
    else:
        data = await asyncio.to_thread(registrants_csv, d.config, reply.tr, rows)
        name = f"event-{event_id}-registrants.csv"
    await context.bot.send_document(
        reply.chat_id,
        InputFile(data, filename=name, attach=True),
        caption=views.registrants_caption(reply.tr, figures),
        parse_mode=ParseMode.HTML,
    )


async def on_poster(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    d, event_id = reply.deps, _event_id(context)
    if (card := await _card(reply, event_id)) is None:
        return
    event = card.figures.event
    if event.status == EventStatus.CANCELLED:
        await reply.refuse(views.error(reply.tr, event_admin.EventCancelledError(event_id)))
        return
    await reply.ack()
    text = poster.PosterText(
        library=d.config.library.name,
        title=event.title,
        kind=kind_name(d.config, reply.tr, event.kind),
        when=when(reply.tr, event, d.config.library.timezone),
        place=event.place,
        link=deep_link(context, event_id),
        call_to_action=views.poster_call_to_action(reply.tr),
    )
    # Drawing takes a fraction of a second of CPU: off the event loop.
    png = await asyncio.to_thread(poster.render, text)
    await context.bot.send_document(
        reply.chat_id,
        InputFile(png, filename=f"event-{event_id}-poster.png", attach=True),
        caption=views.poster_caption(reply.tr, event),
        parse_mode=ParseMode.HTML,
    )

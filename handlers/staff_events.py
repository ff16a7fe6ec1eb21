"""The staff's events: /events as a list with counts, and each event's card with what can
be done to it (publish, cancel, announce, attendance, registrants' files, poster)."""

from __future__ import annotations

import asyncio

from bot.domain.status import EventStatus
from bot.exports.registrants import registrants_csv, registrants_xlsx
from bot.services import announcements, event_admin, sign_in, staff_events
from handlers import announce_progress, callbacks, channel, posters, resident
from handlers import staff_events_views as views
from handlers.cards import deep_link
from handlers.common import Reply


async def cmd_events(reply: Reply) -> None:
    """Staff get their list; residents the upcoming events as always."""
    if not reply.is_staff:
        await resident.show_page(reply, 0)
        return
    await show_list(reply, 0)


@callbacks.STAFF_EVENTS_PAGE.handles
async def show_list(reply: Reply, number: int) -> None:
    d = reply.deps
    now = d.now()
    page = await reply.read(staff_events.page, number=number, now=now, branch=reply.branch)
    await reply.show(
        views.event_list(d.config, reply.tr, page, now=now),
        views.event_list_buttons(d.config, reply.tr, page),
    )


@callbacks.STAFF_EVENT.handles
async def show_card(reply: Reply, event_id: int) -> None:
    card = await reply.read(staff_events.card, event_id=event_id)
    d, now = reply.deps, reply.deps.now()
    await reply.show(
        views.card_text(d.config, reply.tr, card, now=now),
        views.card_buttons(reply.tr, card, now=now),
    )


@callbacks.PUBLISH_EVENT.handles
async def on_publish(reply: Reply, event_id: int) -> None:
    d = reply.deps
    now_published = await reply.write(event_admin.publish_event, event_id, now=d.now())
    await reply.ack(views.published(reply.tr, now_published))
    await show_card(reply, event_id)


@callbacks.ASK_CANCEL_EVENT.handles
async def on_ask_cancel(reply: Reply, event_id: int) -> None:
    card = await reply.read(staff_events.card, event_id=event_id)
    await reply.show(
        views.cancel_question(reply.tr, card.figures), views.cancel_buttons(reply.tr, event_id)
    )


@callbacks.ASK_DELETE_DRAFT.handles
async def on_ask_delete(reply: Reply, event_id: int) -> None:
    card = await reply.read(staff_events.card, event_id=event_id)
    await reply.show(
        views.delete_question(reply.tr, card.figures.event),
        views.delete_buttons(reply.tr, event_id),
    )


@callbacks.DELETE_DRAFT.handles
async def on_delete(reply: Reply, event_id: int) -> None:
    title = await reply.write(event_admin.delete_draft, event_id)
    await reply.ack(views.deleted(reply.tr, title))
    await show_list(reply, 0)


@callbacks.CANCEL_EVENT.handles
async def on_cancel(reply: Reply, event_id: int) -> None:
    d = reply.deps
    told = await reply.write(event_admin.cancel_event, event_id, now=d.now())
    await reply.ack(views.cancelled(reply.tr, told))
    await show_card(reply, event_id)


@callbacks.ANNOUNCE_EVENT.handles
async def on_announce(reply: Reply, event_id: int) -> None:
    """Queue the announcement, then follow the outbox with a progress message.

    The outbox keeps one row per (person, event, kind, variant) and an announcement's
    variant is always empty, so announcing again queues nobody who already has one: the
    second progress message simply shows the same figures.
    """
    d = reply.deps
    announced = await reply.write(
        announcements.announce,
        event_id=event_id,
        now=d.now(),
        branches=[b.key for b in d.config.branches],
    )
    if said := await channel.post(reply, event_id):
        await reply.send(said)
    if announced.total == 0:
        await reply.send(views.nobody_to_announce(reply.tr))
        return
    progress = await reply.read(staff_events.announcement_progress, event_id=event_id)
    shown = await reply.send(views.announce_progress(reply.tr, announced.event.title, progress))
    if not progress.done:
        assert reply.context.job_queue is not None
        announce_progress.watch(
            reply.context.job_queue,
            chat_id=reply.chat_id,
            message_id=shown,
            event_id=event_id,
            title=announced.event.title,
            tr=reply.tr,
            shown=progress,
        )


@callbacks.REGISTRANTS.handles
async def on_registrants(reply: Reply, event_id: int, file_format: str) -> None:
    """The registrants as a file: names and phones, so staff only."""
    d = reply.deps
    as_xlsx = file_format == "x"
    figures, rows = await reply.read(staff_events.registrants, event_id=event_id)
    await reply.ack()
    # An event without a seat limit may have thousands of registrants: the file is built
    # off the event loop, which serves everyone else meanwhile.
    if as_xlsx:
        data = await asyncio.to_thread(registrants_xlsx, d.config, reply.tr, figures.event, rows)
        name = f"event-{event_id}-registrants.xlsx"
    else:
        data = await asyncio.to_thread(registrants_csv, d.config, reply.tr, rows)
        name = f"event-{event_id}-registrants.csv"
    await reply.send_file(data, name, views.registrants_caption(reply.tr, figures))


@callbacks.POSTER.handles
async def on_poster(reply: Reply, event_id: int) -> None:
    card = await reply.read(staff_events.card, event_id=event_id)
    event = card.figures.event
    if event.status == EventStatus.CANCELLED:
        await reply.refuse(views.error(reply.tr, event_admin.EventCancelledError(event_id)))
        return
    await reply.ack()
    png = await posters.draw(
        reply,
        event,
        link=deep_link(reply, event_id),
        call_to_action=views.poster_call_to_action(reply.tr),
    )
    await reply.send_file(
        png, f"event-{event_id}-poster.png", views.poster_caption(reply.tr, event)
    )


@callbacks.SIGN_IN_SHEET.handles
async def on_sign_in_sheet(reply: Reply, event_id: int) -> None:
    """The printable participant list, as DOCX (to edit) and PDF (to print): staff only."""
    from bot.exports import sign_in_sheet  # noqa: PLC0415  (python-docx, fpdf2: when first used)

    d = reply.deps
    facts = await reply.read(sign_in.sheet, event_id=event_id)
    await reply.ack()
    content = sign_in_sheet.sheet(d.config, reply.tr, facts.event, facts.people)
    # Laying out a long list takes a moment of CPU: off the event loop.
    docx = await asyncio.to_thread(sign_in_sheet.render_docx, content)
    pdf = await asyncio.to_thread(sign_in_sheet.render_pdf, content)
    name = sign_in_sheet.file_name(d.config, facts.event)
    caption = views.sign_in_caption(
        reply.tr, facts.event.title, content.registered, d.config.documents.sign_in_blank_rows
    )
    await reply.send_file(docx, name + ".docx", caption)
    await reply.send_file(pdf, name + ".pdf")

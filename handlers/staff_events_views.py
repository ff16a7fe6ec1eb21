"""Texts and buttons of the staff's list and card of events (every inserted value escaped)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Config
from bot.domain.errors import (
    ClosedReason,
    DomainError,
    RegistrationClosedError,
)
from bot.domain.status import EventStatus
from bot.i18n import Translator
from bot.services.event_admin import EventCancelledError, EventInPastError, NotADraftError
from bot.services.records import Event, EventFigures, Progress
from bot.services.staff_events import RECENT, StaffCard, StaffPage
from handlers import callbacks, keyboards, phone_registrants_views, render
from handlers.event_form_views import reminders_text
from handlers.render import kind_name, shorten, when

Button = InlineKeyboardButton

LIST_TITLE_MAX = 60
BUTTON_TITLE_MAX = 34
DESCRIPTION_MAX = 1500  # the card stays far under Telegram's 4096 characters


def _seats(tr: Translator, figures: EventFigures) -> str:
    capacity = figures.event.capacity
    return tr.gettext("registered {registered} / {capacity}, waiting {waiting}").format(
        registered=figures.registered,
        capacity=capacity if capacity is not None else "∞",
        waiting=figures.waiting,
    )


def _status(tr: Translator, event: Event, now: datetime) -> str:
    if event.status == EventStatus.DRAFT:
        return "📝 " + tr.gettext("draft")
    if event.status == EventStatus.CANCELLED:
        return "❌ " + tr.gettext("cancelled")
    if event.starts_at <= now:
        return "🏁 " + tr.gettext("published, has begun")
    return "✅ " + tr.gettext("published")


def event_list(config: Config, tr: Translator, page: StaffPage, *, now: datetime) -> str:
    days = RECENT.days
    head = tr.ngettext(
        "<b>Events</b>: drafts, upcoming and those of the last {n} day.",
        "<b>Events</b>: drafts, upcoming and those of the last {n} days.",
        days,
    ).format(n=days)
    if not page.items:
        return head + "\n\n" + tr.gettext("There are none yet.")
    lines = [head]
    if page.pages > 1:
        lines.append(
            tr.gettext("Page {page} of {pages}").format(page=page.page + 1, pages=page.pages)
        )
    tz = config.library.timezone
    for figures in page.items:
        event = figures.event
        lines += [
            "",
            f"<b>{event.id}</b> · {escape(tr.short_date_time(event.starts_at, tz))} · "
            f"{escape(shorten(event.title, LIST_TITLE_MAX))}",
            f"{_status(tr, event, now)} · {_seats(tr, figures)}",
        ]
        if figures.program:
            lines.append("🗂 " + escape(shorten(figures.program, LIST_TITLE_MAX)))
    lines += ["", tr.gettext("Tap an event to manage it.")]
    return "\n".join(lines)


def event_list_buttons(config: Config, tr: Translator, page: StaffPage) -> InlineKeyboardMarkup:
    tz = config.library.timezone
    rows = [
        [
            Button(
                f"{f.event.id} · {tr.short_date_time(f.event.starts_at, tz)} · "
                f"{shorten(f.event.title, BUTTON_TITLE_MAX)}",
                callback_data=callbacks.STAFF_EVENT.data(f.event.id),
            )
        ]
        for f in page.items
    ]
    if nav := keyboards.pager(tr, page.page, page.pages, callbacks.STAFF_EVENTS_PAGE.data):
        rows.append(nav)
    rows.append(
        [Button("👀 " + tr.gettext("As residents see it"), callback_data=callbacks.PAGE.data(0))]
    )
    return InlineKeyboardMarkup(rows)


def card_text(config: Config, tr: Translator, card: StaffCard, *, now: datetime) -> str:
    figures = card.figures
    event = figures.event
    tz = config.library.timezone
    lines = [
        f"<b>{escape(event.title)}</b>",
        escape(kind_name(config, tr, event.kind))
        + " · "
        + tr.gettext("No. {id}").format(id=event.id),
        _status(tr, event, now),
        "",
        "🗓 " + escape(when(tr, event, tz)),
        "📍 " + render.place(config, tr, event),
    ]
    if event.audience:
        lines.append("👥 " + tr.gettext("For: {audience}").format(audience=escape(event.audience)))
    if figures.program:
        lines.append(
            "🗂 " + tr.gettext("Programme: {program}").format(program=escape(figures.program))
        )
    lines += _report_wording(tr, event)
    lines.append(
        "🔔 "
        + tr.gettext("Reminders: {reminders}").format(
            reminders=escape(reminders_text(config, tr, event.reminder_offsets))
        )
    )
    if event.description:
        lines += ["", escape(shorten(event.description, DESCRIPTION_MAX))]
    lines += ["", _seats(tr, figures) + ", " + tr.gettext("came {came}").format(came=figures.came)]
    if card.announcement.total:
        lines.append("📣 " + _progress_figures(tr, card.announcement))
    return "\n".join(lines)


def _report_wording(tr: Translator, event: Event) -> list[str]:
    """How the report's line names the event, where staff set it."""
    texts = [
        (event.report_label, tr.gettext("In the report as: {value}")),
        (event.report_title, tr.gettext("Named in the report: {value}")),
        (event.partner, tr.gettext("Together with: {value}")),
        (event.report_note, tr.gettext("After the parentheses: {value}")),
    ]
    return ["📄 " + text.format(value=escape(value)) for value, text in texts if value]


def card_buttons(tr: Translator, card: StaffCard, *, now: datetime) -> InlineKeyboardMarkup:
    """What can be done with the event in its state (the services check again)."""
    event = card.figures.event
    event_id = event.id
    ahead = event.starts_at > now
    draft = event.status == EventStatus.DRAFT
    published = event.status == EventStatus.PUBLISHED
    rows: list[list[Button]] = []
    if event.status != EventStatus.CANCELLED:
        rows.append(
            [Button("✏️ " + tr.gettext("Edit"), callback_data=callbacks.EDIT_EVENT.data(event_id))]
        )
    if draft and ahead:
        rows.append(
            [
                Button(
                    "🚀 " + tr.gettext("Publish"),
                    callback_data=callbacks.PUBLISH_EVENT.data(event_id),
                )
            ]
        )
    if published and ahead:
        rows.append(
            [
                Button(
                    "📣 " + tr.gettext("Announce to subscribers"),
                    callback_data=callbacks.ANNOUNCE_EVENT.data(event_id),
                )
            ]
        )
    if published:
        rows.append(phone_registrants_views.card_row(tr, event_id, can_add=ahead))
    if published:
        rows.append(
            [
                Button(
                    "✅ " + tr.gettext("Attendance"),
                    callback_data=callbacks.ATTENDANCE_PAGE.data(event_id, 0),
                )
            ]
        )
        rows.append(
            [
                Button(
                    "🖨 " + tr.gettext("Sign-in sheet"),
                    callback_data=callbacks.SIGN_IN_SHEET.data(event_id),
                )
            ]
        )
    if not draft:
        rows.append(
            [
                Button(
                    "📄 " + tr.gettext("Registrants (CSV)"),
                    callback_data=callbacks.REGISTRANTS.data(event_id, "c"),
                ),
                Button(
                    "📊 " + tr.gettext("Registrants (XLSX)"),
                    callback_data=callbacks.REGISTRANTS.data(event_id, "x"),
                ),
            ]
        )
    if event.status != EventStatus.CANCELLED:
        rows.append(
            [Button("🖼 " + tr.gettext("Poster"), callback_data=callbacks.POSTER.data(event_id))]
        )
    if published:
        rows.append(
            [
                Button(
                    "🚪 " + tr.gettext("Door code (QR)"),
                    callback_data=callbacks.DOOR_CODE.data(event_id),
                )
            ]
        )
    if draft:
        rows.append(
            [
                Button(
                    "🗑 " + tr.gettext("Delete the draft"),
                    callback_data=callbacks.ASK_DELETE_DRAFT.data(event_id),
                )
            ]
        )
    if published and ahead:
        rows.append(
            [
                Button(
                    "❌ " + tr.gettext("Cancel the event"),
                    callback_data=callbacks.ASK_CANCEL_EVENT.data(event_id),
                )
            ]
        )
    rows.append(
        [Button("⬅️ " + tr.gettext("All events"), callback_data=callbacks.STAFF_EVENTS_PAGE.data(0))]
    )
    return InlineKeyboardMarkup(rows)


def cancel_question(tr: Translator, figures: EventFigures) -> str:
    people = figures.registered + figures.waiting
    told = tr.ngettext(
        "{n} person registered or waiting will be told.",
        "{n} people registered or waiting will be told.",
        people,
    ).format(n=people)
    return (
        tr.gettext("Cancel «{title}»? This cannot be undone.").format(
            title=escape(figures.event.title)
        )
        + "\n"
        + told
    )


def cancel_buttons(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                Button(
                    "❌ " + tr.gettext("Yes, cancel the event"),
                    callback_data=callbacks.CANCEL_EVENT.data(event_id),
                )
            ],
            [
                Button(
                    "⬅️ " + tr.gettext("No, keep it"),
                    callback_data=callbacks.STAFF_EVENT.data(event_id),
                )
            ],
        ]
    )


def cancelled(tr: Translator, told: int) -> str:
    return tr.ngettext(
        "The event is cancelled; {n} person will be told.",
        "The event is cancelled; {n} people will be told.",
        told,
    ).format(n=told)


def published(tr: Translator, now_published: bool) -> str:
    if not now_published:
        return tr.gettext("The event was already published.")
    return tr.gettext(
        "Published: residents can see the event and sign up. "
        "Announce it to subscribers when it is ready."
    )


def _progress_figures(tr: Translator, progress: Progress) -> str:
    text = tr.gettext("Announcement: sent {sent} / {total}").format(
        sent=progress.sent, total=progress.total
    )
    if progress.undelivered:
        text += ", " + tr.gettext("not delivered {n}").format(n=progress.undelivered)
    return text


def announce_progress(
    tr: Translator, title: str, progress: Progress, *, gave_up: bool = False
) -> str:
    """The progress message: it is edited as the outbox delivers."""
    lines = [f"<b>{escape(title)}</b>", "📣 " + _progress_figures(tr, progress)]
    if progress.done:
        lines.append("✅ " + tr.gettext("Done."))
    elif gave_up:
        lines.append(tr.gettext("Still sending; the event's card shows the latest figures."))
    else:
        lines.append("⏳ " + tr.gettext("Sending…"))
    return "\n".join(lines)


def nobody_to_announce(tr: Translator) -> str:
    return tr.gettext(
        "No subscriber wants news of this event (or they are all registered already)."
    )


def registrants_caption(tr: Translator, figures: EventFigures) -> str:
    return tr.gettext(
        "Registrants of «{title}»: {registered} registered, {waiting} waiting. "
        "Personal data: do not pass it on, delete the file when it is no longer needed."
    ).format(
        title=escape(shorten(figures.event.title, 200)),
        registered=figures.registered,
        waiting=figures.waiting,
    )


def poster_caption(tr: Translator, event: Event) -> str:
    text = tr.gettext("A poster of «{title}», A4 at 150 dpi.").format(
        title=escape(shorten(event.title, 200))
    )
    if event.status == EventStatus.DRAFT:
        text += "\n" + tr.gettext(
            "The event is still a draft: the QR code works once it is published."
        )
    return text


def sign_in_caption(tr: Translator, title: str, registered: int, blank: int) -> str:
    people = tr.ngettext("{n} registered person", "{n} registered people", registered).format(
        n=registered
    )
    lines = tr.ngettext("{n} blank line", "{n} blank lines", blank).format(n=blank)
    return tr.gettext(
        "Sign-in sheet of «{title}»: {people}, {lines} for those who come without signing "
        "up. DOCX to edit, PDF to print. Personal data: do not pass it on."
    ).format(title=escape(shorten(title, 200)), people=people, lines=lines)


def poster_call_to_action(tr: Translator) -> str:
    return tr.gettext("Scan the code to sign up")


def error(tr: Translator, exc: DomainError) -> str:
    """A domain error as staff should read it (fits a button's pop-up)."""
    if isinstance(exc, EventCancelledError):
        return tr.gettext("This event has been cancelled.")
    if isinstance(exc, NotADraftError):
        return tr.gettext("Only a draft can be deleted; a published event can be cancelled.")
    if isinstance(exc, EventInPastError):
        return tr.gettext("The event has already begun; it can no longer be published.")
    if isinstance(exc, RegistrationClosedError) and exc.reason == ClosedReason.NOT_PUBLISHED:
        return tr.gettext("The event is a draft: publish it first.")
    if isinstance(exc, RegistrationClosedError) and exc.reason == ClosedReason.STARTED:
        return tr.gettext("The event has already begun.")
    return render.error(tr, exc)


def delete_question(tr: Translator, event: Event) -> str:
    return tr.gettext(
        "Delete the draft «{title}»? Residents never saw it, so nobody is told. "
        "This cannot be undone."
    ).format(title=escape(event.title))


def delete_buttons(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                Button(
                    "🗑 " + tr.gettext("Yes, delete the draft"),
                    callback_data=callbacks.DELETE_DRAFT.data(event_id),
                )
            ],
            [
                Button(
                    "⬅️ " + tr.gettext("No, keep it"),
                    callback_data=callbacks.STAFF_EVENT.data(event_id),
                )
            ],
        ]
    )


def deleted(tr: Translator, title: str) -> str:
    # A button's pop-up holds 200 characters at most.
    return tr.gettext("The draft «{title}» is deleted.").format(title=shorten(title, 80))

"""Texts the bot sends, in the person's language, every inserted value escaped."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.domain.errors import (
    ClosedReason,
    DomainError,
    EventNotFoundError,
    InvalidInputError,
    NotRegisteredError,
    RegistrationClosedError,
)
from bot.domain.interests import Interests
from bot.domain.signup import Step
from bot.domain.status import RegistrationStatus
from bot.i18n import Translator
from bot.services.attendance import Sheet
from bot.services.catalog import EventView, MyRegistration, Page
from bot.services.places import Placed, where
from bot.services.records import Event
from bot.services.registration import Outcome
from bot.services.series import SeriesOutcome, SeriesResult

# Ten registrations with shortened titles keep /my well under Telegram's 4096 characters.
MY_LIMIT = 10
MY_TITLE_MAX = 80
MY_PLACE_MAX = 60


def kind_name(config: Config, tr: Translator, key: str) -> str:
    kind = config.event_kind(key)
    return kind.name(tr.language) if kind else key


def when(tr: Translator, event: Event, tz: ZoneInfo) -> str:
    text = tr.date_time(event.starts_at, tz)
    if event.ends_at is not None:
        text += "–" + tr.time(event.ends_at, tz)
    return text


def greeting(tr: Translator, library_name: str) -> str:
    return tr.gettext(
        "Hello! This is <b>{library}</b> on Telegram.\n\n"
        "Here you can find our free trainings and events, sign up in a couple of taps "
        "and cancel if your plans change."
    ).format(library=escape(library_name))


def help_text(tr: Translator) -> str:
    return tr.gettext(
        "I understand these commands:\n"
        "/events — upcoming events\n"
        "/my — my registrations\n"
        "/language — change the language\n"
        "/forget — delete my data\n\n"
        "Or use the buttons below."
    )


def event_list(tr: Translator, page: Page, branch_name: str | None = None) -> str:
    """``branch_name``: the branch the list is narrowed to."""
    narrowed = (
        "🏢 "
        + tr.gettext("Branch: {branch} (and events of the whole library).").format(
            branch=escape(branch_name)
        )
        + "\n"
        if branch_name is not None
        else ""
    )
    if not page.events:
        return narrowed + tr.gettext("There are no upcoming events yet. Please look again later.")
    text = narrowed + tr.gettext(
        "<b>Upcoming events</b>\nTap an event to see the details and sign up."
    )
    if page.pages > 1:
        text += "\n" + tr.gettext("Page {page} of {pages}").format(
            page=page.page + 1, pages=page.pages
        )
    return text


def branch_question(tr: Translator) -> str:
    return tr.gettext(
        "Which branch's events would you like to see? Events of the whole library are "
        "shown with every branch."
    )


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def event_button(tr: Translator, event: Event, tz: ZoneInfo) -> str:
    return f"{tr.short_date_time(event.starts_at, tz)} · {shorten(event.title, 48)}"


def place(config: Config, tr: Translator, event: Placed, *, address: bool = True) -> str:
    """The event's place (escaped), a configured place's address on the line below."""
    found = where(config, event, tr.language)
    text = escape(found.name)
    if address and found.address:
        text += "\n🏠 " + escape(found.address)
    return text


def event_card(config: Config, tr: Translator, view: EventView) -> str:
    event, tz = view.event, config.library.timezone
    lines = [f"<b>{escape(event.title)}</b>", escape(kind_name(config, tr, event.kind)), ""]
    lines.append("🗓 " + escape(when(tr, event, tz)))
    lines.append("📍 " + place(config, tr, event))
    if event.audience:
        lines.append("👥 " + tr.gettext("For: {audience}").format(audience=escape(event.audience)))
    if event.description:
        lines += ["", escape(event.description)]
    lines += ["", _availability(tr, view)]
    if view.my_status == RegistrationStatus.CONFIRMED:
        lines.append("✅ " + tr.gettext("You are registered."))
    elif view.my_status == RegistrationStatus.WAITING and view.my_position is not None:
        lines.append(
            "⏳ "
            + tr.gettext("You are on the waiting list: number {n}.").format(n=view.my_position)
        )
    return "\n".join(lines)


def _availability(tr: Translator, view: EventView) -> str:
    if view.closed == ClosedReason.CANCELLED:
        return "❌ " + tr.gettext("This event has been cancelled.")
    if view.closed is not None:
        return tr.gettext("Registration is closed: the event has already started.")
    if view.seats_left is None:
        return tr.gettext("Free entry, no limit on seats.")
    if view.seats_left > 0:
        return tr.ngettext(
            "{n} free seat left of {total}.", "{n} free seats left of {total}.", view.seats_left
        ).format(n=view.seats_left, total=view.event.capacity)
    if view.waiting == 0:
        return tr.gettext("No free seats, but you can join the waiting list.")
    return tr.ngettext(
        "No free seats. You can join the waiting list ({n} person waiting).",
        "No free seats. You can join the waiting list ({n} people waiting).",
        view.waiting,
    ).format(n=view.waiting)


def outcome(config: Config, tr: Translator, result: Outcome, view: EventView) -> str:
    """The event's card redrawn after «Sign up», what happened on top (one edit, not a
    second message): a seat taken, or the place in the waiting list."""
    card = event_card(config, tr, view)
    if result.status == RegistrationStatus.CONFIRMED:
        head = (
            tr.gettext("You are already registered for this event.")
            if result.already
            else tr.gettext("✅ You are registered!")
        )
        tail = tr.gettext("If your plans change, please cancel in /my so someone else can come.")
        return f"{head}\n\n{card}\n\n{tail}"
    head = tr.gettext(
        "⏳ All seats are taken, so you are on the waiting list: number {n}. "
        "If a seat frees up, I will register you and let you know."
    ).format(n=result.position)
    return f"{head}\n\n{card}"


def with_notice(notice: str, text: str) -> str:
    """A screen redrawn after a change, the change said on top (one edit, not two messages)."""
    return f"{notice}\n\n{text}"


def series_registered(config: Config, tr: Translator, outcomes: list[SeriesOutcome]) -> str:
    """What «Sign up for all» did, day by day."""
    tz = config.library.timezone
    lines = [
        tr.gettext("<b>{title}</b>: every week").format(title=escape(outcomes[0].event.title)),
        "",
    ]
    for outcome in outcomes:
        day = escape(
            tr.day_month(outcome.event.starts_at, tz) + ", " + tr.time(outcome.event.starts_at, tz)
        )
        if outcome.result == SeriesResult.CONFIRMED:
            text = "✅ " + tr.gettext("{day}: you are registered").format(day=day)
        elif outcome.result == SeriesResult.WAITING:
            text = "⏳ " + tr.gettext(
                "{day}: no free seats, you are on the waiting list: number {n}"
            ).format(day=day, n=outcome.position)
        elif outcome.result == SeriesResult.ALREADY:
            text = "☑️ " + tr.gettext("{day}: you were registered already").format(day=day)
        else:
            text = "🚫 " + tr.gettext("{day}: registration is closed").format(day=day)
        lines.append(text)
    lines += ["", "📍 " + place(config, tr, outcomes[0].event)]
    return "\n".join(lines)


def cancelled(tr: Translator, event: Event, was: RegistrationStatus) -> str:
    if was == RegistrationStatus.WAITING:
        text = tr.gettext("You have left the waiting list for «{title}».")
    else:
        text = tr.gettext(
            "Your registration for «{title}» is cancelled. Thank you for letting us know!"
        )
    return text.format(title=escape(event.title))


def promoted(config: Config, tr: Translator, event: Event) -> str:
    return tr.gettext(
        "🎉 A seat has freed up and you are now registered for «<b>{title}</b>».\n"
        "🗓 {when}\n📍 {place}\n\nIf you cannot come, please cancel in /my."
    ).format(
        title=escape(event.title),
        when=escape(when(tr, event, config.library.timezone)),
        place=place(config, tr, event),
    )


def my_registrations(config: Config, tr: Translator, items: list[MyRegistration]) -> str:
    if not items:
        return tr.gettext("You have no registrations for upcoming events. See /events.")
    tz = config.library.timezone
    lines = [tr.gettext("<b>Your registrations</b>"), ""]
    for number, item in enumerate(items[:MY_LIMIT], start=1):
        status = (
            tr.gettext("registered")
            if item.status == RegistrationStatus.CONFIRMED
            else tr.gettext("waiting list, number {n}").format(n=item.position)
        )
        lines.append(
            f"{number}. <b>{escape(shorten(item.event.title, MY_TITLE_MAX))}</b>\n"
            f"   🗓 {escape(when(tr, item.event, tz))}\n"
            f"   📍 {escape(shorten(where(config, item.event, tr.language).name, MY_PLACE_MAX))}\n"
            f"   {status}"
        )
    if len(items) > MY_LIMIT:
        lines.append(tr.gettext("…and {n} more.").format(n=len(items) - MY_LIMIT))
    return "\n".join(lines)


def question(tr: Translator, step: Step) -> str:
    if step == Step.NAME:
        return tr.gettext(
            "To sign you up, I need a few details — only the first time.\n\n"
            "Please write your first and last name."
        )
    if step == Step.CATEGORY:
        return tr.gettext("Which of these describes you best?")
    if step == Step.PHONE:
        return tr.gettext(
            "Would you like to leave a phone number, so the library can call you if the event "
            "changes? Tap «Send my number» or «Skip»."
        )
    return tr.gettext(
        "The library keeps your name, category and phone only to organise its events and "
        "to count participants for its reports. Only library staff see them. You can delete "
        "them at any time with /forget.\n\nDo you agree?"
    )


def phone_saved(tr: Translator, skipped: bool) -> str:
    return tr.gettext("Fine, no phone.") if skipped else tr.gettext("Thank you, I have the number.")


def declined(tr: Translator) -> str:
    return tr.gettext(
        "Without your consent I cannot sign you up. You can still come to the library "
        "and register there, or change your mind and tap «Sign up» again."
    )


def forget_question(tr: Translator, *, staff: bool = False) -> str:
    text = tr.gettext(
        "Delete your name, phone number and registrations for upcoming events? "
        "Records of events you attended stay, without your name."
    )
    if staff:
        # Staff access is an administrator's decision, so /forget leaves it: say so first.
        text += "\n\n" + tr.gettext(
            "Your name in the staff list and your unfinished event form will be deleted "
            "too; your staff access stays."
        )
    return text


def forgotten(tr: Translator, *, staff: bool = False) -> str:
    text = tr.gettext("Done: your data has been deleted. Thank you for being with us!")
    if staff:
        text += "\n\n" + tr.gettext(
            "You are still library staff: staff access is changed only by an administrator."
        )
    return text


def language_question(tr: Translator) -> str:
    return tr.gettext("Choose the language:")


def language_set(tr: Translator) -> str:
    return tr.gettext("Done, I will speak English.")


def calendar_caption(tr: Translator) -> str:
    return tr.gettext("Open this file to add the event to your calendar.")


def not_available(tr: Translator) -> str:
    return tr.gettext("This button no longer works.")


def internal_error(tr: Translator) -> str:
    return tr.gettext("Sorry, something went wrong. Please try again a little later.")


def error(tr: Translator, exc: DomainError) -> str:
    """A short, polite explanation of a domain error (fits a callback answer: 200 chars)."""
    if isinstance(exc, RegistrationClosedError):
        if exc.reason == ClosedReason.CANCELLED:
            return tr.gettext("This event has been cancelled.")
        if exc.reason == ClosedReason.STARTED:
            return tr.gettext("Registration is closed: the event has already started.")
        return tr.gettext("This event was not found.")
    if isinstance(exc, EventNotFoundError):
        return tr.gettext("This event was not found.")
    if isinstance(exc, NotRegisteredError):
        return tr.gettext("You have no registration for this event.")
    if isinstance(exc, InvalidInputError):
        return invalid_input(tr, exc.problem)
    return not_available(tr)


def invalid_input(tr: Translator, problem: str) -> str:
    texts = {
        "name_short": tr.gettext("Please write your first and last name (at least two letters)."),
        "name_long": tr.gettext("That is too long: up to 100 characters, please."),
        "name_chars": tr.gettext("The name has characters I cannot accept. Please type it again."),
        "phone": tr.gettext(
            "That does not look like a phone number. "
            "Tap «Send my number» or type it like +380501234567."
        ),
        "comment_long": tr.gettext("That is too long: up to 1000 characters, please."),
        "comment_chars": tr.gettext("The text has characters I cannot keep. Please type it again."),
    }
    return texts.get(problem, not_available(tr))


def reminder(config: Config, tr: Translator, event: Event) -> str:
    return tr.gettext(
        "🔔 A reminder: <b>{title}</b>\n🗓 {when}\n📍 {place}\n\nWill you come?"
    ).format(
        title=escape(event.title),
        when=escape(when(tr, event, config.library.timezone)),
        place=place(config, tr, event),
    )


def coming(tr: Translator) -> str:
    return tr.gettext("Thank you! See you there.")


def changed(config: Config, tr: Translator, event: Event, old: dict[str, str]) -> str:
    tz = config.library.timezone
    lines = [tr.gettext("⚠️ <b>{title}</b> has changed.").format(title=escape(event.title))]
    if "starts_at" in old:
        was = datetime.fromisoformat(old["starts_at"])
        lines.append(
            tr.gettext("🗓 Now: {when} (was: {was})").format(
                when=escape(when(tr, event, tz)), was=escape(tr.date_time(was, tz))
            )
        )
    if "place" in old:
        # The old place read as it does now, when it is still configured.
        before = config.place(old.get("place_key"))
        was_at = before.name(tr.language) if before is not None else old["place"]
        now_at = where(config, event, tr.language)
        lines.append(
            tr.gettext("📍 Now: {place} (was: {was})").format(
                place=escape(now_at.name), was=escape(was_at)
            )
        )
        if now_at.address:
            lines.append("🏠 " + escape(now_at.address))
    lines.append("")
    lines.append(tr.gettext("If you cannot come now, please cancel in /my."))
    return "\n".join(lines)


def event_cancelled(config: Config, tr: Translator, event: Event) -> str:
    return tr.gettext(
        "❌ Unfortunately <b>{title}</b> ({when}) is cancelled. We apologise. "
        "See other events: /events"
    ).format(title=escape(event.title), when=escape(when(tr, event, config.library.timezone)))


def announcement(config: Config, tr: Translator, event: Event) -> str:
    lines = [
        "📣 " + tr.gettext("New event!"),
        "",
        f"<b>{escape(event.title)}</b>",
        escape(kind_name(config, tr, event.kind)),
        "🗓 " + escape(when(tr, event, config.library.timezone)),
        "📍 " + place(config, tr, event),
    ]
    if event.audience:
        lines.append("👥 " + tr.gettext("For: {audience}").format(audience=escape(event.audience)))
    if event.description:
        lines += ["", escape(event.description)]
    return "\n".join(lines)


def subscriptions(tr: Translator, interests: Interests | None, *, branches: bool = False) -> str:
    """``branches``: the library has branches, offered as a choice (🏢) too."""
    if interests is None:
        text = tr.gettext(
            "I can tell you about new events: all of them, or only some kinds, "
            "or only those for some audiences (👥)."
        )
    elif interests.everything:
        text = tr.gettext("You get news of every new event. Tap a kind or an audience to choose.")
    else:
        text = tr.gettext("You get news of the events marked ✅. Tap to change.")
    if branches:
        text += "\n" + tr.gettext(
            "🏢 Choose branches to hear only of their events (and of the whole library's); "
            "none chosen: every branch."
        )
    return text


def unsubscribed(tr: Translator) -> str:
    return tr.gettext("Done: no more news of new events. You can subscribe again in the menu.")


def staff_only(tr: Translator) -> str:
    return tr.gettext("This command is for library staff.")


def report_usage(tr: Translator) -> str:
    return tr.gettext(
        "I could not read the period. Examples:\n"
        "/report — this year\n"
        "/report 2026\n"
        "/report 2026-03\n"
        "/report 01.01.2026 31.12.2026 Поінформована громада"
    )


def attendance(config: Config, tr: Translator, sheet: Sheet) -> str:
    event = sheet.event
    walk_ins = sum(sheet.walk_ins.values())
    return tr.gettext(
        "<b>Attendance: {title}</b>\n🗓 {when}\n\n"
        "Came: {came} of {registered} registered; walk-ins: {walk_ins}.\n"
        "Tap a name to mark who came (⬜ not marked, ✅ came, ❌ did not come); "
        "count people who came without registering with − and +."
    ).format(
        title=escape(event.title),
        when=escape(when(tr, event, config.library.timezone)),
        came=sheet.came,
        registered=len(sheet.attendees),
        walk_ins=walk_ins,
    )


def attendance_usage(tr: Translator) -> str:
    return tr.gettext("Write the event's number: /attendance 12")


MESSAGE_LIMIT = 4000  # under Telegram's 4096, with room for markup


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut a long text at line ends into messages Telegram accepts (report lines are
    short: an event's title is at most 200 characters)."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        if current and len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current.strip():
        parts.append(current)
    return parts

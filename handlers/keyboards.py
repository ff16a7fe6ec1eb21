"""Buttons: one per row and with plain words, so they are big and easy to hit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.config import Branch, Config
from bot.domain.errors import ClosedReason
from bot.domain.interests import Interests, audience_key
from bot.domain.status import RegistrationStatus
from bot.i18n import Catalogs, Translator
from bot.services.attendance import Sheet
from bot.services.catalog import EventView, MyRegistration, Page
from handlers import callbacks
from handlers.render import MY_LIMIT, event_button, shorten

Button = InlineKeyboardButton


def _column(*buttons: Button) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[b] for b in buttons])


def main_menu(tr: Translator) -> InlineKeyboardMarkup:
    return _column(
        Button("📅 " + tr.gettext("Upcoming events"), callback_data=callbacks.PAGE.data(0)),
        Button("📝 " + tr.gettext("My registrations"), callback_data=callbacks.MY.data()),
        Button(
            "🔔 " + tr.gettext("News of new events"), callback_data=callbacks.SUBSCRIPTIONS.data()
        ),
        Button("🌐 " + tr.gettext("Language / Мова"), callback_data=callbacks.LANGUAGES.data()),
    )


def event_list(
    tr: Translator,
    page: Page,
    tz: ZoneInfo,
    *,
    branches: Sequence[Branch] = (),
    near: bool = False,
) -> InlineKeyboardMarkup:
    """``branches``: the library's, to narrow the list to one (a page of a narrowed list
    keeps it); ``near``: some place has coordinates, so «Near me» is offered."""
    rows = [
        [Button(event_button(tr, e, tz), callback_data=callbacks.EVENT.data(e.id))]
        for e in page.events
    ]
    branch = page.branch
    turn: Callable[[int], str] = (
        callbacks.PAGE.data if branch is None else lambda n: callbacks.BRANCH_PAGE.data(branch, n)
    )
    if nav := pager(tr, page.page, page.pages, turn):
        rows.append(nav)
    if branches:
        rows.append(
            [
                Button(
                    "🏢 " + tr.gettext("Choose a branch"),
                    callback_data=callbacks.BRANCHES.data(branch or "*"),
                )
            ]
        )
    if near:
        rows.append([Button("📍 " + tr.gettext("Near me"), callback_data=callbacks.NEAR.data())])
    rows.append([Button("🏠 " + tr.gettext("Menu"), callback_data=callbacks.MENU.data())])
    return InlineKeyboardMarkup(rows)


def branch_choice(
    tr: Translator, branches: Sequence[Branch], current: str | None
) -> InlineKeyboardMarkup:
    """Each branch and «All branches», one per row; ✅ marks the list's current choice."""

    def mark(chosen: bool) -> str:
        return "✅ " if chosen else ""

    rows = [
        Button(
            mark(b.key == current) + b.name(tr.language),
            callback_data=callbacks.BRANCH_PAGE.data(b.key, 0),
        )
        for b in branches
    ]
    rows.append(
        Button(
            mark(current is None) + tr.gettext("All branches"),
            callback_data=callbacks.PAGE.data(0),
        )
    )
    rows.append(Button("🏠 " + tr.gettext("Menu"), callback_data=callbacks.MENU.data()))
    return _column(*rows)


def pager(tr: Translator, page: int, pages: int, data: Callable[[int], str]) -> list[Button]:
    """The row that turns pages of a list (empty when there is one page)."""
    row = []
    if page > 0:
        row.append(Button("◀️ " + tr.gettext("Back"), callback_data=data(page - 1)))
    if page + 1 < pages:
        row.append(Button(tr.gettext("Next") + " ▶️", callback_data=data(page + 1)))
    return row


def event_card(
    tr: Translator, view: EventView, share: str | None = None, *, located: bool = False
) -> InlineKeyboardMarkup:
    """``share``: Telegram's share link for the event (see ``handlers.cards.share_link``);
    ``located``: its place has coordinates, so «📍 How to get there» sends it on a map."""
    event_id = view.event.id
    buttons = []
    if view.my_status == RegistrationStatus.CONFIRMED:
        buttons.append(
            Button(
                "❌ " + tr.gettext("Cancel my registration"),
                callback_data=callbacks.CANCEL.data(event_id, "c"),
            )
        )
    elif view.my_status == RegistrationStatus.WAITING:
        buttons.append(
            Button(
                "❌ " + tr.gettext("Leave the waiting list"),
                callback_data=callbacks.CANCEL.data(event_id, "c"),
            )
        )
    elif view.closed is None:
        label = (
            tr.gettext("Join the waiting list") if view.seats_left == 0 else tr.gettext("Sign up")
        )
        buttons.append(Button("✍️ " + label, callback_data=callbacks.REGISTER.data(event_id)))
    if view.series_open:
        label = tr.gettext("Sign up for all ({n})").format(n=view.series_open)
        buttons.append(Button("✍️ " + label, callback_data=callbacks.REGISTER_SERIES.data(event_id)))
    if view.closed is None:
        buttons.append(
            Button(
                "📅 " + tr.gettext("Add to calendar"),
                callback_data=callbacks.CALENDAR.data(event_id),
            )
        )
        if share is not None:  # opens Telegram's own chooser: no message of the bot's
            buttons.append(Button("📤 " + tr.gettext("Share"), url=share))
    if located and view.closed != ClosedReason.CANCELLED:
        buttons.append(
            Button(
                "📍 " + tr.gettext("How to get there"), callback_data=callbacks.VENUE.data(event_id)
            )
        )
    buttons.append(Button("⬅️ " + tr.gettext("All events"), callback_data=callbacks.PAGE.data(0)))
    return _column(*buttons)


def series_registered(tr: Translator) -> InlineKeyboardMarkup:
    """Under the days «Sign up for all» registered the person for."""
    return _column(
        Button("📝 " + tr.gettext("My registrations"), callback_data=callbacks.MY.data()),
        Button("⬅️ " + tr.gettext("All events"), callback_data=callbacks.PAGE.data(0)),
    )


def my_registrations(tr: Translator, items: list[MyRegistration]) -> InlineKeyboardMarkup:
    buttons = [
        Button(
            "❌ " + tr.gettext("Cancel {n}").format(n=number),
            callback_data=callbacks.CANCEL.data(item.event.id, "m"),
        )
        for number, item in enumerate(items[:MY_LIMIT], start=1)
    ]
    buttons.append(
        Button("📅 " + tr.gettext("Upcoming events"), callback_data=callbacks.PAGE.data(0))
    )
    return _column(*buttons)


def use_telegram_name(tr: Translator, name: str) -> InlineKeyboardMarkup:
    return _column(
        Button(
            tr.gettext("I am {name}").format(name=name),
            callback_data=callbacks.USE_TELEGRAM_NAME.data(),
        )
    )


def categories(config: Config, tr: Translator) -> InlineKeyboardMarkup:
    return _column(
        *(
            Button(c.label(tr.language), callback_data=callbacks.CATEGORY.data(c.key))
            for c in config.categories
        )
    )


def phone(tr: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton("📱 " + tr.gettext("Send my number"), request_contact=True)],
            [KeyboardButton(skip_label(tr))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def skip_label(tr: Translator) -> str:
    return tr.gettext("Skip")


def is_skip(catalogs: Catalogs, text: str) -> bool:
    """The «Skip» reply button sends its label as text, in whichever language it was shown."""
    typed = text.strip().casefold()
    return any(typed == skip_label(catalogs.get(lang)).casefold() for lang in catalogs.languages)


def consent(tr: Translator) -> InlineKeyboardMarkup:
    return _column(
        Button("✅ " + tr.gettext("I agree"), callback_data=callbacks.CONSENT.data("y")),
        Button(tr.gettext("No"), callback_data=callbacks.CONSENT.data("n")),
    )


def forget(tr: Translator) -> InlineKeyboardMarkup:
    return _column(
        Button(
            "🗑 " + tr.gettext("Yes, delete my data"),
            callback_data=callbacks.FORGET_CONFIRMED.data(),
        ),
        Button(tr.gettext("No, keep it"), callback_data=callbacks.MENU.data()),
    )


def languages() -> InlineKeyboardMarkup:
    return _column(
        Button("🇺🇦 Українська", callback_data=callbacks.LANGUAGE.data("uk")),
        Button("🇬🇧 English", callback_data=callbacks.LANGUAGE.data("en")),
    )


def reminder(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    return _column(
        Button("✅ " + tr.gettext("I will come"), callback_data=callbacks.COMING.data(event_id)),
        Button(
            "❌ " + tr.gettext("I cannot come"), callback_data=callbacks.NOT_COMING.data(event_id)
        ),
    )


def announcement(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    return _column(
        Button("✍️ " + tr.gettext("Sign up"), callback_data=callbacks.REGISTER.data(event_id)),
        Button(
            "🔕 " + tr.gettext("Stop these messages"),
            callback_data=callbacks.UNSUBSCRIBE_HERE.data(),
        ),
    )


def subscriptions(
    config: Config, tr: Translator, interests: Interests | None, audiences: Sequence[str]
) -> InlineKeyboardMarkup:
    """Every event, or toggles for each kind and each audience on offer; ✅ marks choices.
    With branches configured, toggles for each branch and «All branches» (none chosen)."""

    def mark(chosen: bool) -> str:
        return "✅ " if chosen else ""

    everything = interests is not None and interests.everything
    rows = [
        Button(
            mark(everything) + tr.gettext("All events"), callback_data=callbacks.SUBSCRIBE.data("*")
        )
    ]
    for kind in config.event_kinds:
        chosen = interests is not None and kind.key in interests.kinds
        rows.append(
            Button(
                mark(chosen) + kind.name(tr.language),
                callback_data=callbacks.SUBSCRIBE.data(kind.key),
            )
        )
    chosen_audiences = {a.casefold() for a in interests.audiences} if interests else set()
    for audience in audiences:
        label = mark(audience.casefold() in chosen_audiences) + "👥 " + shorten(audience, 40)
        rows.append(
            Button(label, callback_data=callbacks.SUBSCRIBE.data("a:" + audience_key(audience)))
        )
    if config.branches:
        # A branch taken out of the configuration is chosen no more (as announcements read it).
        configured = {branch.key for branch in config.branches}
        chosen_branches = interests.branches & configured if interests is not None else set()
        for branch in config.branches:
            rows.append(
                Button(
                    mark(branch.key in chosen_branches) + "🏢 " + branch.name(tr.language),
                    callback_data=callbacks.SUBSCRIBE.data("b:" + branch.key),
                )
            )
        rows.append(
            Button(
                mark(interests is not None and not chosen_branches)
                + "🏢 "
                + tr.gettext("All branches"),
                callback_data=callbacks.SUBSCRIBE.data("b:*"),
            )
        )
    if interests is not None:
        rows.append(
            Button(
                "🔕 " + tr.gettext("Unsubscribe"),
                callback_data=callbacks.UNSUBSCRIBE_ON_SCREEN.data(),
            )
        )
    rows.append(Button("🏠 " + tr.gettext("Menu"), callback_data=callbacks.MENU.data()))
    return _column(*rows)


ATTENDANCE_PAGE_SIZE = 8


def attendance(config: Config, tr: Translator, sheet: Sheet, page: int) -> InlineKeyboardMarkup:
    """Registrants as toggles (a page at a time), "everyone came", walk-in counters."""
    event_id = sheet.event.id
    pages = max(1, -(-len(sheet.attendees) // ATTENDANCE_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = sheet.attendees[page * ATTENDANCE_PAGE_SIZE : (page + 1) * ATTENDANCE_PAGE_SIZE]
    marks = {True: "✅", False: "❌", None: "⬜"}
    rows = [
        [
            Button(
                f"{marks[a.attended]} {shorten(a.name, 40)}"
                + (f" ({tr.gettext('no Telegram')})" if a.without_telegram else ""),
                callback_data=callbacks.ATTENDED.data(event_id, a.person_id, page),
            )
        ]
        for a in shown
    ]
    nav = []
    if page > 0:
        nav.append(Button("◀️", callback_data=callbacks.ATTENDANCE_PAGE.data(event_id, page - 1)))
    if page + 1 < pages:
        nav.append(Button("▶️", callback_data=callbacks.ATTENDANCE_PAGE.data(event_id, page + 1)))
    if nav:
        rows.append(nav)
    if sheet.attendees:
        rows.append(
            [
                Button(
                    "✅ " + tr.gettext("Everyone registered came"),
                    callback_data=callbacks.EVERYONE_CAME.data(event_id),
                )
            ]
        )
    for category in config.categories:
        n = sheet.walk_ins.get(category.key, 0)
        rows.append(
            [
                Button("−", callback_data=callbacks.WALK_IN.data(event_id, category.key, "-")),
                Button(
                    f"{shorten(category.label(tr.language), 24)}: {n}",
                    callback_data=callbacks.WALK_IN.data(event_id, category.key, "+"),
                ),
                Button("+", callback_data=callbacks.WALK_IN.data(event_id, category.key, "+")),
            ]
        )
    rows.append(
        [
            Button(
                "⬅️ " + tr.gettext("Event card"), callback_data=callbacks.STAFF_EVENT.data(event_id)
            )
        ]
    )
    return InlineKeyboardMarkup(rows)

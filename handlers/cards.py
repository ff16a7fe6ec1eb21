"""An event's card and the confirmation after signing up, shared by browsing and sign-up."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from telegram import InlineKeyboardMarkup

from bot.services import catalog, registration
from bot.services.catalog import EventView
from bot.services.places import where
from bot.services.registration import Cancellation, Outcome
from bot.services.series import SeriesOutcome
from handlers import keyboards, render
from handlers.common import Reply


async def show_event(reply: Reply, event_id: int, notice: str | None = None) -> None:
    """The event's card; ``notice`` (what just changed) goes on top of it."""
    d = reply.deps
    view = await reply.read(
        catalog.event_view, event_id=event_id, person_id=reply.visitor.person_id, now=d.now()
    )
    text = render.event_card(d.config, reply.tr, view)
    if notice is not None:
        text = render.with_notice(notice, text)
    await reply.show(text, card_keyboard(reply, view))


async def registered(reply: Reply, result: Outcome, view: EventView | None = None) -> None:
    """Confirm a registration on the event's card, redrawn: on a button, one edit of the
    pressed message (Telegram counts it against the chat's limit like a new message)."""
    d = reply.deps
    if view is None:
        view = await reply.read(
            catalog.event_view, event_id=result.event.id, person_id=result.person_id, now=d.now()
        )
    await reply.show(
        render.outcome(d.config, reply.tr, result, view),
        card_keyboard(reply, view),
    )


async def series_registered(reply: Reply, outcomes: list[SeriesOutcome]) -> None:
    """What «Sign up for all» did, day by day: the card pressed becomes the list (after the
    sign-up's questions, the consent question does)."""
    config, tr = reply.deps.config, reply.tr
    await reply.show(
        render.series_registered(config, tr, outcomes), keyboards.series_registered(tr)
    )


def card_keyboard(reply: Reply, view: EventView) -> InlineKeyboardMarkup:
    """The buttons under a resident's event card."""
    located = where(reply.deps.config, view.event, reply.tr.language).located
    return keyboards.event_card(reply.tr, view, share_link(reply, view), located=located)


def deep_link(reply: Reply, event_id: int) -> str:
    """The link that opens the event's card (posters, the calendar file, imports)."""
    return reply.deep_link(f"event_{event_id}")


def share_link(reply: Reply, view: EventView) -> str:
    """Telegram's «share» link: the person picks a chat (a grandparent's, say) and sends
    the event's title with its link, which opens the card in the bot."""
    link = deep_link(reply, view.event.id)
    # %20, not "+", for spaces: not every app that opens the link reads "+" as a space.
    query = urlencode({"url": link, "text": view.event.title}, quote_via=quote)
    return f"https://t.me/share/url?{query}"


async def cancel_registration(reply: Reply, event_id: int) -> Cancellation:
    """Cancel the presser's own registration (a freed seat goes to the first in line)."""
    d = reply.deps
    result = await reply.write(
        registration.cancel_for,
        event_id=event_id,
        telegram_id=reply.user.id,
        default_reminders=d.config.reminders.before,
        now=d.now(),
    )
    return result

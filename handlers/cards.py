"""An event's card and the confirmation after signing up, shared by browsing and sign-up."""

from __future__ import annotations

from telegram.ext import ContextTypes

from bot.domain.errors import DomainError
from bot.services import catalog, registration
from bot.services.registration import Cancellation, Outcome
from handlers import keyboards, render
from handlers.common import Reply


async def show_event(reply: Reply, event_id: int) -> None:
    d = reply.deps
    try:
        async with d.db.session() as session:
            view = await catalog.event_view(
                session, event_id=event_id, telegram_id=reply.user.id, now=d.now()
            )
    except DomainError as exc:
        await reply.refuse(render.error(reply.tr, exc))
        return
    await reply.show(
        render.event_card(d.config, reply.tr, view), keyboards.event_card(reply.tr, view)
    )


async def registered(reply: Reply, result: Outcome, *, redraw_card: bool) -> None:
    """Confirm a registration; on the card itself, also redraw it to show the new state."""
    await reply.send(render.outcome(reply.deps.config, reply.tr, result))
    if redraw_card:
        await show_event(reply, result.event.id)


def deep_link(context: ContextTypes.DEFAULT_TYPE, event_id: int) -> str:
    return f"https://t.me/{context.bot.username}?start=event_{event_id}"


async def cancel_registration(reply: Reply, event_id: int) -> Cancellation | None:
    """Cancel the presser's own registration (a freed seat goes to the first in line);
    None, after a polite refusal, when there is nothing to cancel."""
    d = reply.deps
    try:
        async with d.db.transaction() as session:
            result = await registration.cancel_for(
                session,
                event_id=event_id,
                telegram_id=reply.user.id,
                default_reminders=d.config.reminders.before,
                now=d.now(),
            )
    except DomainError as exc:
        await reply.refuse(render.error(reply.tr, exc))
        return None
    d.poke()  # the promoted person is told through the outbox
    return result

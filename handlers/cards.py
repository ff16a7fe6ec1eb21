"""An event's card and the replies around it, shared by the browsing and sign-up flows."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.errors import DomainError
from bot.services import catalog
from bot.services.registration import Outcome
from handlers import callbacks, keyboards, render
from handlers.common import deps, send, show


async def show_event(
    update: Update, context: ContextTypes.DEFAULT_TYPE, event_id: int, *, answered: bool = False
) -> None:
    d = deps(context)
    user = update.effective_user
    assert user is not None
    tr = await d.translator(user)
    try:
        async with d.db.session() as session:
            view = await catalog.event_view(
                session, event_id=event_id, telegram_id=user.id, now=d.now()
            )
    except DomainError as exc:
        if answered:
            await send(update, context, render.error(tr, exc))
        else:
            await refuse(update, context, render.error(tr, exc))
        return
    if not answered:
        await answer_query(update)
    await show(
        update, context, render.event_card(d.config, tr, view), keyboards.event_card(tr, view)
    )


async def registered(update: Update, context: ContextTypes.DEFAULT_TYPE, result: Outcome) -> None:
    """Confirm a registration and redraw the card so it shows the new state."""
    d = deps(context)
    tr = await d.translator(update.effective_user)
    await send(update, context, render.outcome(d.config, tr, result))
    if update.callback_query is not None and update.callback_query.data == callbacks.register(
        result.event.id
    ):
        await show_event(update, context, result.event.id, answered=True)


def deep_link(context: ContextTypes.DEFAULT_TYPE, event_id: int) -> str:
    return f"https://t.me/{context.bot.username}?start=event_{event_id}"


async def answer_query(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Explain briefly: as a pop-up for a button, as a message for a command."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    else:
        tr = await deps(context).translator(update.effective_user)
        await send(update, context, text, keyboards.main_menu(tr))

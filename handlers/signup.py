"""The questions before a first registration: name, category, phone, consent.

Where the person is in this flow is stored in the database, so a restart (or
another bot process) goes on from the same question.
"""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import ContextTypes

from bot.domain.errors import DomainError
from bot.domain.signup import Step
from bot.services import signup
from bot.services.registration import Outcome
from handlers import keyboards, render, staff_input
from handlers.cards import registered
from handlers.common import Reply, reply_for

TEXT_MAX = 300


async def ask(reply: Reply, step: Step) -> None:
    tr, text = reply.tr, render.question(reply.tr, step)
    if step == Step.NAME:
        await reply.send(text, keyboards.use_telegram_name(tr, reply.user.full_name[:40]))
    elif step == Step.CATEGORY:
        await reply.send(text, keyboards.categories(reply.deps.config, tr))
    elif step == Step.PHONE:
        await reply.send(text, keyboards.phone(tr))
    else:
        await reply.send(text, keyboards.consent(tr))


async def report_unavailable(reply: Reply, result: signup.Unavailable) -> None:
    await reply.send(render.error(reply.tr, result.error), keyboards.main_menu(reply.tr))


async def _answer(reply: Reply, step: Step, value: str | None) -> None:
    """Apply one answer and put the next question (or confirm the registration)."""
    d = reply.deps
    try:
        async with d.db.transaction() as session:
            result = await signup.answer(
                session,
                telegram_id=reply.user.id,
                step=step,
                value=value,
                categories=[c.key for c in d.config.categories],
                default_reminders=d.config.reminders.before,
                now=d.now(),
            )
    except DomainError as exc:
        await reply.refuse(render.error(reply.tr, exc))
        return
    d.poke()
    if step == Step.PHONE:
        await reply.send(render.phone_saved(reply.tr, skipped=value is None), ReplyKeyboardRemove())
    if isinstance(result, signup.Declined):
        await reply.send(render.declined(reply.tr))
    elif isinstance(result, signup.Unavailable):
        await report_unavailable(reply, result)
    elif isinstance(result, Outcome):
        await registered(reply, result, redraw_card=False)
    else:
        await ask(reply, result.step)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typed text: an answer to the open question, or else a short help."""
    reply = await reply_for(update, context)
    message = update.effective_message
    assert message is not None and message.text is not None
    if await staff_input.handle(reply, message.text):
        return
    async with reply.deps.db.session() as session:
        found = await signup.current(session, reply.user.id)
    step = found[0] if found else None
    text = message.text[:TEXT_MAX]
    if step == Step.NAME:
        await _answer(reply, Step.NAME, text)
    elif step == Step.PHONE:
        skipped = keyboards.is_skip(reply.deps.catalogs, text)
        await _answer(reply, Step.PHONE, None if skipped else text)
    elif step is not None:
        await ask(reply, step)  # a button is expected: show it again
    else:
        await reply.send(render.help_text(reply.tr), keyboards.main_menu(reply.tr))


async def on_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared contact counts only if it is the person's own number."""
    reply = await reply_for(update, context)
    message = update.effective_message
    assert message is not None and message.contact is not None
    async with reply.deps.db.session() as session:
        found = await signup.current(session, reply.user.id)
    if found is None or found[0] != Step.PHONE:
        await reply.send(render.help_text(reply.tr), keyboards.main_menu(reply.tr))
    elif message.contact.user_id != reply.user.id:
        await reply.send(render.invalid_input(reply.tr, "phone"))
    else:
        await _answer(reply, Step.PHONE, message.contact.phone_number)


async def on_use_telegram_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    await _answer(reply, Step.NAME, reply.user.full_name)


async def on_category(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert context.match is not None
    await _answer(await reply_for(update, context), Step.CATEGORY, context.match.group(1))


async def on_consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert context.match is not None
    agreed = context.match.group(1) == "y"
    await _answer(await reply_for(update, context), Step.CONSENT, "yes" if agreed else "no")

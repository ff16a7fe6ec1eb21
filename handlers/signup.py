"""The questions before a first registration: name, category, phone, consent.

Where the person is in this flow is stored in the database, so a restart (or
another bot process) goes on from the same question.
"""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import ContextTypes

from bot.domain.errors import DomainError
from bot.domain.signup import Step
from bot.i18n import Translator
from bot.services import signup
from bot.services.registration import Outcome
from handlers import keyboards, render
from handlers.cards import registered
from handlers.common import deps, send

TEXT_MAX = 300


async def ask(
    update: Update, context: ContextTypes.DEFAULT_TYPE, tr: Translator, step: Step
) -> None:
    d = deps(context)
    text = render.question(tr, step)
    chat = update.effective_chat
    assert chat is not None
    if step == Step.NAME:
        user = update.effective_user
        markup = keyboards.use_telegram_name(tr, user.full_name[:40]) if user else None
        await send(update, context, text, markup)
    elif step == Step.CATEGORY:
        await send(update, context, text, keyboards.categories(d.config, tr))
    elif step == Step.PHONE:
        await context.bot.send_message(chat.id, text, reply_markup=keyboards.phone(tr))
    else:
        await send(update, context, text, keyboards.consent(tr))


async def _answer(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    step: Step,
    value: str | None,
) -> None:
    """Apply one answer and put the next question (or confirm the registration)."""
    d = deps(context)
    user = update.effective_user
    assert user is not None
    tr = await d.translator(user)
    query = update.callback_query
    try:
        async with d.db.transaction() as session:
            result = await signup.answer(
                session,
                telegram_id=user.id,
                step=step,
                value=value,
                categories=[c.key for c in d.config.categories],
                now=d.now(),
            )
    except DomainError as exc:
        if query is not None:
            await query.answer(render.error(tr, exc), show_alert=True)
        else:
            await send(update, context, render.error(tr, exc))
        return
    if query is not None:
        await query.answer()
    if step == Step.PHONE:
        chat = update.effective_chat
        assert chat is not None
        await context.bot.send_message(
            chat.id,
            render.phone_saved(tr, skipped=value is None),
            reply_markup=ReplyKeyboardRemove(),
        )
    if isinstance(result, signup.Declined):
        await send(update, context, render.declined(tr))
    elif isinstance(result, Outcome):
        await registered(update, context, result)
    else:
        await ask(update, context, tr, result.step)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typed text: an answer to the open question, or else a short help."""
    d = deps(context)
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.text is not None and user is not None
    async with d.db.session() as session:
        found = await signup.current(session, user.id)
    step = found[0] if found else None
    text = message.text[:TEXT_MAX]
    if step == Step.NAME:
        await _answer(update, context, Step.NAME, text)
    elif step == Step.PHONE:
        skip = {
            keyboards.skip_label(d.catalogs.get(lang)).casefold() for lang in d.catalogs.languages
        }
        value = None if text.strip().casefold() in skip else text
        await _answer(update, context, Step.PHONE, value)
    else:
        tr = await d.translator(user)
        if step is not None:
            await ask(update, context, tr, step)
        else:
            await send(update, context, render.help_text(tr), keyboards.main_menu(tr))


async def on_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared contact counts only if it is the person's own number."""
    d = deps(context)
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.contact is not None and user is not None
    async with d.db.session() as session:
        found = await signup.current(session, user.id)
    tr = await d.translator(user)
    if found is None or found[0] != Step.PHONE:
        await send(update, context, render.help_text(tr), keyboards.main_menu(tr))
        return
    if message.contact.user_id != user.id:
        await send(update, context, render.invalid_input(tr, "phone"))
        return
    await _answer(update, context, Step.PHONE, message.contact.phone_number)


async def on_use_telegram_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    assert user is not None
    await _answer(update, context, Step.NAME, user.full_name)


async def on_category(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert context.match is not None
    await _answer(update, context, Step.CATEGORY, context.match.group(1))


async def on_consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert context.match is not None
    await _answer(update, context, Step.CONSENT, "yes" if context.match.group(1) == "y" else "no")

"""The questions before a first registration: name, category, phone, consent.

Where the person is in this flow is stored in the database, so a restart (or
another bot process) goes on from the same question.
"""

from __future__ import annotations

from telegram import ReplyKeyboardRemove

from bot.domain.signup import Step
from bot.services import signup
from bot.services.registration import Outcome
from handlers import callbacks, keyboards, render
from handlers.cards import registered, series_registered
from handlers.common import Reply

TEXT_MAX = 300


async def ask(reply: Reply, step: Step) -> None:
    """Put the question: after a button, in place of the pressed message (one edit); the
    phone question is a new message, as only a new one can bring the contact keyboard."""
    tr, text = reply.tr, render.question(reply.tr, step)
    if step == Step.NAME:
        await reply.show(text, keyboards.use_telegram_name(tr, reply.user.full_name[:40]))
    elif step == Step.CATEGORY:
        await reply.show(text, keyboards.categories(reply.deps.config, tr))
    elif step == Step.PHONE:
        await reply.send(text, keyboards.phone(tr))
    else:
        await reply.show(text, keyboards.consent(tr))


async def report_unavailable(reply: Reply, result: signup.Unavailable) -> None:
    await reply.send(render.error(reply.tr, result.error), keyboards.main_menu(reply.tr))


async def _answer(reply: Reply, step: Step, value: str | None) -> None:
    """Apply one answer and put the next question (or confirm the registration)."""
    d = reply.deps
    result = await reply.write(
        signup.answer,
        telegram_id=reply.user.id,
        step=step,
        value=value,
        categories=[c.key for c in d.config.categories],
        default_reminders=d.config.reminders.before,
        now=d.now(),
        person_id=reply.visitor.person_id,
    )
    if step == Step.PHONE:
        await reply.send(render.phone_saved(reply.tr, skipped=value is None), ReplyKeyboardRemove())
    if isinstance(result, signup.Declined):
        await reply.show(render.declined(reply.tr))
    elif isinstance(result, signup.Unavailable):
        await report_unavailable(reply, result)
    elif isinstance(result, Outcome):
        await registered(reply, result)
    elif isinstance(result, signup.SeriesDone):
        await series_registered(reply, result.outcomes)
    else:
        await ask(reply, result.step)


async def on_text(reply: Reply, step: Step, text: str) -> None:
    """Typed text while a sign-up question is open (routed here by handlers/dialogs.py)."""
    text = text[:TEXT_MAX]
    if step == Step.NAME:
        await _answer(reply, Step.NAME, text)
    elif step == Step.PHONE:
        skipped = keyboards.is_skip(reply.deps.catalogs, text)
        await _answer(reply, Step.PHONE, None if skipped else text)
    else:
        await ask(reply, step)  # a button is expected: show it again


async def on_contact(reply: Reply) -> None:
    """A shared contact counts only if it is the person's own number."""
    message = reply.update.effective_message
    assert message is not None and message.contact is not None
    found = await reply.read(signup.current, reply.user.id)
    if found is None or found.step != Step.PHONE:
        await reply.send(render.help_text(reply.tr), keyboards.main_menu(reply.tr))
    elif message.contact.user_id != reply.user.id:
        await reply.send(render.invalid_input(reply.tr, "phone"))
    else:
        await _answer(reply, Step.PHONE, message.contact.phone_number)


@callbacks.USE_TELEGRAM_NAME.handles
async def on_use_telegram_name(reply: Reply) -> None:
    await _answer(reply, Step.NAME, reply.user.full_name)


@callbacks.CATEGORY.handles
async def on_category(reply: Reply, category: str) -> None:
    await _answer(reply, Step.CATEGORY, category)


@callbacks.CONSENT.handles
async def on_consent(reply: Reply, agreed: str) -> None:
    await _answer(reply, Step.CONSENT, "yes" if agreed == "y" else "no")

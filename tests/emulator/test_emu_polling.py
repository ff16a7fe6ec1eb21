"""A real PTB Application polling the emulator: commands, buttons, contacts, membership."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import telegram
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from emulator import BotApiEmulator
from emulator.updates import CONFLICT
from tests.waiting import until


@asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run an application the way tests must (run_polling owns the loop)."""
    await app.initialize()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def echo_app(emu: BotApiEmulator, member_events: list[str]) -> Application:  # type: ignore[type-arg]
    app = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(
            f"args={context.args}",
            reply_markup=InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton("Записатися", callback_data="signup:5")],
                    [InlineKeyboardButton("Сайт", url="https://example.org")],
                ]
            ),
        )

    async def share(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(
            "Поділіться номером",
            reply_markup=ReplyKeyboardMarkup(
                [[KeyboardButton("📱 Надіслати номер", request_contact=True)]],
                one_time_keyboard=True,
            ),
        )

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        if query.data != "signup:5":
            await query.answer("Кнопка застаріла", show_alert=True)
            return
        await query.answer("Записано")
        await query.edit_message_text(f"pressed {query.data}")

    async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.contact is not None
        own = update.message.contact.user_id == update.effective_user.id  # type: ignore[union-attr]
        await update.message.reply_text(
            f"phone {update.message.contact.phone_number} own={own}",
            reply_markup=ReplyKeyboardRemove(),
        )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(f"echo: {update.message.text}")

    async def member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.my_chat_member is not None
        change = update.my_chat_member
        member_events.append(f"{change.old_chat_member.status}->{change.new_chat_member.status}")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("share", share))
    app.add_handler(CallbackQueryHandler(button))
    app.add_handler(MessageHandler(filters.CONTACT, contact))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(ChatMemberHandler(member, ChatMemberHandler.MY_CHAT_MEMBER))
    return app


async def test_application_round_trip(emu: BotApiEmulator) -> None:
    member_events: list[str] = []
    olena = emu.add_user(first_name="Олена")
    async with polling(echo_app(emu, member_events)):
        await olena.send_command("/start event_5")
        card = await olena.next_reply(timeout=5)
        assert card.text == "args=['event_5']"
        assert card.button_texts == ["Записатися", "Сайт"]

        query_id = await olena.press(card, "Запис")
        answer = await olena.callback_answer(query_id, timeout=5)
        assert (answer.text, answer.show_alert) == ("Записано", False)
        edited = await olena.next_reply(timeout=5)
        assert (edited.message_id, edited.text, edited.buttons) == (
            card.message_id,
            "pressed signup:5",
            [],
        )

        forged = await olena.press_raw(card.message_id, "signup:999")
        assert (await olena.callback_answer(forged, timeout=5)).show_alert is True
        await olena.expect_silence(0.2)

        await olena.send_text("привіт")
        assert (await olena.next_reply(timeout=5)).text == "echo: привіт"

        await olena.send_command("/share")
        await olena.next_reply(timeout=5)
        shown = olena.reply_keyboard
        assert shown is not None
        await olena.press_keyboard("Надіслати номер")
        reply = await olena.next_reply(timeout=5)
        assert reply.text == f"phone {olena.phone_number} own=True"
        assert olena.reply_keyboard is None

        await olena.send_contact("+380671112233", first_name="Іван", own=False)
        assert (await olena.next_reply(timeout=5)).text == "phone +380671112233 own=False"

        await olena.block()
        await olena.unblock()
        await until(lambda: len(member_events) == 2, timeout=1)
        assert member_events == ["member->kicked", "kicked->member"]

    assert emu.pending_updates == []
    transcript = emu.format_transcript()
    assert "Олена: /start event_5" in transcript
    assert "[натискає «Записатися»]" in transcript
    assert "Бот → Олена: args=['event_5']\n    [Записатися]\n    [Сайт]" in transcript
    assert "[спливаюча відповідь: «Записано»]" in transcript
    assert "[блокує бота]" in transcript
    kinds = [(e.who, e.kind) for e in emu.transcript()][:3]
    assert kinds == [("Олена", "command"), ("bot", "message"), ("Олена", "press")]


async def test_get_updates_offsets_and_allowed_updates(
    bot: telegram.Bot, emu: BotApiEmulator
) -> None:
    user = emu.add_user()
    await user.send_text("one")
    await user.send_text("two")
    first = await bot.get_updates(limit=1)
    assert [u.message.text for u in first if u.message] == ["one"]
    again = await bot.get_updates()
    assert len(again) == 2  # not confirmed yet
    rest = await bot.get_updates(offset=first[0].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["two"]
    assert len(emu.pending_updates) == 1

    await user.block()
    only_messages = await bot.get_updates(
        offset=rest[-1].update_id + 1, allowed_updates=["message"]
    )
    assert only_messages == ()
    assert emu.pending_updates == []  # the my_chat_member update was never created


async def test_long_poll_waits_and_wakes(bot: telegram.Bot, emu: BotApiEmulator) -> None:
    user = emu.add_user()
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.3)) == ()
    assert loop.time() - started >= 0.25

    async def later() -> None:
        await asyncio.sleep(0.1)  # the stimulus: a message while the poll is waiting
        await user.send_text("wake up")

    task = asyncio.create_task(later())
    started = loop.time()
    updates = await bot.get_updates(timeout=5)
    await task
    assert [u.message.text for u in updates if u.message] == ["wake up"]
    assert loop.time() - started < 2


async def test_second_poller_terminates_the_first(bot: telegram.Bot, emu: BotApiEmulator) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await until(lambda: emu.requests_for("getUpdates"), what="the first poll to arrive")
    async with telegram.Bot(emu.token, base_url=emu.base_url) as other_instance:
        assert await other_instance.get_updates(timeout=dtm.timedelta(seconds=0.2)) == ()
    with pytest.raises(telegram.error.Conflict) as caught:
        await first
    assert caught.value.message == CONFLICT


async def test_drop_pending_updates(bot: telegram.Bot, emu: BotApiEmulator) -> None:
    await emu.add_user().send_text("old")
    await bot.delete_webhook(drop_pending_updates=True)
    assert emu.pending_updates == []

"""Simulated users: what their actions send and how tests observe the bot."""

from __future__ import annotations

import asyncio
import itertools

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from emulator import BotApiEmulator, SimUser


def markup(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(list(rows))


async def latest_update(bot: telegram.Bot) -> telegram.Update:
    updates = await bot.get_updates(offset=-1, timeout=1)
    return updates[-1]


async def test_users_get_ids_and_chats_open_on_first_message(emu: BotApiEmulator) -> None:
    first, second = emu.add_user(), emu.add_user(first_name="Іван", last_name="Франко")
    assert second.id == first.id + 1
    assert second.name == "Іван Франко"
    assert emu.users == [first, second]
    assert emu.user(first.id) is first
    assert not first.chat.started
    with pytest.raises(ValueError):
        emu.add_user(user_id=first.id)
    custom = emu.add_user(user_id=555)
    assert custom.user_id == custom.id == 555
    assert custom.chat_json() == {"id": 555, "type": "private", "first_name": "Олена"}


async def test_contacts_own_someone_elses_and_cards(bot: telegram.Bot, emu: BotApiEmulator) -> None:
    user, neighbour = emu.add_user(last_name="Коваль"), emu.add_user(first_name="Сусід")
    await user.send_contact("+380501234567")
    await user.send_contact("+380671112233", user_id=neighbour.id, first_name="Сусід")
    await user.send_contact("+380931112233", first_name="Бабуся", own=False)
    contacts = [u.message.contact for u in await bot.get_updates() if u.message]
    assert [(c.phone_number, c.user_id, c.last_name) for c in contacts if c] == [
        ("+380501234567", user.id, "Коваль"),
        ("+380671112233", neighbour.id, None),
        ("+380931112233", None, None),
    ]


async def test_command_and_text_entities(bot: telegram.Bot, emu: BotApiEmulator) -> None:
    user = emu.add_user(first_name="Олена", username="olena", language_code="uk")
    sent = await user.send_command("/start@hromada_test_bot подія_5")
    message = (await latest_update(bot)).message
    assert message is not None and message.message_id == sent["message_id"]
    assert message.from_user is not None and message.from_user.language_code == "uk"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 23)]

    await user.send_text("😀 see /help, not a/path")
    message = (await latest_update(bot)).message
    assert message is not None
    # The emoji is two UTF-16 code units, so /help starts at offset 7.
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 7, 5)]
    await user.send_text("just words")
    message = (await latest_update(bot)).message
    assert message is not None and message.entities == ()

    with pytest.raises(ValueError):
        await user.send_command("start")


async def test_next_reply_times_out_with_context(bot: telegram.Bot, resident: SimUser) -> None:
    await bot.send_message(resident.id, "Перше")
    assert (await resident.next_reply(timeout=0.5)).text == "Перше"
    with pytest.raises(TimeoutError) as caught:
        await resident.next_reply(timeout=0.05)
    assert "got no new bot message within 0.05s" in str(caught.value)
    assert "'Перше'" in str(caught.value)


async def test_next_reply_returns_snapshots_in_order(bot: telegram.Bot, resident: SimUser) -> None:
    sent = await bot.send_message(resident.id, "v1")
    await bot.edit_message_text("v2", chat_id=resident.id, message_id=sent.message_id)
    first, second = await resident.next_reply(0.5), await resident.next_reply(0.5)
    assert (first.text, first.edits) == ("v1", 0)
    assert (second.text, second.edits) == ("v2", 1)
    assert resident.messages[-1].text == "v2"

    await bot.send_message(resident.id, "unread")
    assert [a.message.text for a in resident.skip_pending()] == ["unread"]
    with pytest.raises(TimeoutError):
        await resident.next_reply(timeout=0.01)


async def test_expect_silence(bot: telegram.Bot, resident: SimUser) -> None:
    await bot.send_message(resident.id, "before")  # unread, but not new: does not count
    await resident.expect_silence(0.05)

    async def speak_soon() -> None:
        await asyncio.sleep(0.02)  # the stimulus: the bot speaks during the silence
        await bot.send_message(resident.id, "interruption")

    task = asyncio.create_task(speak_soon())
    started = asyncio.get_running_loop().time()
    with pytest.raises(AssertionError, match=r"expected silence.*interruption"):
        await resident.expect_silence(5)
    await task
    assert asyncio.get_running_loop().time() - started < 2  # fails as soon as the bot speaks


async def test_press_finds_buttons_and_refuses_what_is_not_there(
    bot: telegram.Bot, resident: SimUser
) -> None:
    sent = await bot.send_message(
        resident.id,
        "Оберіть",
        reply_markup=markup(
            [
                InlineKeyboardButton("Записатися на 12.03", callback_data="s:1"),
                InlineKeyboardButton("Записатися на 19.03", callback_data="s:2"),
            ],
            [InlineKeyboardButton("Сайт бібліотеки", url="https://example.org")],
        ),
    )
    message = await resident.next_reply(timeout=0.5)
    with pytest.raises(LookupError, match="matches several buttons"):
        await resident.press(message, "Записатися")
    with pytest.raises(LookupError, match="has no button 'Скасувати'"):
        await resident.press(message, "Скасувати")
    with pytest.raises(LookupError, match="opens a link"):
        await resident.press(message, "Сайт")
    query_id = await resident.press(message, callback_data="s:2")
    update = await latest_update(bot)
    assert update.callback_query is not None
    assert update.callback_query.id == query_id
    assert update.callback_query.data == "s:2"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == sent.message_id

    await bot.edit_message_reply_markup(resident.id, sent.message_id)  # keyboard removed
    with pytest.raises(LookupError, match="buttons: none"):
        await resident.press(message, "Записатися на 12.03")
    await bot.delete_message(resident.id, sent.message_id)
    with pytest.raises(LookupError, match="not in"):
        await resident.press(message, "Записатися на 12.03")

    forged = await resident.press_raw(sent.message_id, "s:999")
    update = await latest_update(bot)
    assert update.callback_query is not None and update.callback_query.id == forged
    # A deleted message arrives with date 0, which PTB reports as not accessible.
    assert update.callback_query.message is not None
    assert not update.callback_query.message.is_accessible


async def test_answer_callback_query_rules(bot: telegram.Bot, resident: SimUser) -> None:
    sent = await bot.send_message(
        resident.id, "?", reply_markup=markup([InlineKeyboardButton("Так", callback_data="y")])
    )
    query_id = await resident.press(await resident.next_reply(0.5), "Так")
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(query_id, text="x" * 201)
    with pytest.raises(TimeoutError, match="did not answer"):
        await resident.callback_answer(query_id, timeout=0.01)
    assert await bot.answer_callback_query(query_id, text="Готово", show_alert=True)
    answer = await resident.callback_answer(query_id)
    assert (answer.text, answer.show_alert) == ("Готово", True)
    assert (answer["text"], answer["show_alert"]) == ("Готово", True)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
        await bot.answer_callback_query("12345")
    with pytest.raises(LookupError):
        await resident.callback_answer("12345")
    assert sent.message_id


async def test_sending_after_blocking_unblocks(bot: telegram.Bot, resident: SimUser) -> None:
    await resident.block()
    was_blocked = resident.blocked
    await resident.send_text("I'm back")
    assert was_blocked
    assert not resident.blocked
    kinds = [u.to_dict().keys() - {"update_id"} for u in await bot.get_updates()]
    assert [next(iter(k)) for k in kinds][-3:] == ["my_chat_member", "my_chat_member", "message"]


async def test_transcript_covers_everything(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    await resident.send_text("Рядок 1\nРядок 2")
    sent = await bot.send_message(resident.id, "Відповідь")
    await bot.edit_message_text("Відповідь 2", chat_id=resident.id, message_id=sent.message_id)
    await bot.send_document(resident.id, b"a,b", filename="r.csv", caption="звіт")
    await bot.delete_message(resident.id, sent.message_id)
    await resident.send_document(b"x", "in.csv")
    await resident.send_contact()
    await resident.press_raw(sent.message_id, "forged")
    text = emu.format_transcript()
    assert text.splitlines() == [
        "Олена Коваль: /start",
        "Олена Коваль: Рядок 1",
        "    Рядок 2",
        "Бот → Олена Коваль: Відповідь",
        f"Бот → Олена Коваль (редагує #{sent.message_id}): Відповідь 2",
        "Бот → Олена Коваль: [файл r.csv] звіт",
        f"Бот → Олена Коваль: [видаляє повідомлення #{sent.message_id}]",
        "Олена Коваль: [надсилає файл in.csv]",
        f"Олена Коваль: [надсилає контакт {resident.phone_number}]",
        "Олена Коваль: [натискає кнопку з даними «forged»]",
    ]
    entries = emu.transcript()
    assert [e.who for e in entries[2:4]] == ["bot", "bot"]
    assert all(a.time <= b.time for a, b in itertools.pairwise(entries))


async def test_forwarded_messages_name_their_origin_or_only_a_hidden_name(
    bot: telegram.Bot, emu: BotApiEmulator
) -> None:
    admin = emu.add_user(first_name="Адміністраторка")
    colleague = emu.add_user(first_name="Марія", last_name="Шевчук", language_code="uk")
    await admin.send_forward(colleague, "Я готова допомагати", date=1_700_000_000)
    await admin.send_forward("Прихована Особа", "див. /help")
    first, second = [u.message for u in await bot.get_updates()]
    assert first is not None and second is not None
    assert first.from_user is not None and first.from_user.id == admin.id
    assert first.text == "Я готова допомагати"
    origin = first.forward_origin
    assert isinstance(origin, telegram.MessageOriginUser)
    assert (origin.sender_user.id, origin.sender_user.full_name) == (colleague.id, "Марія Шевчук")
    assert origin.date.timestamp() == 1_700_000_000
    hidden = second.forward_origin
    assert isinstance(hidden, telegram.MessageOriginHiddenUser)
    assert hidden.sender_user_name == "Прихована Особа"
    assert [(e.type, e.offset) for e in second.entities] == [("bot_command", 5)]
    assert "[пересилає повідомлення від Марія Шевчук] Я готова допомагати" in (
        emu.format_transcript()
    )

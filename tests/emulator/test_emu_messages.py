"""Sending, editing and deleting messages through the real PTB client, and Telegram's refusals."""

from __future__ import annotations

import pytest
import telegram
from telegram import (
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from emulator import BotApiEmulator, SimUser


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in buttons])


def assert_bad_request(caught: pytest.ExceptionInfo[BadRequest], expected: str) -> None:
    # PTB strips "Bad Request: " and capitalises the rest, so compare case-insensitively.
    assert expected.lower() in caught.value.message.lower()


async def test_send_message_returns_a_real_message(
    bot: telegram.Bot, resident: SimUser, emu: BotApiEmulator
) -> None:
    sent = await bot.send_message(
        resident.id,
        "<b>Тренінг</b> «Цифрова грамотність» &amp; кава",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(("Записатися", "signup:5")),
    )
    assert sent.text == "Тренінг «Цифрова грамотність» & кава"
    assert sent.entities[0].type == "bold"
    assert (sent.entities[0].offset, sent.entities[0].length) == (0, 7)
    assert sent.chat.id == resident.id
    assert sent.chat.type == "private"
    assert sent.from_user is not None and sent.from_user.id == emu.bot_user["id"]
    assert sent.reply_markup == keyboard(("Записатися", "signup:5"))

    seen = await resident.next_reply(timeout=1)
    assert seen.message_id == sent.message_id
    assert seen.html.startswith("<b>Тренінг</b>")
    assert seen.text == sent.text
    assert seen.button_texts == ["Записатися"]
    assert seen.buttons[0][0].callback_data == "signup:5"
    assert resident.last_message is not None
    assert resident.last_message.message_id == sent.message_id


async def test_without_parse_mode_text_is_taken_as_is(bot: telegram.Bot, resident: SimUser) -> None:
    sent = await bot.send_message(resident.id, "a <b> & c")
    assert sent.text == "a <b> & c"
    assert sent.entities == ()


async def test_unknown_chat_is_refused(bot: telegram.Bot, emu: BotApiEmulator) -> None:
    stranger = emu.add_user(first_name="Петро")
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(stranger.id, "hello")
    assert_bad_request(caught, "chat not found")
    with pytest.raises(BadRequest):
        await bot.send_message("@someone", "hello")


async def test_blocked_user_gives_forbidden(bot: telegram.Bot, resident: SimUser) -> None:
    await resident.block()
    with pytest.raises(Forbidden) as caught:
        await bot.send_message(resident.id, "hello")
    assert caught.value.message == "Forbidden: bot was blocked by the user"
    with pytest.raises(Forbidden):
        await bot.send_chat_action(resident.id, "typing")
    await resident.unblock()
    await bot.send_message(resident.id, "welcome back")


@pytest.mark.parametrize(
    ("text", "parse_mode", "reason"),
    [
        ("", None, "message text is empty"),
        ("   \n ", None, "message text is empty"),
        ("<b></b>", ParseMode.HTML, "message text is empty"),
        ("<br>", ParseMode.HTML, 'can\'t parse entities: Unsupported start tag "br"'),
        ("Tom & Jerry", ParseMode.HTML, "can't parse entities: Unescaped"),
        ("<b>x", ParseMode.HTML, "can't parse entities: Can't find end tag"),
        ("*x*", ParseMode.MARKDOWN_V2, "unsupported parse mode in emulator"),
    ],
)
async def test_text_refusals(
    bot: telegram.Bot, resident: SimUser, text: str, parse_mode: str | None, reason: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(resident.id, text, parse_mode=parse_mode)
    assert_bad_request(caught, reason)


async def test_length_limit_counts_text_after_parsing(bot: telegram.Bot, resident: SimUser) -> None:
    # 4096 Cyrillic letters inside tags: the markup is longer, the text is exactly at the limit.
    fits = "<b>" + "ї" * 4000 + "</b>" + "&amp;" * 96
    sent = await bot.send_message(resident.id, fits, parse_mode=ParseMode.HTML)
    assert sent.text is not None
    assert len(sent.text) == 4096
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(resident.id, "<i>" + "ї" * 4097 + "</i>", parse_mode="HTML")
    assert_bad_request(caught, "message is too long")
    with pytest.raises(BadRequest):
        await bot.send_message(resident.id, "x" * 4097)
    # Characters, not UTF-16 units: 4096 emoji are accepted.
    await bot.send_message(resident.id, "😀" * 4096)


async def test_callback_data_limit_is_64_bytes(bot: telegram.Bot, resident: SimUser) -> None:
    await bot.send_message(resident.id, "ok", reply_markup=keyboard(("Так", "з" * 32)))
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(resident.id, "too long", reply_markup=keyboard(("Так", "з" * 33)))
    assert_bad_request(caught, "BUTTON_DATA_INVALID")
    with pytest.raises(BadRequest):
        await bot.send_message(resident.id, "empty", reply_markup=keyboard(("Так", "")))


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("{not json", "can't parse reply keyboard markup JSON object"),
        ('{"inline_keyboard": [{"text": "a"}]}', "should be an Array of Arrays"),
        ('{"inline_keyboard": [[{"text": "a"}]]}', "Text buttons are unallowed"),
        (
            '{"inline_keyboard": [[{"text": "a", "callback_data": "x", "url": "https://a.b"}]]}',
            "exactly one of the optional fields",
        ),
        ('{"inline_keyboard": [[{"text": "", "callback_data": "x"}]]}', "BUTTON_TEXT_INVALID"),
        ('{"inline_keyboard": [[{"text": "a", "url": "ftp://x"}]]}', "is invalid"),
        ('{"keyboard": []}', "keyboard must be non-empty"),
        ('{"remove_keyboard": false}', "remove_keyboard"),
        ('{"something": 1}', "object expected as reply markup"),
    ],
)
async def test_reply_markup_refusals(
    bot: telegram.Bot, resident: SimUser, markup: str, reason: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(resident.id, "x", api_kwargs={"reply_markup": markup})
    assert_bad_request(caught, reason)


async def test_reply_keyboard_and_removal(bot: telegram.Bot, resident: SimUser) -> None:
    await bot.send_message(
        resident.id,
        "Поділіться номером",
        reply_markup=ReplyKeyboardMarkup(
            [[KeyboardButton("Надіслати номер", request_contact=True)], ["Скасувати"]],
            resize_keyboard=True,
            one_time_keyboard=True,
        ),
    )
    shown = resident.reply_keyboard
    assert shown == [
        [{"text": "Надіслати номер", "request_contact": True}],
        [{"text": "Скасувати"}],
    ]
    message = await resident.next_reply(timeout=1)
    assert message.reply_keyboard is not None
    assert message.buttons == []
    await bot.send_message(resident.id, "Дякуємо", reply_markup=ReplyKeyboardRemove())
    assert resident.reply_keyboard is None
    await bot.send_message(resident.id, "Ваше ім'я?", reply_markup=ForceReply())


async def test_link_preview_and_reply_parameters(bot: telegram.Bot, resident: SimUser) -> None:
    first = await bot.send_message(
        resident.id,
        "https://example.org",
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    reply = await bot.send_message(
        resident.id, "a reply", reply_parameters=ReplyParameters(first.message_id)
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == first.message_id
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(resident.id, "x", reply_parameters=ReplyParameters(999))
    assert_bad_request(caught, "message to be replied not found")
    await bot.send_message(
        resident.id,
        "x",
        reply_parameters=ReplyParameters(999, allow_sending_without_reply=True),
    )


async def test_edit_text_and_markup(bot: telegram.Bot, resident: SimUser) -> None:
    sent = await bot.send_message(
        resident.id, "Місць: 3", reply_markup=keyboard(("Записатися", "s:1"))
    )
    await resident.next_reply(timeout=1)

    edited = await bot.edit_message_text(
        "Місць: 2",
        chat_id=resident.id,
        message_id=sent.message_id,
        reply_markup=keyboard(("Записатися", "s:1")),
    )
    assert isinstance(edited, telegram.Message)
    assert edited.text == "Місць: 2"
    assert edited.edit_date is not None
    seen = await resident.next_reply(timeout=1)
    assert (seen.message_id, seen.text, seen.edits) == (sent.message_id, "Місць: 2", 1)

    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_text(
            "Місць: 2",
            chat_id=resident.id,
            message_id=sent.message_id,
            reply_markup=keyboard(("Записатися", "s:1")),
        )
    assert_bad_request(caught, "message is not modified: specified new message content")

    # Same text without reply_markup removes the keyboard, which is a modification.
    await bot.edit_message_text("Місць: 2", chat_id=resident.id, message_id=sent.message_id)
    assert resident.messages[-1].buttons == []

    await bot.edit_message_reply_markup(
        chat_id=resident.id, message_id=sent.message_id, reply_markup=keyboard(("Так", "y"))
    )
    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_reply_markup(
            chat_id=resident.id, message_id=sent.message_id, reply_markup=keyboard(("Так", "y"))
        )
    assert_bad_request(caught, "message is not modified")
    assert resident.messages[-1].edits == 3

    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_text("x", chat_id=resident.id, message_id=4242)
    assert_bad_request(caught, "message to edit not found")


async def test_delete_message(bot: telegram.Bot, resident: SimUser) -> None:
    sent = await bot.send_message(resident.id, "temporary")
    assert await bot.delete_message(resident.id, sent.message_id)
    assert all(m.message_id != sent.message_id for m in resident.messages)
    with pytest.raises(BadRequest) as caught:
        await bot.delete_message(resident.id, sent.message_id)
    assert_bad_request(caught, "message to delete not found")
    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_text("x", chat_id=resident.id, message_id=sent.message_id)
    assert_bad_request(caught, "message to edit not found")
    # next_reply skips the deletion; next_action shows it.
    assert (await resident.next_reply(timeout=1)).text == "temporary"
    action = await resident.next_action(timeout=1)
    assert (action.kind, action.message.deleted) == ("delete", True)


async def test_get_chat_and_chat_action(bot: telegram.Bot, resident: SimUser) -> None:
    chat = await bot.get_chat(resident.id)
    assert (chat.id, chat.type, chat.first_name, chat.username) == (
        resident.id,
        "private",
        "Олена",
        "olena_k",
    )
    assert await bot.send_chat_action(resident.id, "upload_document")
    assert resident.chat_actions == ["upload_document"]
    with pytest.raises(BadRequest):
        await bot.send_chat_action(resident.id, "dancing")

"""The HTTP layer: tokens, method names, parameter encodings, settings methods."""

from __future__ import annotations

import httpx
import pytest
import telegram
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    MenuButtonCommands,
)
from telegram.error import BadRequest, Conflict, InvalidToken

from emulator import BotApiEmulator, SimUser


async def test_start_stop_and_urls() -> None:
    emu = BotApiEmulator(token="42:abc", bot_username="other_bot")
    with pytest.raises(RuntimeError):
        _ = emu.base_url
    await emu.start()
    try:
        assert emu.base_url == f"http://127.0.0.1:{emu.port}/bot"
        assert emu.base_file_url == f"http://127.0.0.1:{emu.port}/file/bot"
        async with telegram.Bot("42:abc", base_url=emu.base_url) as client:
            assert client.bot.id == 42
            assert client.bot.username == "other_bot"
    finally:
        await emu.stop()
    await emu.stop()  # idempotent


async def test_wrong_token_is_unauthorized(emu: BotApiEmulator) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{emu.base_url}999:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken):
        async with telegram.Bot("999:WRONG", base_url=emu.base_url):
            pass


async def test_unknown_method_and_path(emu: BotApiEmulator) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{emu.base_url}{emu.token}/sendTelepathy")
        assert response.status_code == 404
        assert response.json()["description"] == "Not Found"
        response = await http.get(f"http://127.0.0.1:{emu.port}/nothing/here")
        assert response.status_code == 404


async def test_method_names_are_case_insensitive_and_encodings_all_work(
    emu: BotApiEmulator, resident: SimUser
) -> None:
    url = f"{emu.base_url}{emu.token}"
    async with httpx.AsyncClient() as http:
        by_query = await http.get(
            f"{url}/SENDMESSAGE", params={"chat_id": resident.id, "text": "q"}
        )
        by_json = await http.post(
            f"{url}/sendmessage",
            json={
                "chat_id": resident.id,
                "text": "<b>j</b>",
                "parse_mode": "HTML",
                "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
            },
        )
        by_form = await http.post(f"{url}/sendMessage", data={"chat_id": resident.id, "text": "f"})
        by_multipart = await http.post(
            f"{url}/sendMessage",
            data={"chat_id": str(resident.id), "text": "m"},
            files={"unused": ("x.txt", b"x", "text/plain")},
        )
        bad_json = await http.post(
            f"{url}/sendMessage",
            content=b"{oops",
            headers={"Content-Type": "application/json"},
        )
    for response in (by_query, by_json, by_form, by_multipart):
        assert response.status_code == 200, response.text
        assert response.json()["ok"] is True
    assert by_json.json()["result"]["entities"] == [{"type": "bold", "offset": 0, "length": 1}]
    assert bad_json.status_code == 400
    assert [m.text for m in resident.messages] == ["q", "j", "f", "m"]
    assert [r.method for r in emu.requests_for("sendmessage")] == ["sendMessage"] * 5


async def test_requests_are_recorded_without_files(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    await bot.send_document(resident.id, b"data", filename="a.txt", caption="c")
    recorded = emu.requests_for("sendDocument")[-1]
    assert recorded.params == {"chat_id": str(resident.id), "caption": "c"}
    assert emu.requests[0].method == "getMe"
    times = [r.time for r in emu.requests]
    assert times == sorted(times)


async def test_commands_per_scope_and_language(bot: telegram.Bot, emu: BotApiEmulator) -> None:
    await bot.set_my_commands([BotCommand("start", "Почати"), BotCommand("my_events", "Мої")])
    await bot.set_my_commands(
        [BotCommand("start", "Start")], scope=BotCommandScopeAllPrivateChats(), language_code="en"
    )
    assert [c.command for c in await bot.get_my_commands()] == ["start", "my_events"]
    english = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="en")
    assert [(c.command, c.description) for c in english] == [("start", "Start")]
    assert await bot.get_my_commands(language_code="en") == ()
    assert emu.commands() == [
        {"command": "start", "description": "Почати"},
        {"command": "my_events", "description": "Мої"},
    ]
    assert emu.commands({"type": "all_private_chats"}, "en")[0]["command"] == "start"
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()

    chat = emu.add_user()
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):  # never opened the bot
        await bot.set_my_commands([BotCommand("staff", "S")], scope=BotCommandScopeChat(chat.id))
    await chat.send_command("/start")
    await bot.set_my_commands([BotCommand("staff", "S")], scope=BotCommandScopeChat(chat.id))
    assert emu.commands({"type": "chat", "chat_id": chat.id})[0]["command"] == "staff"
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(chat.id))] == [
        "staff"
    ]
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat.id))
    assert emu.commands({"type": "chat", "chat_id": chat.id}) == []

    for bad in (BotCommand("Start", "x"), BotCommand("with-dash", "x"), BotCommand("a" * 33, "x")):
        with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
            await bot.set_my_commands([bad])
    for description in ("", "x" * 257):
        with pytest.raises(BadRequest, match=r"(?i)description_invalid"):
            await bot.set_my_commands([BotCommand("start", description)])


async def test_menu_button_descriptions_and_webhook(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    assert await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    assert emu.menu_button() == {"type": "commands"}
    assert isinstance(await bot.get_chat_menu_button(), MenuButtonCommands)
    await bot.set_chat_menu_button(chat_id=resident.id, menu_button=MenuButtonCommands())
    with pytest.raises(BadRequest):
        await bot.set_chat_menu_button(chat_id=777, menu_button=MenuButtonCommands())

    await bot.set_my_description("Бібліотека", language_code="uk")
    assert (await bot.get_my_description(language_code="uk")).description == "Бібліотека"
    await bot.set_my_short_description("Тренінги")
    assert (await bot.get_my_short_description()).short_description == "Тренінги"

    with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
        await bot.set_webhook("http://example.org/hook")
    await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
    info = await bot.get_webhook_info()
    assert info.url == emu.webhook_url == "https://example.org/hook"
    with pytest.raises(Conflict):
        await bot.get_updates()
    await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() != ()  # the resident's /start is still pending

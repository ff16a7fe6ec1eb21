"""Webhook mode in one process: the real bot behind its aiohttp server, the emulator posting
updates to it as Telegram does, and requests a stranger could send."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot import webhook
from bot.app import build_application
from bot.config import Config
from emulator import BotApiEmulator, SimUser
from storage.database import Database
from storage.models import Person
from tests.waiting import until

SECRET = "s3cret-for-the-webhook-test_0123456789"
PATH = "/hromada/telegram"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Hooked:
    def __init__(self, app: Application, server: webhook.WebhookServer) -> None:  # type: ignore[type-arg]
        self.app = app
        self.server = server

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}{PATH}"

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/healthz"


@pytest.fixture
async def hooked(bot_config: Config, emu: BotApiEmulator, db: Database) -> AsyncIterator[Hooked]:
    emu.state.local_webhooks = True
    app = build_application(bot_config, token=emu.token, db=db)
    port = free_port()
    listener = webhook.Listener(path=PATH, secret=SECRET, port=port)
    server = await webhook.start(app, listener, url=f"http://127.0.0.1:{port}{PATH}")
    yield Hooked(app, server)
    await webhook.stop(app, server)


def english_please(update_id: int, user: SimUser, query_id: str) -> dict[str, Any]:
    """What Telegram posts when someone taps «English» (which the bot stores)."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": query_id,
            "from": user.to_json(),
            "message": {"message_id": 1, "chat": user.chat_json(), "date": 1_800_000_000},
            "chat_instance": "1",
            "data": "lang:en",
        },
    }


async def post(url: str, body: bytes, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[webhook.SECRET_HEADER] = secret
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as r:
        return r.status


async def languages(db: Database, telegram_id: int) -> list[str | None]:
    async with db.session() as session:
        found = select(Person.language).where(Person.telegram_id == telegram_id)
        return list((await session.execute(found)).scalars())


async def test_telegram_posts_updates_with_the_secret_and_the_bot_answers(
    emu: BotApiEmulator, hooked: Hooked
) -> None:
    hook = emu.state.webhook
    assert hook is not None
    assert (hook.url, hook.secret_token) == (hooked.url, SECRET)
    assert hook.allowed_updates == ["message", "callback_query", "my_chat_member"]
    resident = emu.add_user(first_name="Оксана")
    await resident.send_command("/start")
    card = await resident.next_reply()
    await resident.press(card, text=card.buttons[0][0].text)
    await resident.next_reply()
    assert [d.status for d in emu.webhook_deliveries] == [200, 200]
    # Not through getUpdates: nobody polls while the webhook is set.
    assert emu.requests_for("getUpdates") == []


async def test_a_wrong_or_missing_secret_is_403_and_nothing_is_handled(
    emu: BotApiEmulator, db: Database, hooked: Hooked
) -> None:
    stranger = emu.add_user(first_name="Незнайомка")
    stranger.chat.started = True  # the bot may write to her, if it took the update
    query = emu.state.new_query(stranger.user_id)
    body = json.dumps(english_please(9001, stranger, query.query_id)).encode()
    requests = len(emu.requests)
    assert await post(hooked.url, body, None) == 403
    assert await post(hooked.url, body, "") == 403
    assert await post(hooked.url, body, SECRET[:-1]) == 403
    assert await post(hooked.url, body, SECRET + "x") == 403
    assert await post(hooked.url, b"not json", "wrong") == 403  # the secret comes first
    await stranger.expect_silence(1.0)
    assert await languages(db, stranger.user_id) == []
    assert hooked.app.update_queue.empty()
    # The bot asked Telegram nothing about her either (its own start-up calls aside).
    about_her = [
        r
        for r in emu.requests[requests:]
        if r.params.get("chat_id") == str(stranger.user_id) or r.method == "answerCallbackQuery"
    ]
    assert about_her == []

    # The same request with the right secret is handled: it was the secret that stopped it.
    assert await post(hooked.url, body, SECRET) == 200
    assert (await stranger.callback_answer(query.query_id)) is not None
    assert await until(lambda: languages(db, stranger.user_id)) == ["en"]


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b""])
async def test_a_body_that_is_no_update_is_400(hooked: Hooked, body: bytes) -> None:
    assert await post(hooked.url, body, SECRET) == 400
    assert hooked.app.update_queue.empty()


async def test_healthz_answers_200_while_the_database_answers(hooked: Hooked) -> None:
    async with aiohttp.ClientSession() as http, http.get(hooked.health_url) as response:
        assert (response.status, await response.text()) == (200, "ok\n")
    # Only the update path and /healthz are served.
    async with aiohttp.ClientSession() as http, http.get(hooked.url) as response:
        assert response.status == 405


async def test_healthz_is_503_when_the_database_does_not_answer(
    bot_config: Config, emu: BotApiEmulator
) -> None:
    # Nothing listens on port 1: the database "is down".
    down = Database("postgresql+asyncpg://hromada:pw@127.0.0.1:1/hromada")
    app = build_application(bot_config, token=emu.token, db=down)
    listener = webhook.Listener(path=PATH, secret=SECRET)
    try:
        async with webhook.WebhookServer(app, listener) as server:
            url = f"http://127.0.0.1:{server.port}/healthz"
            async with aiohttp.ClientSession() as http, http.get(url) as response:
                text = await response.text()
    finally:
        await down.dispose()
    assert (response.status, text) == (503, "database does not answer\n")

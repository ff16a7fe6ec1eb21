"""The emulator as Telegram with a webhook set: updates posted to the URL with the secret,
in order, retried until the bot answers 2xx; none kept for getUpdates."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
import telegram
from aiohttp import web
from telegram.error import BadRequest

from emulator import BotApiEmulator, WebhookDelivery
from tests.waiting import until


class Receiver:
    """A webhook that answers 500 to the first ``failures`` posts, then 200."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.posts: list[tuple[str | None, dict[str, Any]]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.posts.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        if len(self.posts) <= self.failures:
            return web.Response(status=500)
        return web.Response(text="ok")


@pytest.fixture
def port() -> int:
    """A port nobody listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def serve(receiver: Receiver, port: int) -> web.AppRunner:
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


async def test_updates_are_posted_in_order_with_the_secret_and_retried_until_2xx(
    emu: BotApiEmulator, bot: telegram.Bot, port: int
) -> None:
    emu.state.local_webhooks = True
    receiver = Receiver(failures=2)
    runner = await serve(receiver, port)
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret_token")
        user = emu.add_user(first_name="Оксана")
        await user.send_command("/start")
        await user.send_text("Добрий день")
        await until(lambda: len(receiver.posts) == 4, what="two updates, the first after 2 fails")
        await asyncio.sleep(0.2)  # nothing more comes: both were answered 200
    finally:
        await runner.cleanup()
    assert [secret for secret, _ in receiver.posts] == ["s3cret_token"] * 4
    ids = [update["update_id"] for _, update in receiver.posts]
    assert ids == [ids[0], ids[0], ids[0], ids[0] + 1]
    assert receiver.posts[3][1]["message"]["text"] == "Добрий день"
    assert emu.webhook_deliveries == [
        WebhookDelivery(ids[0], 500),
        WebhookDelivery(ids[0], 500),
        WebhookDelivery(ids[0], 200),
        WebhookDelivery(ids[0] + 1, 200),
    ]
    assert emu.pending_updates in ([], [receiver.posts[3][1]])  # the last one confirmed lazily


async def test_a_webhook_nobody_listens_on_is_retried_and_a_plain_http_url_is_refused(
    emu: BotApiEmulator, bot: telegram.Bot, port: int
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook")  # Telegram's rule by default
    emu.state.local_webhooks = True
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook")
    user = emu.add_user(first_name="Оксана")
    await user.send_command("/start")
    await until(lambda: len(emu.webhook_deliveries) >= 2, what="two attempts")
    assert {d.status for d in emu.webhook_deliveries} == {None}
    receiver = Receiver(failures=0)
    runner = await serve(receiver, port)  # the bot comes up: the update arrives
    try:
        await until(lambda: receiver.posts, timeout=5, what="the update delivered")
    finally:
        await runner.cleanup()
    assert receiver.posts[0][0] is None  # no secret was set, none is sent
    assert receiver.posts[0][1]["message"]["text"] == "/start"

"""Webhook mode: a small aiohttp server Telegram posts updates to (PTB's "custom webhook").

Each update is checked for the secret Telegram sends in ``X-Telegram-Bot-Api-Secret-Token``
(a wrong or missing one is 403 and nothing is read further), parsed, put on the
application's update queue and answered 200 at once; the handlers run as with long
polling. ``GET /healthz`` answers 200 while the database does, 503 otherwise.

Every process keeps its state in the database (sign-up answers, staff forms, the
outbox), so several of them behind one load balancer continue each other's
conversations, and the outbox's claims send every message once.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
import socket
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import HEALTH_PATH
from bot.deps import Deps
from storage.status import database_answers

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header's name
HEALTH_TIMEOUT = 5.0
MAX_UPDATE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Listener:
    """Where this process listens, and what Telegram must present."""

    path: str
    secret: str
    host: str = "127.0.0.1"
    port: int = 0
    """0: any free port (tests); see :attr:`WebhookServer.port`."""


class WebhookServer:
    """The HTTP side of webhook mode, for an application that is already initialised."""

    def __init__(self, app: Application, listener: Listener) -> None:  # type: ignore[type-arg]
        self._app = app
        self._listener = listener
        self._secret = listener.secret.encode()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    @property
    def port(self) -> int:
        """The bound port (after :meth:`start`)."""
        if self._port is None:
            raise RuntimeError("the webhook server is not running")
        return self._port

    async def start(self) -> None:
        """Listen; a port taken or an unknown address raises ``OSError``."""
        web_app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        web_app.router.add_post(self._listener.path, self._on_update)
        web_app.router.add_get(HEALTH_PATH, self._on_health)
        runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self._listener.host, self._listener.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        server = site._server  # aiohttp exposes the bound port only here
        sockets: list[socket.socket] = list(getattr(server, "sockets", None) or [])
        self._port = int(sockets[0].getsockname()[1]) if sockets else self._listener.port
        self._runner = runner

    async def stop(self) -> None:
        """Stop accepting; requests in progress are finished first."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _on_update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        # Compared in constant time, so the secret cannot be guessed a character at a time.
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=403, text="forbidden")
        try:
            data = json.loads(await request.read())
            if not isinstance(data, dict):
                raise ValueError("not an object")
            update = Update.de_json(data, self._app.bot)
        except Exception:  # whatever the body is, it is not an update
            log.warning("webhook: a request with the right secret but no update in it")
            return web.Response(status=400, text="bad update")
        await self._app.update_queue.put(update)
        return web.Response(text="ok")

    async def _on_health(self, request: web.Request) -> web.Response:
        deps: Deps = self._app.bot_data["deps"]
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT), deps.db.session() as session:
                await database_answers(session)
        except Exception as exc:  # any failure means "not healthy"
            log.warning("health check: the database does not answer (%s)", type(exc).__name__)
            return web.Response(status=503, text="database does not answer\n")
        return web.Response(text="ok\n")


async def start(app: Application, listener: Listener, *, url: str) -> WebhookServer:  # type: ignore[type-arg]
    """Initialise the application, listen, then tell Telegram where to post (in that
    order, so the first update finds someone listening). Every instance calls
    ``setWebhook`` with the same values at its start: Telegram keeps one URL per bot,
    and setting it again changes nothing."""
    from bot.app import ALLOWED_UPDATES  # noqa: PLC0415 - bot.app brings every handler

    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    server = WebhookServer(app, listener)
    try:
        await server.start()
        await app.bot.set_webhook(
            url, secret_token=listener.secret, allowed_updates=ALLOWED_UPDATES
        )
    except BaseException:
        await stop(app, server)
        raise
    log.info("listening on %s:%s%s", listener.host, server.port, listener.path)
    return server


async def stop(app: Application, server: WebhookServer) -> None:  # type: ignore[type-arg]
    """Stop taking updates, handle those already taken, shut down. The webhook stays set:
    another instance may still be serving it."""
    await server.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


async def serve(app: Application, listener: Listener, *, url: str) -> None:  # type: ignore[type-arg]
    """Run until SIGTERM or SIGINT."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stopping.set)
    server = await start(app, listener, url=url)
    try:
        await stopping.wait()
    finally:
        log.info("stopping")
        await stop(app, server)

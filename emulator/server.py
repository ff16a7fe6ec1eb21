"""The HTTP side: an aiohttp server on 127.0.0.1 that speaks the Bot API to the real bot.

The bot under test is built with ``base_url``/``base_file_url`` pointing here and its real
``HTTPXRequest``, so requests, encodings, error mapping and long polling all go the real way.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
from functools import partial
from types import TracebackType
from typing import Any, NamedTuple, Self
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from emulator.channels import SimChannel
from emulator.errors import ApiError, bad_request
from emulator.files import StoredFile
from emulator.limits import FaultInjector, Outage, RateLimiter
from emulator.methods import METHODS
from emulator.params import Params, UploadedFile
from emulator.state import BotState
from emulator.transcript import TranscriptEntry
from emulator.users import SimUser

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
MAX_BODY = 64 * 1024 * 1024
WEBHOOK_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header's name
WEBHOOK_TIMEOUT = 10.0
WEBHOOK_RETRY_FIRST = 0.05
WEBHOOK_RETRY_MAX = 1.0
_dumps = partial(json.dumps, ensure_ascii=False)


class RecordedRequest(NamedTuple):
    """One request as received: monotonic time, method name, parameters without files."""

    time: float
    method: str
    params: dict[str, Any]


def _is_local(url: str) -> bool:
    return urlsplit(url).hostname in ("127.0.0.1", "localhost")


def _error_response(error: ApiError) -> web.Response:
    return web.json_response(error.to_json(), status=error.status, dumps=_dumps)


async def _read_params(request: web.Request) -> Params:
    """Merge query string and body (form, multipart or JSON) into ``Params``."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise bad_request("JSON request body must be an Object")
            values.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = UploadedFile(value.file.read(), value.filename, value.content_type)
                else:
                    values[key] = value if isinstance(value, str) else value.decode()
    return Params(values, files)


class WebhookDelivery(NamedTuple):
    """One attempt to post an update to the webhook: its id and the HTTP status (``None``:
    no answer, e.g. the connection was refused)."""

    update_id: int
    status: int | None


class BotApiEmulator:
    """A local, strict Telegram Bot API server with simulated users.

    Use as ``async with BotApiEmulator() as emu:`` and build the bot with
    ``.base_url(emu.base_url).base_file_url(emu.base_file_url)``.

    While a webhook is set, updates are not kept for ``getUpdates`` but posted to its URL
    as Telegram does: a JSON body, the secret in ``X-Telegram-Bot-Api-Secret-Token``, one
    update at a time in order, the next only after a 2xx answer; any other answer (or none)
    is retried after a pause that doubles up to a second (Telegram waits longer).
    ``local_webhooks=True`` accepts ``http://127.0.0.1:PORT/…`` URLs. Only URLs on this
    machine are called: updates for any other webhook wait, unsent.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",  # noqa: S107 - a fake token for tests
        bot_username: str = "hromada_test_bot",
        bot_id: int | None = None,
        *,
        bot_first_name: str = "Hromada Test Bot",
        local_webhooks: bool = False,
    ) -> None:
        if bot_id is None:
            prefix = token.split(":", 1)[0]
            bot_id = int(prefix) if prefix.isdigit() else 100_000
        self.state = BotState(token, bot_id, bot_username, bot_first_name)
        self.state.local_webhooks = local_webhooks
        self.requests: list[RecordedRequest] = []
        self.webhook_deliveries: list[WebhookDelivery] = []
        self._delivery: asyncio.Task[None] | None = None
        self.internal_errors: list[BaseException] = []
        self._faults = FaultInjector()
        self._rates = RateLimiter()
        self._outage: Outage | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((HOST, 0))
            site = web.SockSite(runner, sock)
            await site.start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._port = int(sock.getsockname()[1])
        self._runner = runner
        self._delivery = asyncio.create_task(self._deliver_to_webhook(), name="emulator webhook")

    async def stop(self) -> None:
        """Release waiting long polls and shut the server down."""
        if self._runner is None:
            return
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
            self._delivery = None
        await self.state.updates.close()
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

    # --- addresses and identity --------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (after ``start``)."""
        if self._port is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url``; PTB appends the token."""
        return f"http://{HOST}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url``; PTB appends the token."""
        return f"http://{HOST}:{self.port}/file/bot"

    @property
    def token(self) -> str:
        """The only token this server accepts."""
        return self.state.token

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot's ``User`` object, as ``getMe`` returns it."""
        return dict(self.state.bot_user)

    # --- users ---------------------------------------------------------------------------------

    def add_user(
        self,
        first_name: str = "Олена",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "uk",
        user_id: int | None = None,
    ) -> SimUser:
        """A new simulated user (ids are assigned if not given)."""
        return self.state.add_user(first_name, last_name, username, language_code, user_id)

    def add_channel(
        self, username: str, title: str = "Канал бібліотеки", *, bot_is_admin: bool = True
    ) -> SimChannel:
        """A channel the bot can post to when it is one of its administrators."""
        return self.state.add_channel(username, title, bot_is_admin=bot_is_admin)

    async def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update of any kind and shape as it is (no check that it is valid), even
        of a kind the bot's ``allowed_updates`` leave out: as if created before it set them."""
        return await self.state.updates.push(kind, payload, unfiltered=True)

    @property
    def users(self) -> list[SimUser]:
        """All simulated users, in the order they were added."""
        return list(self.state.users.values())

    def user(self, user_id: int) -> SimUser:
        """The simulated user with this id."""
        return self.state.users[user_id]

    # --- observation -----------------------------------------------------------------------

    def transcript(self) -> list[TranscriptEntry]:
        """Everything users and the bot said and did, across chats, in order."""
        return list(self.state.transcript.entries)

    def format_transcript(self) -> str:
        """The transcript as readable lines (user messages, presses, bot messages, buttons)."""
        return self.state.transcript.format()

    def requests_for(self, method: str) -> list[RecordedRequest]:
        """Recorded requests of one method (name matched case-insensitively)."""
        lowered = method.lower()
        return [r for r in self.requests if r.method.lower() == lowered]

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """The command list the bot set for a scope and language (``[]`` if none)."""
        scope = scope or {"type": "default"}
        key = ",".join(f"{k}={scope[k]}" for k in sorted(scope))
        return list(self.state.commands.get((key, language_code), []))

    def menu_button(self, chat_id: int | None = None) -> dict[str, Any] | None:
        """The menu button the bot set for a chat (``None``: the default one)."""
        return self.state.menu_buttons.get(chat_id)

    def get_file(self, file_id: str) -> StoredFile | None:
        """A stored file by id (documents users sent or files the bot uploaded)."""
        return self.state.files.get(file_id)

    @property
    def webhook_url(self) -> str | None:
        """The webhook URL the bot set, if any."""
        return self.state.webhook.url if self.state.webhook else None

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates the bot has not confirmed yet."""
        return self.state.updates.pending

    # --- faults and limits -------------------------------------------------------------------

    def fail_next(
        self,
        count: int,
        status: int = 429,
        retry_after: int = 1,
        methods: set[str] | None = None,
    ) -> None:
        """Make the next ``count`` matching requests fail with ``status``.

        429 carries ``retry_after``. ``methods`` (case-insensitive) limits which requests count;
        ``None`` means all methods except ``getUpdates``, which polls continuously.
        """
        self._faults.add(count, status, retry_after, methods)

    def clear_faults(self) -> None:
        """Cancel faults not yet used."""
        self._faults.clear()

    def outage(
        self,
        seconds: float,
        *,
        status: int | None = 502,
        methods: set[str] | None = None,
    ) -> Outage:
        """Be down for ``seconds`` from now: answer every call with ``status`` (502, 500...),
        or with ``status=None`` hang each call until the window ends (past the client's read
        timeout; the call is not carried out) and then answer 504.

        ``methods`` (case-insensitive) limits which calls are affected; ``None`` means all of
        them, ``getUpdates`` included. A new outage replaces one still running.
        """
        if seconds <= 0:
            raise ValueError("an outage lasts a positive number of seconds")
        if self._outage is not None:
            self._outage.end()
        lowered = frozenset(m.lower() for m in methods) if methods is not None else None
        self._outage = Outage(time.monotonic() + seconds, status, lowered)
        return self._outage

    def end_outage(self) -> None:
        """End the outage now (calls hanging in it are answered at once)."""
        if self._outage is not None:
            self._outage.end()
            self._outage = None

    def set_rate_limits(
        self,
        per_chat_per_second: float | None,
        global_per_second: float | None,
        retry_after: int = 1,
    ) -> None:
        """Enforce flood limits on sendMessage/sendDocument/sendPhoto/editMessageText.

        Excess requests get 429 "Too Many Requests: retry after N". ``None`` lifts a limit.
        """
        self._rates.configure(per_chat_per_second, global_per_second, retry_after)

    # --- webhook -------------------------------------------------------------------------------

    async def _deliver_to_webhook(self) -> None:
        offset = 0
        delay = WEBHOOK_RETRY_FIRST
        timeout = aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            while True:
                hook = self.state.webhook
                if hook is None or not _is_local(hook.url):
                    await asyncio.sleep(0.05)
                    continue
                try:
                    batch = await self.state.updates.get(
                        offset, 1, wait=0.2, allowed_updates=hook.allowed_updates or []
                    )
                except ApiError:  # a getUpdates call raced with setting the webhook
                    continue
                if not batch or self.state.webhook is not hook:
                    continue
                update = batch[0]
                headers = {WEBHOOK_SECRET_HEADER: hook.secret_token} if hook.secret_token else {}
                status: int | None
                try:
                    async with http.post(hook.url, json=update, headers=headers) as response:
                        status = response.status
                except (aiohttp.ClientError, TimeoutError):
                    status = None
                self.webhook_deliveries.append(WebhookDelivery(update["update_id"], status))
                if status is not None and 200 <= status < 300:
                    offset = update["update_id"] + 1
                    delay = WEBHOOK_RETRY_FIRST
                else:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, WEBHOOK_RETRY_MAX)

    # --- HTTP handlers -----------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        received = time.monotonic()
        name = request.match_info["method"]
        lowered = name.lower()
        entry = METHODS.get(lowered)
        method = entry[0] if entry else name
        try:
            params = await _read_params(request)
        except ApiError as error:
            self.requests.append(RecordedRequest(received, method, {}))
            return _error_response(error)
        self.requests.append(RecordedRequest(received, method, params.loggable()))
        if request.match_info["token"] != self.state.token:
            return _error_response(ApiError(401, "Unauthorized"))
        if entry is None:
            return _error_response(ApiError(404, "Not Found"))
        outage = self._outage
        if outage is not None and outage.covers(lowered, received):
            return _error_response(await outage.answer(received))
        try:
            fault = self._faults.take(lowered)
            if fault is not None:
                raise fault
            refused = self._rates.check(lowered, params.get_str("chat_id"), received)
            if refused is not None:
                raise refused
            result = await entry[1](self.state, params)
        except ApiError as error:
            return _error_response(error)
        except Exception as exc:
            # A bug in the emulator, not in the bot: keep it for tests to fail on.
            logger.exception("emulator failed on %s", method)
            self.internal_errors.append(exc)
            return _error_response(ApiError(500, f"Internal Server Error: emulator bug: {exc!r}"))
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = None
        if request.match_info["token"] == self.state.token:
            stored = self.state.files.by_path(request.match_info["path"])
        if stored is None:
            return _error_response(ApiError(404, "Not Found"))
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def _handle_unknown(self, request: web.Request) -> web.StreamResponse:
        return _error_response(ApiError(404, "Not Found"))

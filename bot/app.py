"""Builds the Application and registers every handler (order matters: see comments)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime

import httpx
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import heartbeat, housekeeping, morning_summary
from bot.config import Config
from bot.deps import Deps, Health, utc_now
from bot.i18n import Catalogs
from bot.outbox.dispatcher import LANES, Dispatcher
from bot.outbox.scheduler import OutboxScheduler
from bot.ratelimit import ChatRateLimiter
from bot.readable import ReadableUpdatesBot
from bot.sending import outbox_sender
from bot.updates import PerUserUpdateProcessor
from handlers import (
    attendance,
    bot_profile,
    callbacks,
    command_menu,
    dialogs,
    door,
    event_edit,
    feedback,
    flood,
    membership,
    nearby,
    new_event,
    phone_registrants,
    programs,
    reminders,
    report,
    resident,
    signup,
    staff_admin,
    staff_events,
    staff_import,
    status,
    subscriptions,
    summary,
)
from handlers.access import Access
from handlers.common import entry
from handlers.errors import on_error
from storage.database import Database

# Importing a handler module attaches the handlers of the buttons it declares with
# ``@callbacks.X.handles``; these are the modules with buttons and nothing else here.
BUTTON_MODULES = (door, event_edit, feedback, phone_registrants, reminders)

MAX_CONCURRENT_UPDATES = 64
# On SQLite every update at work, outbox lane and job may hold a connection at once (a
# writer waits for the lock with its connection open), and a connection is only a file
# handle. A PostgreSQL server has room for about 100 in all, shared by every process, and
# lets writers through side by side, so its connections come back quickly.
SQLITE_CONNECTIONS = MAX_CONCURRENT_UPDATES + LANES + 4
POSTGRESQL_CONNECTIONS = 20
POLL_TIMEOUT = 30
READ_TIMEOUT = 15  # seconds Telegram has to answer a request (not a long poll)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
# The job that sets the command menus (residents', and each staff member's) at start.
COMMAND_MENUS = "command menus"


def build_application(
    config: Config,
    *,
    token: str,
    db: Database | None = None,
    clock: Callable[[], datetime] = utc_now,
    read_timeout: float = READ_TIMEOUT,
    rate_limiter: ChatRateLimiter | None = None,
) -> Application:  # type: ignore[type-arg]
    """The bot, wired to its database; nothing is contacted until it is initialised
    (``read_timeout``: how long a request waits for Telegram's answer; ``rate_limiter``:
    Telegram's limits, by default as ``telegram.chat_messages_per_second`` says)."""
    database = db or Database(
        config.database.url,
        connections=SQLITE_CONNECTIONS if config.database.is_sqlite else POSTGRESQL_CONNECTIONS,
    )
    own_db = db is None
    catalogs = Catalogs(config.library.default_language)
    deps = Deps(config=config, db=database, catalogs=catalogs, clock=clock)

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        deps.health = Health(started_at=deps.now())  # uptime counts from the start
        assert app.job_queue is not None
        # Jobs, once polling has begun: residents' first answers need not wait for them.
        app.job_queue.run_once(
            lambda context: _set_commands(context.application, deps),
            when=0,
            name=COMMAND_MENUS,
        )
        app.job_queue.run_once(
            lambda context: bot_profile.describe(context.bot, config.library, catalogs),
            when=0,
            name="bot description",
        )
        dispatcher = Dispatcher(deps, outbox_sender(app.bot, deps))
        scheduler = OutboxScheduler(
            app.job_queue, dispatcher, deps.config.reminders.sweep_interval.total_seconds()
        )
        deps.poke = scheduler.poke
        scheduler.start()
        housekeeping.schedule(app.job_queue, deps)
        heartbeat.schedule(app.job_queue, deps)
        morning_summary.schedule(app.job_queue, deps)

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        if own_db:
            await database.dispose()

    processor = PerUserUpdateProcessor(MAX_CONCURRENT_UPDATES)
    # One TLS context (the certificate authorities loaded once, about 1 MB and 20 ms) for
    # both connection pools: the requests' and the long poll's.
    tls = {"verify": httpx.create_ssl_context()}
    bot = ReadableUpdatesBot(
        token,
        base_url=config.telegram.api_base_url,
        base_file_url=config.telegram.api_file_url,
        request=HTTPXRequest(
            connection_pool_size=MAX_CONCURRENT_UPDATES,
            read_timeout=read_timeout,
            httpx_kwargs=tls,
        ),
        get_updates_request=HTTPXRequest(read_timeout=POLL_TIMEOUT + 10, httpx_kwargs=tls),
        rate_limiter=rate_limiter
        or ChatRateLimiter(chat_per_second=config.telegram.chat_messages_per_second, max_retries=3),
    )
    app = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(processor)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["deps"] = deps
    processor.on_flood = functools.partial(flood.tell_flooder, app.bot, catalogs)
    register_handlers(app)
    return app


def register_handlers(app: Application) -> None:  # type: ignore[type-arg]
    """Every command, button and message kind, each wrapped by ``entry``: one session per
    update, the person and their role found once, access checked, domain errors told."""
    private = filters.ChatType.PRIVATE
    anyone, staff_only, admins_only = Access.ANYONE, Access.STAFF, Access.ADMIN
    commands = [
        ("start", resident.cmd_start, anyone),
        ("help", resident.cmd_help, anyone),
        ("events", staff_events.cmd_events, anyone),  # residents get their own list
        ("my", resident.show_my, anyone),
        ("language", resident.show_languages, anyone),
        ("forget", resident.cmd_forget, anyone),
        ("subscribe", subscriptions.show_subscriptions, anyone),
        ("cancel", new_event.cmd_cancel, anyone),  # residents get the help
        ("report", report.cmd_report, staff_only),
        ("attendance", attendance.cmd_attendance, staff_only),
        ("newevent", new_event.cmd_newevent, staff_only),
        # Programmes are the library's: not for a branch's staff (see README).
        ("programs", programs.cmd_programs, Access.LIBRARY),
        ("newprogram", programs.cmd_newprogram, Access.LIBRARY),
        ("summary", summary.cmd_summary, staff_only),
        ("staff", staff_admin.cmd_staff, admins_only),
        ("status", status.cmd_status, admins_only),
    ]
    for name, command, access in commands:
        app.add_handler(CommandHandler(name, entry(command, access=access), filters=private))

    # Each button kind as declared in handlers/callbacks.py, with its typed values.
    for button in callbacks.ALL:
        assert button.handler is not None, f"no handler for {button.prefix!r} buttons"
        app.add_handler(
            CallbackQueryHandler(
                entry(
                    button.handler,
                    access=button.access,
                    values=_values_of(button),
                    writes=button.writes,
                    event_at=button.event_at,
                ),
                pattern=button.pattern,
            )
        )
    # Anything no pattern above accepted is forged or outdated.
    app.add_handler(CallbackQueryHandler(entry(resident.on_unknown_button)))

    # An administrator forwarding someone's message means "make them staff"; anyone
    # else's forwards go on to the handlers below as before.
    admins = app.bot_data["deps"].config.staff.admins
    forwarded_by_admin = private & filters.FORWARDED & filters.User(user_id=admins)
    messages = [
        (forwarded_by_admin, entry(staff_admin.on_forward, access=admins_only)),
        (private & filters.CONTACT, entry(signup.on_contact)),
        # «📍 Near me»: a shared location lists events nearest first; it is not stored.
        (private & filters.LOCATION, entry(nearby.on_location)),
        # Typed text answers the question asked last: a staff form's, or the sign-up's.
        (private & filters.TEXT & ~filters.COMMAND, entry(dialogs.on_text)),
        # Staff import a CSV; anyone else's document gets the help.
        (private & filters.Document.ALL, entry(staff_import.on_document)),
        # Last: unknown commands, stickers, photos... get a short help.
        (private & ~filters.StatusUpdate.ALL, entry(resident.cmd_help)),
    ]
    for message_filter, callback in messages:
        app.add_handler(MessageHandler(message_filter, callback))
    app.add_handler(
        ChatMemberHandler(entry(membership.on_my_chat_member), ChatMemberHandler.MY_CHAT_MEMBER)
    )
    app.add_error_handler(on_error)


def _values_of(button: callbacks.Button) -> Callable[[Update], tuple[object, ...] | None]:
    def values(update: Update) -> tuple[object, ...] | None:
        query = update.callback_query
        return button.parse(query.data or "") if query is not None else None

    return values


async def _set_commands(app: Application, deps: Deps) -> None:  # type: ignore[type-arg]
    """The command menu in Telegram's UI, in each language; staff get theirs per chat."""
    await command_menu.set_default(app.bot, deps.catalogs)
    await command_menu.show_staff_menus(app.bot, deps)


async def start(app: Application, *, poll_timeout: int = 1) -> None:  # type: ignore[type-arg]
    """What ``run_polling`` does before it blocks, for callers that own the event loop
    (the demo and the tests): initialise, ``post_init``, poll, start."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0,
        timeout=poll_timeout,
        allowed_updates=ALLOWED_UPDATES,
        error_callback=functools.partial(_polling_failed, app),
    )
    await app.start()


def _polling_failed(app: Application, error: TelegramError) -> None:  # type: ignore[type-arg]
    """As ``run_polling`` does: a failed poll goes to the error handler (``on_error``), and
    polling goes on by itself, waiting longer after each failure (up to 30 s)."""
    app.create_task(app.process_error(update=None, error=error))


async def stop(app: Application) -> None:  # type: ignore[type-arg]
    """The reverse of :func:`start`."""
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)

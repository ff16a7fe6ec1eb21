"""Builds the Application and registers every handler (order matters: see comments)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.config import Config
from bot.deps import Deps, utc_now
from bot.i18n import Catalogs
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.scheduler import OutboxScheduler
from bot.sending import outbox_sender
from bot.updates import PerUserUpdateProcessor
from handlers import (
    attendance,
    callbacks,
    command_menu,
    event_edit,
    membership,
    new_event,
    reminders,
    resident,
    signup,
    staff,
    staff_admin,
    staff_events,
    staff_import,
    subscriptions,
)
from handlers.errors import on_error
from storage.database import Database

MAX_CONCURRENT_UPDATES = 64
POLL_TIMEOUT = 30

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


def build_application(
    config: Config,
    *,
    token: str,
    db: Database | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Application:  # type: ignore[type-arg]
    """The bot, wired to its database; nothing is contacted until it is initialised."""
    database = db or Database(config.database.url)
    own_db = db is None
    catalogs = Catalogs(config.library.default_language)
    deps = Deps(config=config, db=database, catalogs=catalogs, clock=clock)

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await _set_commands(app, deps)
        assert app.job_queue is not None
        dispatcher = Dispatcher(deps, outbox_sender(app.bot, deps))
        scheduler = OutboxScheduler(
            app.job_queue, dispatcher, deps.config.reminders.sweep_interval.total_seconds()
        )
        deps.poke = scheduler.poke
        scheduler.start()

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        if own_db:
            await database.dispose()

    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(config.telegram.api_base_url)
        .base_file_url(config.telegram.api_file_url)
        .request(HTTPXRequest(connection_pool_size=MAX_CONCURRENT_UPDATES, read_timeout=15))
        .get_updates_request(HTTPXRequest(read_timeout=POLL_TIMEOUT + 10))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(PerUserUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["deps"] = deps
    register_handlers(app)
    return app


def register_handlers(app: Application) -> None:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    command_handlers = {
        "start": resident.cmd_start,
        "help": resident.cmd_help,
        "events": staff_events.cmd_events,  # residents get their own list
        "my": resident.cmd_my,
        "language": resident.cmd_language,
        "forget": resident.cmd_forget,
        "subscribe": subscriptions.cmd_subscribe,
        "report": staff.cmd_report,
        "attendance": attendance.cmd_attendance,
        "newevent": new_event.cmd_newevent,
        "cancel": new_event.cmd_cancel,
        "staff": staff_admin.cmd_staff,
    }
    for name, callback in command_handlers.items():
        app.add_handler(CommandHandler(name, callback, filters=private))

    button_handlers = [
        (callbacks.exact(callbacks.MENU), resident.on_menu),
        (callbacks.exact(callbacks.MY), resident.on_my),
        (callbacks.exact(callbacks.LANGUAGES), resident.on_languages),
        (callbacks.exact(callbacks.FORGET_CONFIRMED), resident.on_forget),
        (callbacks.exact(callbacks.USE_TELEGRAM_NAME), signup.on_use_telegram_name),
        (callbacks.PAGE, resident.on_page),
        (callbacks.EVENT, resident.on_event),
        (callbacks.REGISTER, resident.on_register),
        (callbacks.CANCEL, resident.on_cancel),
        (callbacks.CALENDAR, resident.on_calendar),
        (callbacks.LANGUAGE, resident.on_language),
        (callbacks.CATEGORY, signup.on_category),
        (callbacks.CONSENT, signup.on_consent),
        (callbacks.COMING, reminders.on_coming),
        (callbacks.NOT_COMING, reminders.on_not_coming),
        (callbacks.exact(callbacks.SUBSCRIPTIONS), subscriptions.on_subscriptions),
        (callbacks.SUBSCRIBE, subscriptions.on_subscribe),
        (callbacks.UNSUBSCRIBE, subscriptions.on_unsubscribe),
        (callbacks.ATTENDANCE_PAGE, attendance.on_page),
        (callbacks.ATTENDED, attendance.on_attended),
        (callbacks.EVERYONE_CAME, attendance.on_everyone_came),
        (callbacks.WALK_IN, attendance.on_walk_in),
        (callbacks.NEW_EVENT_CHOICE, new_event.on_choice),
        (callbacks.exact(callbacks.NEW_EVENT_CANCEL), new_event.on_cancel_button),
        (callbacks.EDIT_EVENT, event_edit.on_menu),
        (callbacks.EDIT_FIELD, event_edit.on_field),
        (callbacks.EDIT_CHOICE, event_edit.on_choice),
        (callbacks.EDIT_CANCEL, event_edit.on_cancel),
        (callbacks.exact(callbacks.STAFF), staff_admin.on_staff),
        (callbacks.exact(callbacks.STAFF_INVITE), staff_admin.on_invite),
        (callbacks.STAFF_ADD, staff_admin.on_add),
        (callbacks.STAFF_REMOVE, staff_admin.on_remove),
        (callbacks.STAFF_REMOVE_CONFIRMED, staff_admin.on_remove_confirmed),
        (callbacks.STAFF_EVENTS_PAGE, staff_events.on_page),
        (callbacks.STAFF_EVENT, staff_events.on_card),
        (callbacks.PUBLISH_EVENT, staff_events.on_publish),
        (callbacks.ASK_CANCEL_EVENT, staff_events.on_ask_cancel),
        (callbacks.CANCEL_EVENT, staff_events.on_cancel),
        (callbacks.ANNOUNCE_EVENT, staff_events.on_announce),
        (callbacks.REGISTRANTS, staff_events.on_registrants),
        (callbacks.POSTER, staff_events.on_poster),
        (callbacks.ASK_DELETE_DRAFT, staff_events.on_ask_delete),
        (callbacks.DELETE_DRAFT, staff_events.on_delete),
    ]
    for pattern, callback in button_handlers:
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    # Anything no pattern above accepted is forged or outdated.
    app.add_handler(CallbackQueryHandler(resident.on_unknown_button))

    # An administrator forwarding someone's message means "make them staff"; anyone
    # else's forwards go on to the handlers below as before.
    admins = app.bot_data["deps"].config.staff.admins
    app.add_handler(
        MessageHandler(
            private & filters.FORWARDED & filters.User(user_id=admins), staff_admin.on_forward
        )
    )
    app.add_handler(MessageHandler(private & filters.CONTACT, signup.on_contact))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, signup.on_text))
    # Staff import a CSV; anyone else's document gets the help below.
    app.add_handler(MessageHandler(private & filters.Document.ALL, staff_import.on_document))
    # Last: unknown commands, stickers, photos... get a short help.
    app.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, resident.cmd_help))
    app.add_handler(
        ChatMemberHandler(membership.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    app.add_error_handler(on_error)


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
        poll_interval=0, timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES
    )
    await app.start()


async def stop(app: Application) -> None:  # type: ignore[type-arg]
    """The reverse of :func:`start`."""
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)

"""The command menu Telegram shows next to the text field: residents' commands for
everyone, and for each staff member (per chat) the staff commands as well."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.deps import Deps
from bot.i18n import Catalogs, Translator
from bot.services import staff

log = logging.getLogger(__name__)


def resident_commands(tr: Translator) -> list[BotCommand]:
    return [
        BotCommand("events", tr.gettext("Upcoming events")),
        BotCommand("my", tr.gettext("My registrations")),
        BotCommand("language", tr.gettext("Language / Мова")),
        BotCommand("subscribe", tr.gettext("News of new events")),
        BotCommand("forget", tr.gettext("Delete my data")),
        BotCommand("help", tr.gettext("Help")),
    ]


def staff_commands(tr: Translator, *, admin: bool, programmes: bool = True) -> list[BotCommand]:
    """``programmes``: False for a branch's staff (the programmes are the library's)."""
    commands = [BotCommand("newevent", tr.gettext("Create an event"))]
    if programmes:
        commands += [
            BotCommand("programs", tr.gettext("Programmes (projects)")),
            BotCommand("newprogram", tr.gettext("Add a programme")),
        ]
    commands += [
        BotCommand("attendance", tr.gettext("Mark who came: /attendance ID")),
        BotCommand("report", tr.gettext("Project report")),
    ]
    if admin:
        commands.append(BotCommand("staff", tr.gettext("Library staff")))
        commands.append(BotCommand("status", tr.gettext("How the bot is doing")))
    return resident_commands(tr) + commands


async def set_default(bot: Bot, catalogs: Catalogs) -> None:
    """Residents' commands in each language (the default is used for any other)."""
    for language in catalogs.languages:
        code = None if language == catalogs.default_language else language
        await bot.set_my_commands(resident_commands(catalogs.get(language)), language_code=code)


async def show_staff_menu(
    bot: Bot, telegram_id: int, tr: Translator, *, admin: bool, programmes: bool = True
) -> None:
    """Staff commands in this person's chat. Best effort: Telegram refuses it for
    someone who never opened the bot, and the menu is a convenience."""
    try:
        await bot.set_my_commands(
            staff_commands(tr, admin=admin, programmes=programmes),
            scope=BotCommandScopeChat(telegram_id),
        )
    except TelegramError as exc:
        log.info("staff command menu not set: %s", exc)


async def hide_staff_menu(bot: Bot, telegram_id: int) -> None:
    """Back to the residents' commands."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(telegram_id))
    except TelegramError as exc:
        log.info("staff command menu not removed: %s", exc)


async def show_staff_menus(bot: Bot, deps: Deps) -> None:
    """At start-up: the staff menu for every administrator and staff member."""
    admins = deps.config.staff.admins
    everyone = await deps.read(staff.everyone, admins=admins)
    branch_staff = {m.telegram_id for m in await deps.read(staff.members) if m.branch_key}
    for telegram_id, language in everyone.items():
        tr = deps.catalogs.get(language)
        admin = telegram_id in admins
        await show_staff_menu(
            bot, telegram_id, tr, admin=admin, programmes=admin or telegram_id not in branch_staff
        )

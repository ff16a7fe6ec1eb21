"""What Telegram shows about the bot before anyone writes to it: the description in an
empty chat (the first thing a resident sees after scanning a poster's QR code) and the
short description on its profile, in each language, from the configuration."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.config import DESCRIPTION_LIMIT, SHORT_DESCRIPTION_LIMIT, LibraryConfig
from bot.i18n import Catalogs, Translator

log = logging.getLogger(__name__)


def description(library: LibraryConfig, tr: Translator) -> str:
    configured = library.description.get(tr.language)
    if configured:
        return configured
    text = tr.gettext(
        "{library} invites you to free trainings, seminars and classes. Here you can find "
        "an event, sign up in a couple of taps, get a reminder before it, and cancel if your "
        "plans change. Press «Start»."
    ).format(library=library.name)
    return text if len(text) <= DESCRIPTION_LIMIT else _without_name(tr, DESCRIPTION_LIMIT)


def short_description(library: LibraryConfig, tr: Translator) -> str:
    configured = library.short_description.get(tr.language)
    if configured:
        return configured
    text = tr.gettext("{library}: free trainings, sign-up and reminders").format(
        library=library.name
    )
    return (
        text if len(text) <= SHORT_DESCRIPTION_LIMIT else _without_name(tr, SHORT_DESCRIPTION_LIMIT)
    )


def _without_name(tr: Translator, limit: int) -> str:
    """For a library whose name is too long to fit Telegram's limit."""
    return tr.gettext("Free trainings of the library: schedule, sign-up, reminders")[:limit]


async def describe(bot: Bot, library: LibraryConfig, catalogs: Catalogs) -> None:
    """Set both texts in each language where Telegram's differ (the default language's
    also for any language the bot has no translation for). Asked first, so a restart
    does not spend Telegram's limit on these calls; best effort, like the command menu."""
    for language in catalogs.languages:
        tr = catalogs.get(language)
        code = "" if language == catalogs.default_language else language
        try:
            current = await bot.get_my_description(language_code=code or None)
            wanted = description(library, tr)
            if current.description != wanted:
                await bot.set_my_description(wanted, language_code=code or None)
            current_short = await bot.get_my_short_description(language_code=code or None)
            wanted_short = short_description(library, tr)
            if current_short.short_description != wanted_short:
                await bot.set_my_short_description(wanted_short, language_code=code or None)
        except TelegramError as exc:
            log.warning("the bot's description (%s) not set: %s", language, exc)

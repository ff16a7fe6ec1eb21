"""Posting an announced event to the library's channel (``telegram.channel``), once, in
the library's language, with a button that opens the event in the bot."""

from __future__ import annotations

import logging
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.i18n import Translator
from bot.services import channel
from handlers import render
from handlers.cards import deep_link
from handlers.common import Reply

log = logging.getLogger(__name__)


async def post(reply: Reply, event_id: int) -> str | None:
    """Post the event if it has not been; what staff should be told about it, if anything."""
    d = reply.deps
    name = d.config.telegram.channel
    if not name:
        return None
    event = await reply.write(channel.claim, event_id=event_id, now=d.now())
    if event is None:
        return None  # posted when it was announced before
    library = d.config.library
    # At night the subscribers' announcements wait for the morning; a channel post cannot
    # wait (staff are told now), so it goes without a sound.
    silent = library.quiet_hours is not None and library.quiet_hours.quiet_at(
        d.now(), library.timezone
    )
    library_tr = d.catalogs.get(library.default_language)
    button = InlineKeyboardButton(
        "✍️ " + library_tr.gettext("Sign up"), url=deep_link(reply, event_id)
    )
    try:
        message = await reply.context.bot.send_message(
            name,
            render.announcement(d.config, library_tr, event),
            parse_mode=ParseMode.HTML,
            reply_markup=InlineKeyboardMarkup([[button]]),
            disable_notification=silent,
        )
    except (BadRequest, Forbidden) as exc:  # not an administrator, or no such channel
        log.warning("the channel refused the post of event %s: %s", event_id, exc.message)
        # Told once, not at every 📣, until a post goes through again.
        first = await reply.write(channel.refused, event_id=event_id)
        return not_admin(reply.tr, name) if first else None
    except TelegramError as exc:  # network, timeouts: may be tried again
        log.warning("the post of event %s to the channel failed: %s", event_id, exc)
        await reply.write(channel.failed, event_id=event_id)
        return failed(reply.tr, name)
    await reply.write(channel.posted, event_id=event_id, message_id=message.message_id)
    return posted(reply.tr, name)


def posted(tr: Translator, name: str) -> str:
    return "📢 " + tr.gettext("Posted to the channel {channel}.").format(channel=escape(name))


def not_admin(tr: Translator, name: str) -> str:
    return "⚠️ " + tr.gettext(
        "Could not post to the channel {channel}: the bot is not one of its administrators "
        "allowed to post. Add the bot as an administrator of the channel and tap «📣» again. "
        "Subscribers get the announcement as usual."
    ).format(channel=escape(name))


def failed(tr: Translator, name: str) -> str:
    return "⚠️ " + tr.gettext(
        "Could not reach Telegram to post to the channel {channel}. Tap «📣» again a little "
        "later: nobody gets the announcement twice."
    ).format(channel=escape(name))

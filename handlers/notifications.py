"""The outbox's Telegram sender: renders each kind of notification and sends it.

Telegram's errors become the outbox's own outcomes (``bot.outbox.sender``), so the
dispatcher decides what is retried, given up or marked unreachable without knowing Telegram.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot import ratelimit
from bot.deps import Deps
from bot.domain.branches import manages
from bot.domain.status import NotificationKind
from bot.outbox.sender import (
    NotWantedError,
    Outgoing,
    RateLimitedError,
    RecipientBlockedError,
    RefusedError,
    TransientError,
)
from bot.services import phone_registrants, summary
from handlers import feedback_views, keyboards, render, summary_views
from handlers import phone_registrants_views as phone_views

# Messages with residents' names and phones, or about them: only for who is staff still.
STAFF_ONLY = frozenset(
    {NotificationKind.SUMMARY, NotificationKind.PHONE_PROMOTED, NotificationKind.CALLS}
)

# The rate limiter may wait out one 429 by itself; a second one comes back to us, so a
# single send stays well inside the claim lease.
LIMITER_RETRIES = 1


@dataclass
class TelegramSender:
    bot: ExtBot[Any]
    deps: Deps

    async def send(self, item: Outgoing) -> None:
        """Send one notification as an HTML message, in the person's language; one with
        nothing to say any more (see ``_render``) is dropped."""
        rendered = await self._render(item)
        if rendered is None:
            raise NotWantedError(item.notification.kind)
        text, markup = rendered
        try:
            with ratelimit.bulk():  # answers to residents go first
                await self.bot.send_message(
                    item.chat_id,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    disable_notification=item.silent,
                    rate_limit_args=LIMITER_RETRIES,
                )
        except Forbidden as exc:
            raise RecipientBlockedError(exc.message) from exc
        except RetryAfter as exc:
            raise RateLimitedError(exc.message, _seconds(exc.retry_after)) from exc
        # BadRequest is a NetworkError too: it must be caught first.
        except BadRequest as exc:
            raise RefusedError(exc.message) from exc
        except NetworkError as exc:
            raise TransientError(exc.message) from exc

    async def _render(self, item: Outgoing) -> tuple[str, InlineKeyboardMarkup | None] | None:
        """The message, or None when it is no longer to be sent: a staff message to someone
        who is no longer staff, a call list that emptied, a call list of an event of a
        branch they do not manage."""
        config = self.deps.config
        tr = self.deps.catalogs.get(item.person.language)
        event, kind = item.event, item.notification.kind
        if kind in STAFF_ONLY and not await self.deps.read(
            summary.still_staff, item.chat_id, admins=config.staff.admins
        ):
            return None
        if kind in (NotificationKind.PHONE_PROMOTED, NotificationKind.CALLS) and not manages(
            await self.deps.read(
                summary.branch_of,
                item.chat_id,
                admins=config.staff.admins,
                branched=bool(config.branches),
            ),
            event.branch_key,
        ):
            # Who wrote a caller down first may be another branch's staff now (the same
            # phone is one person for every event): names and phones stay in the branch.
            return None
        if kind == NotificationKind.PHONE_PROMOTED:
            return (
                phone_views.promoted_notice(config, tr, event),
                phone_views.call_list_button(tr, event.id),
            )
        if kind == NotificationKind.CALLS:
            calls = await self.deps.read(phone_registrants.call_list, event_id=event.id)
            if not calls.callers:
                return None
            return (
                phone_views.tomorrows_calls(config, tr, calls),
                phone_views.call_list_keyboard(tr, calls, now=self.deps.now()),
            )
        if kind == NotificationKind.SUMMARY:
            # Counted as it is sent, so the figures are those of the moment it arrives.
            day = date.fromisoformat(item.notification.variant)
            branch = await self.deps.read(
                summary.branch_of,
                item.chat_id,
                admins=config.staff.admins,
                branched=bool(config.branches),
            )
            found = await self.deps.read(
                summary.contents, day=day, tz=config.library.timezone, branch=branch
            )
            if branch is not None and not found.today and not found.tomorrow:
                # Their branch was changed meanwhile: nothing of theirs on these days.
                return None
            return summary_views.message(config, tr, found), summary_views.buttons(tr, found)
        if kind == NotificationKind.FEEDBACK:
            return (
                feedback_views.question(config, tr, event),
                feedback_views.rating_buttons(tr, event.id),
            )
        if kind == NotificationKind.REMINDER:
            return render.reminder(config, tr, event), keyboards.reminder(tr, event.id)
        if kind == NotificationKind.PROMOTED:
            return render.promoted(config, tr, event), None
        if kind == NotificationKind.CHANGED:
            old = json.loads(item.notification.payload)
            return render.changed(config, tr, event, old), None
        if kind == NotificationKind.CANCELLED:
            return render.event_cancelled(config, tr, event), None
        return render.announcement(config, tr, event), keyboards.announcement(tr, event.id)


def _seconds(value: int | timedelta) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)

"""The /staff screen at its fullest still fits one Telegram message and its buttons."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Branch
from bot.domain.staff import INVITE_TTL
from bot.i18n import Catalogs
from bot.services.records import StaffMember
from bot.services.staff import PendingInvitation
from handlers import staff_admin_views as views

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
LONGEST_ID = 9_999_999_999_999_999
LONG_NAME = "Щ" * 100  # staff_member.name holds up to 100 characters


# With branches configured, every member's and invitation's branch is shown too.
LONG_BRANCHES = tuple(Branch(f"b{i}", {"uk": "Б" * 80, "en": "B" * 80}) for i in range(12))


@pytest.mark.parametrize("branches", [(), LONG_BRANCHES], ids=["no branches", "branches"])
@pytest.mark.parametrize("language", ["uk", "en"])
def test_the_fullest_staff_screen_fits_one_message(
    language: str, branches: tuple[Branch, ...]
) -> None:
    tr = Catalogs().get(language)
    admins = [(LONGEST_ID - i, LONG_NAME) for i in range(3)]
    members = [
        StaffMember(
            telegram_id=LONGEST_ID - 10 - i,
            name=LONG_NAME,
            added_by=1,
            added_at=NOW,
            # Spread over every branch, the whole library and a branch no longer configured.
            branch_key=(["gone", None] + [b.key for b in branches])[i % 14] if branches else None,
        )
        for i in range(views.LIST_LIMIT + 5)
    ]
    invitations = [
        PendingInvitation(
            id=999_999_999 - i,
            created_by=admins[0][0] if i % 2 else LONGEST_ID - 5,  # a former admin too
            created_at=NOW - timedelta(days=6),
            expires_at=NOW + INVITE_TTL,
            works=bool(i % 2),
            branch="b0" if branches else None,
        )
        for i in range(views.LINKS_LIMIT + 20)
    ]
    notice = views.removed(tr, LONG_NAME, LONGEST_ID)
    html = views.staff_list(
        tr,
        admins,
        members,
        invitations,
        ZoneInfo("Europe/Kyiv"),
        notice=notice,
        branches=branches,
    )
    text = re.sub(r"<[^>]+>", "", html)  # Telegram counts the text after parsing entities
    assert len(text) <= 4096, len(text)
    shown = views.LINKS_LIMIT
    assert text.count("🔗 №") == shown
    assert text.count("🏠 ") == (13 + shown if branches else 0)  # a branch once, a link each
    keyboard = views.staff_list_keyboard(tr, members, invitations, branches)
    buttons = [b.callback_data for row in keyboard.inline_keyboard for b in row]
    assert len(buttons) <= 100
    assert [b for b in buttons if str(b).startswith("stf:rv:")] == [
        f"stf:rv:{i.id}" for i in invitations[:shown]
    ]
    more = {"uk": "…і ще 20 (відкличте якісь, щоб побачити решту)", "en": "…and 20 more (revoke"}
    assert more[language] in text

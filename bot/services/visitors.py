"""Who sent an update: found once per update, before any use case runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from storage import people


@dataclass(frozen=True)
class Visitor:
    """What every handler may need to know about the person behind an update."""

    telegram_id: int
    person_id: int | None  # None until they first sign up or choose a language
    language: str | None
    unreachable: bool  # they had blocked the bot; writing again means they are back
    staff_member: bool  # added in Telegram (administrators come from the configuration)
    # A staff member's branch: they manage only its events (None: every branch).
    staff_branch: str | None = None
    # A question is open for them (the sign-up's, a staff form's...): a use case that would
    # close it need not try when none is.
    in_dialog: bool = True
    # The row itself, held for the update: the session's identity map keeps rows only while
    # someone does, and a use case that asks for the person then finds it without a query.
    row: object = field(default=None, repr=False, compare=False)


async def identify(session: AsyncSession, telegram_id: int) -> Visitor:
    person, member, branch, in_dialog = await people.with_staff_flag(session, telegram_id)
    if person is None:
        return Visitor(
            telegram_id,
            None,
            None,
            unreachable=False,
            staff_member=member,
            staff_branch=branch,
            in_dialog=in_dialog,
        )
    return Visitor(
        telegram_id,
        person.id,
        person.language,
        unreachable=person.unreachable_at is not None,
        staff_member=member,
        staff_branch=branch,
        in_dialog=in_dialog,
        row=person,
    )

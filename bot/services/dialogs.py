"""Open questions, typed: a resident's sign-up, and the staff's /newevent and edits.

They are kept in the database (``dialog`` for residents, ``staff_dialog`` for staff) so a
restart or a second process goes on from the same question. This module is the only one
that knows how: the state strings ``signup``, ``ne:<step>`` and ``ed:<field>``, and the
JSON beside them, exactly as earlier versions wrote them (rows outlive an upgrade).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.event_form import STEPS, EventAnswers, FormStep, parse_step
from bot.domain.signup import Step
from storage import dialogs as storage
from storage import staff as staff_storage
from storage.database import after_commit, truncate_wal
from storage.models import StaffDialog

SIGNUP = "signup"


class Flow(StrEnum):
    NEW_EVENT = "ne"
    EDIT = "ed"
    VISITOR = "vs"


@dataclass(frozen=True)
class SignUpAnswers:
    """The sign-up's answers so far. Name, category and phone stay here, not in the
    person's profile, until they agree to the processing of their data (and are purged
    with the dialog if they never answer that question)."""

    event_id: int  # registered once the questions are answered
    phone_done: bool = False  # given or skipped: the phone is optional
    name: str | None = None
    category: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class SignUp:
    """The sign-up question a resident was asked last."""

    step: Step
    answers: SignUpAnswers

    def to_json(self) -> dict[str, Any]:
        answers = self.answers
        data: dict[str, Any] = {"event_id": answers.event_id, "step": self.step.value}
        if answers.phone_done:  # earlier versions wrote the key only once it was true
            data["phone_done"] = True
        # Written only when given, so a row without personal data reads as before.
        for key in ("name", "category", "phone"):
            if (value := getattr(answers, key)) is not None:
                data[key] = value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SignUp:
        """Raises ValueError for data this version cannot read."""
        answers = SignUpAnswers(
            _int(data.get("event_id")),
            bool(data.get("phone_done")),
            name=_text_or_none(data.get("name")),
            category=_text_or_none(data.get("category")),
            phone=_text_or_none(data.get("phone")),
        )
        return cls(Step(str(data.get("step"))), answers)


@dataclass(frozen=True)
class NewEvent:
    """The /newevent question a staff member was asked last, and the answers so far."""

    flow: ClassVar[Flow] = Flow.NEW_EVENT
    step: FormStep
    answers: EventAnswers = field(default_factory=EventAnswers)
    # Offered by position under the project question: kept, so a button means what it showed.
    programs: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return _with_programs(self.answers.to_json(), self.step, self.programs)

    @classmethod
    def from_json(cls, step: FormStep, data: Mapping[str, Any]) -> NewEvent:
        """Raises ValueError for data this version cannot read."""
        return cls(step, EventAnswers.from_json(data), _programs(data))


@dataclass(frozen=True)
class Edit:
    """The field of an event a staff member was asked the new value of."""

    flow: ClassVar[Flow] = Flow.EDIT
    event_id: int
    field: FormStep
    programs: tuple[str, ...] = ()  # as for NewEvent

    def to_json(self) -> dict[str, Any]:
        return _with_programs({"event": self.event_id}, self.field, self.programs)

    @classmethod
    def from_json(cls, field: FormStep, data: Mapping[str, Any]) -> Edit:
        """Raises ValueError for data this version cannot read."""
        if field not in STEPS:
            raise ValueError(field)
        return cls(_int(data.get("event")), field, _programs(data))


@dataclass(frozen=True)
class AddVisitor:
    """A resident who phoned, being written down by staff for an event: the name, then the
    category, then an optional phone (the same questions as a resident's sign-up)."""

    flow: ClassVar[Flow] = Flow.VISITOR
    step: Step
    event_id: int
    name: str | None = None
    category: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event": self.event_id}
        for key in ("name", "category"):
            if (value := getattr(self, key)) is not None:
                data[key] = value
        return data

    @classmethod
    def from_json(cls, step: Step, data: Mapping[str, Any]) -> AddVisitor:
        """Raises ValueError for data this version cannot read."""
        if step not in (Step.NAME, Step.CATEGORY, Step.PHONE):
            raise ValueError(step)
        return cls(
            step,
            _int(data.get("event")),
            name=_text_or_none(data.get("name")),
            category=_text_or_none(data.get("category")),
        )


@dataclass(frozen=True)
class Unknown:
    """A staff question this version cannot read (an older version asked it)."""

    flow: Flow | None  # the flow it belongs to, when even that is unknown: None


StaffInput = NewEvent | Edit | AddVisitor | Unknown


def encode_signup(dialog: SignUp) -> tuple[str, dict[str, Any]]:
    """The state and the JSON data of a sign-up's row."""
    return SIGNUP, dialog.to_json()


def decode_signup(state: str, data: Mapping[str, Any]) -> SignUp | None:
    """The sign-up a resident's row holds; None for anything else (no question is open)."""
    if state != SIGNUP:
        return None
    try:
        return SignUp.from_json(data)
    except ValueError:
        return None


def encode_staff(dialog: NewEvent | Edit | AddVisitor) -> tuple[str, dict[str, Any]]:
    """The state and the JSON data of a staff row."""
    step = dialog.field if isinstance(dialog, Edit) else dialog.step
    return f"{dialog.flow}:{step}", dialog.to_json()


def decode_staff(state: str, data: Mapping[str, Any]) -> StaffInput:
    """The question a staff row holds; Unknown when this version cannot read it."""
    prefix, _, name = state.partition(":")
    flow = Flow(prefix) if prefix in set(Flow) else None
    if flow == Flow.VISITOR:
        try:
            return AddVisitor.from_json(Step(name), data)
        except ValueError:
            return Unknown(flow)
    step = parse_step(name)
    try:
        if flow == Flow.NEW_EVENT and step is not None:
            return NewEvent.from_json(step, data)
        if flow == Flow.EDIT and step is not None:
            return Edit.from_json(step, data)
    except ValueError:
        pass
    return Unknown(flow)


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__}")
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"not an id: {value!r}")
    return value


def _programs(data: Mapping[str, Any]) -> tuple[str, ...]:
    found = data.get("programs", [])
    if not isinstance(found, list) or not all(isinstance(p, str) for p in found):
        raise ValueError(f"not a list of projects: {found!r}")
    return tuple(found)


def _with_programs(
    data: dict[str, Any], step: FormStep, programs: tuple[str, ...]
) -> dict[str, Any]:
    # Stored under the project question only (an empty list too), as before.
    return {**data, "programs": list(programs)} if step == FormStep.PROG else data


# --- the resident's sign-up -----------------------------------------------------------------


async def signup(session: AsyncSession, telegram_id: int) -> SignUp | None:
    """The sign-up question the person is being asked, if any."""
    found = await storage.get(session, telegram_id)
    return None if found is None else decode_signup(*found)


async def ask_signup(
    session: AsyncSession, telegram_id: int, dialog: SignUp, *, now: datetime
) -> None:
    """Remember the sign-up question just asked."""
    state, data = encode_signup(dialog)
    await storage.put(session, telegram_id, state, data, now=now)


async def purge_abandoned_signups(session: AsyncSession, *, before: datetime) -> int:
    """Drop sign-ups nobody answered since ``before``: their answers may hold a name and a
    phone given without consent. Returns how many.

    As after /forget, SQLite's write-ahead log is cut once this is committed, so the
    old pages with those answers are gone from disk too."""
    purged = await storage.clear_older(session, before=before)
    # A resident who phoned, left half written down by staff: their name goes too.
    purged += await storage.clear_older(
        session, before=before, table=StaffDialog, state_prefix=f"{Flow.VISITOR}:"
    )
    if purged:
        after_commit(session, truncate_wal)
    return purged


async def close_signup(session: AsyncSession, telegram_id: int) -> None:
    """Drop the sign-up question."""
    await storage.clear(session, telegram_id)


# --- staff ----------------------------------------------------------------------------------


async def staff_input(session: AsyncSession, telegram_id: int) -> StaffInput | None:
    """The staff member's open question, whatever was asked after it."""
    found = await staff_storage.get_input(session, telegram_id)
    return None if found is None else decode_staff(*found)


async def input_for_text(session: AsyncSession, telegram_id: int) -> StaffInput | None:
    """The staff question typed text answers: none while a resident sign-up question was
    asked after it (a librarian who signs up in the middle of a draft answers that first)."""
    found = await staff_storage.open_input(session, telegram_id)
    return None if found is None else decode_staff(*found)


async def ask_staff(
    session: AsyncSession, telegram_id: int, dialog: NewEvent | Edit | AddVisitor, *, now: datetime
) -> None:
    """Remember the question just asked (it replaces any other)."""
    state, data = encode_staff(dialog)
    await staff_storage.put_input(session, telegram_id, state, data, now=now)


async def close_staff(session: AsyncSession, telegram_id: int) -> StaffInput | None:
    """Drop the open question; returns what it was."""
    found = await staff_input(session, telegram_id)
    await staff_storage.clear_input(session, telegram_id)
    return found

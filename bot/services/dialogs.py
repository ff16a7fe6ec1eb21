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

from bot.domain import program_form
from bot.domain.event_form import EDITABLE, EventAnswers, FormStep, parse_step
from bot.domain.program_form import ProgramAnswers, ProgramStep
from bot.domain.signup import Step
from storage import dialogs as storage
from storage import staff as staff_storage
from storage.database import after_commit, truncate_wal
from storage.models import StaffDialog

SIGNUP = "signup"


class Flow(StrEnum):
    NEW_EVENT = "ne"
    EDIT = "ed"
    NEW_PROGRAM = "np"
    EDIT_PROGRAM = "pe"
    VISITOR = "vs"


@dataclass(frozen=True)
class Offered:
    """A programme offered as a button under the programme question."""

    id: int
    name: str


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
    series: bool = False  # «Sign up for all»: every week of the event's series from it on


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
        if answers.series:
            data["series"] = True
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
            series=data.get("series") is True,
        )
        return cls(Step(str(data.get("step"))), answers)


@dataclass(frozen=True)
class NewEvent:
    """The /newevent question a staff member was asked last, and the answers so far."""

    flow: ClassVar[Flow] = Flow.NEW_EVENT
    step: FormStep
    answers: EventAnswers = field(default_factory=EventAnswers)
    # The programmes offered under the programme question (their buttons carry the ids).
    programs: tuple[Offered, ...] = ()
    # A programme name typed that matches none: offered to be created with one tap.
    new_program: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = _with_programs(self.answers.to_json(), self.step, self.programs)
        return _with_new_program(data, self.new_program)

    @classmethod
    def from_json(cls, step: FormStep, data: Mapping[str, Any]) -> NewEvent:
        """Raises ValueError for data this version cannot read."""
        return cls(step, EventAnswers.from_json(data), _programs(data), _new_program(data))


@dataclass(frozen=True)
class Edit:
    """The field of an event a staff member was asked the new value of."""

    flow: ClassVar[Flow] = Flow.EDIT
    event_id: int
    field: FormStep
    programs: tuple[Offered, ...] = ()  # as for NewEvent
    new_program: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = _with_programs({"event": self.event_id}, self.field, self.programs)
        return _with_new_program(data, self.new_program)

    @classmethod
    def from_json(cls, field: FormStep, data: Mapping[str, Any]) -> Edit:
        """Raises ValueError for data this version cannot read."""
        if field not in EDITABLE:
            raise ValueError(field)
        event_id = _int(data.get("event"))
        return cls(event_id, field, _programs(data), _new_program(data))


@dataclass(frozen=True)
class NewProgram:
    """The /newprogram question a staff member was asked last, and the answers so far."""

    flow: ClassVar[Flow] = Flow.NEW_PROGRAM
    step: ProgramStep
    answers: ProgramAnswers = field(default_factory=ProgramAnswers)

    def to_json(self) -> dict[str, Any]:
        return self.answers.to_json()

    @classmethod
    def from_json(cls, step: ProgramStep, data: Mapping[str, Any]) -> NewProgram:
        """Raises ValueError for data this version cannot read."""
        return cls(step, ProgramAnswers.from_json(data))


@dataclass(frozen=True)
class EditProgram:
    """The field of a programme a staff member was asked the new value of."""

    flow: ClassVar[Flow] = Flow.EDIT_PROGRAM
    program_id: int
    field: ProgramStep

    def to_json(self) -> dict[str, Any]:
        return {"program": self.program_id}

    @classmethod
    def from_json(cls, field: ProgramStep, data: Mapping[str, Any]) -> EditProgram:
        """Raises ValueError for data this version cannot read."""
        return cls(_int(data.get("program")), field)


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


Asked = NewEvent | Edit | NewProgram | EditProgram | AddVisitor
StaffInput = NewEvent | Edit | NewProgram | EditProgram | AddVisitor | Unknown


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


def encode_staff(dialog: Asked) -> tuple[str, dict[str, Any]]:
    """The state and the JSON data of a staff row."""
    step = dialog.field if isinstance(dialog, Edit | EditProgram) else dialog.step
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
    program_step = program_form.parse_step(name)
    try:
        if flow == Flow.NEW_EVENT and step is not None:
            return NewEvent.from_json(step, data)
        if flow == Flow.EDIT and step is not None:
            return Edit.from_json(step, data)
        if flow == Flow.NEW_PROGRAM and program_step is not None:
            return NewProgram.from_json(program_step, data)
        if flow == Flow.EDIT_PROGRAM and program_step is not None:
            return EditProgram.from_json(program_step, data)
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


def _programs(data: Mapping[str, Any]) -> tuple[Offered, ...]:
    found = data.get("programs", [])
    if not isinstance(found, list):
        raise ValueError(f"not a list of programmes: {found!r}")
    if all(isinstance(p, str) for p in found):
        # Free-text projects offered by an older version: their buttons are refused, the
        # question stays open and offers the programmes when asked again.
        return ()
    offered = []
    for item in found:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)):
            raise ValueError(f"not a programme: {item!r}")
        offered.append(Offered(_int(item[0]), item[1]))
    return tuple(offered)


def _with_programs(
    data: dict[str, Any], step: FormStep, programs: tuple[Offered, ...]
) -> dict[str, Any]:
    # Stored under the programme question only (an empty list too), as before.
    if step != FormStep.PROG:
        return data
    return {**data, "programs": [[p.id, p.name] for p in programs]}


def _new_program(data: Mapping[str, Any]) -> str | None:
    return _text_or_none(data.get("new_program"))


def _with_new_program(data: dict[str, Any], name: str | None) -> dict[str, Any]:
    return data if name is None else {**data, "new_program": name}


# --- the resident's sign-up -----------------------------------------------------------------


async def signup(session: AsyncSession, telegram_id: int, *, lock: bool = False) -> SignUp | None:
    """The sign-up question the person is being asked, if any (``lock``: held until the
    transaction ends, for an answer to it)."""
    found = await storage.get(session, telegram_id, lock=lock)
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


# --- the resident's comment after rating an event -------------------------------------------

FEEDBACK = "feedback"


async def feedback_event(session: AsyncSession, telegram_id: int) -> int | None:
    """The event whose comment the person's next text is, if that question is open."""
    found = await storage.get(session, telegram_id)
    if found is None or found[0] != FEEDBACK:
        return None
    event_id = found[1].get("event_id")
    return event_id if isinstance(event_id, int) else None


async def ask_feedback_comment(
    session: AsyncSession, telegram_id: int, event_id: int, *, now: datetime
) -> bool:
    """Take their next text as the comment, unless a sign-up question is open (that one
    matters more); False then."""
    found = await storage.get(session, telegram_id)
    if found is not None and found[0] == SIGNUP:
        return False
    await storage.put(session, telegram_id, FEEDBACK, {"event_id": event_id}, now=now)
    return True


async def close_feedback(session: AsyncSession, telegram_id: int) -> None:
    if await feedback_event(session, telegram_id) is not None:
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
    session: AsyncSession, telegram_id: int, dialog: Asked, *, now: datetime
) -> None:
    """Remember the question just asked (it replaces any other)."""
    state, data = encode_staff(dialog)
    await staff_storage.put_input(session, telegram_id, state, data, now=now)


async def close_staff(session: AsyncSession, telegram_id: int) -> StaffInput | None:
    """Drop the open question; returns what it was."""
    found = await staff_input(session, telegram_id)
    await staff_storage.clear_input(session, telegram_id)
    return found

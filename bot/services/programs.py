"""Programmes (projects) as use cases: create, list, read, change one field, find by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError
from bot.domain.program_form import Period, ProgramAnswers, ProgramStep
from bot.services import dialogs
from bot.services.dialogs import EditProgram, Flow, NewProgram
from storage import programs
from storage.models import Program

# The columns behind the fields a programme's card edits (the period is two).
_COLUMNS = {
    ProgramStep.NAME: "name",
    ProgramStep.PURPOSE: "purpose",
    ProgramStep.FRAME: "frame",
    ProgramStep.LINK: "link",
    ProgramStep.POSITION: "signer_position",
    ProgramStep.SIGNER: "signer_name",
}


class ProgramNotFoundError(DomainError):
    """No such programme (deleted meanwhile, or a forged button)."""


class ProgramExistsError(DomainError):
    """A programme with this name is already there (names are compared ignoring case)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class ProgramPeriodError(DomainError):
    """The period ends before it starts."""


@dataclass(frozen=True)
class ProgramSummary:
    program: Program
    events: int  # not cancelled


def same_name(a: str, b: str) -> bool:
    """Names as a librarian means them: case and surrounding spaces do not matter."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


async def find(session: AsyncSession, name: str) -> Program | None:
    """The programme called ``name`` (case-insensitive, trimmed), if any."""
    program_id = await find_id(session, name)
    return None if program_id is None else await programs.get(session, program_id)


async def find_id(session: AsyncSession, name: str) -> int | None:
    """The id of the programme called ``name``, in one statement."""
    # Compared in Python: SQLite's lower() folds only ASCII, and Cyrillic names are the rule.
    for program_id, known in (await programs.names(session)).items():
        if same_name(known, name):
            return program_id
    return None


async def _check_free(session: AsyncSession, name: str, *, other_than: int | None) -> None:
    found = await find(session, name)
    if found is not None and found.id != other_than:
        raise ProgramExistsError(found.name)


def _check_period(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise ProgramPeriodError()


async def create(
    session: AsyncSession,
    *,
    name: str,
    purpose: str = "",
    frame: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    link: str = "",
    signer_position: str = "",
    signer_name: str = "",
    now: datetime,
) -> Program:
    """A new programme; raises ProgramExistsError for a name already taken."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("a programme needs a name")
    _check_period(starts_on, ends_on)
    await _check_free(session, name, other_than=None)
    program = await programs.add(
        session,
        name=name,
        purpose=purpose,
        frame=frame,
        starts_on=starts_on,
        ends_on=ends_on,
        link=link,
        signer_position=signer_position,
        signer_name=signer_name,
        now=now,
    )
    if program is None:  # added by someone else meanwhile
        raise ProgramExistsError(name)
    return program


async def create_from(session: AsyncSession, answers: ProgramAnswers, *, now: datetime) -> Program:
    """The programme the answers of /newprogram describe."""
    starts_on, ends_on = answers.period or (None, None)
    return await create(
        session,
        name=answers.name,
        purpose=answers.purpose,
        frame=answers.frame,
        starts_on=starts_on,
        ends_on=ends_on,
        link=answers.link,
        signer_position=answers.position,
        signer_name=answers.signer,
        now=now,
    )


async def listing(session: AsyncSession) -> list[ProgramSummary]:
    """Every programme, by name, with its number of events."""
    return [ProgramSummary(p, n) for p, n in await programs.listed(session)]


async def names(session: AsyncSession) -> dict[int, str]:
    """Every programme's name by id."""
    return await programs.names(session)


async def get(session: AsyncSession, program_id: int) -> Program:
    program = await programs.get(session, program_id)
    if program is None:
        raise ProgramNotFoundError(program_id)
    return program


async def exists(session: AsyncSession, program_id: int) -> bool:
    return await programs.get(session, program_id) is not None


async def edit(
    session: AsyncSession, program_id: int, field: ProgramStep, value: str | Period | None
) -> Program:
    """Change one field; "" or None clears it (the name cannot be cleared)."""
    program = await get(session, program_id)
    changes: dict[str, object]
    if field == ProgramStep.PERIOD:
        if value is not None and not isinstance(value, tuple):
            raise TypeError(value)
        starts_on, ends_on = value or (None, None)
        _check_period(starts_on, ends_on)
        changes = {"starts_on": starts_on, "ends_on": ends_on}
    else:
        if isinstance(value, tuple):
            raise TypeError(value)
        text = value or ""
        if field == ProgramStep.NAME:
            text = " ".join(text.split())
            if not text:
                raise ValueError("a programme needs a name")
            await _check_free(session, text, other_than=program_id)
        changes = {_COLUMNS[field]: text}
    if not await programs.save(session, program, **changes):
        raise ProgramExistsError(str(changes["name"]))
    return program


# --- the staff's questions: /newprogram and editing one field ---------------------------------


async def may_ask(session: AsyncSession, telegram_id: int) -> bool:
    """Whether a programme question may be asked: not while a new event or a new
    programme is half-filled (one open question per person; it is not thrown away)."""
    found = await dialogs.staff_input(session, telegram_id)
    return found is None or found.flow not in (Flow.NEW_EVENT, Flow.NEW_PROGRAM)


async def ask(
    session: AsyncSession,
    telegram_id: int,
    question: NewProgram | EditProgram,
    *,
    now: datetime,
) -> None:
    """Remember the question just asked."""
    await dialogs.ask_staff(session, telegram_id, question, now=now)


async def start_edit(
    session: AsyncSession, telegram_id: int, program_id: int, field: ProgramStep, *, now: datetime
) -> Program | None:
    """Ask for a field's new value; the programme, or None when another form is open."""
    program = await get(session, program_id)
    if not await may_ask(session, telegram_id):
        return None
    await ask(session, telegram_id, EditProgram(program_id, field), now=now)
    return program


async def finish_new(
    session: AsyncSession, telegram_id: int, answers: ProgramAnswers, *, now: datetime
) -> Program:
    """Store the answered /newprogram and close it; raises ProgramExistsError."""
    program = await create_from(session, answers, now=now)
    await dialogs.close_staff(session, telegram_id)
    return program


async def apply_edit(
    session: AsyncSession,
    telegram_id: int,
    program_id: int,
    field: ProgramStep,
    value: str | Period | None,
) -> Program:
    """Change the field and close the question; raises ProgramExistsError for a name
    already taken (the question stays open)."""
    program = await edit(session, program_id, field, value)
    await dialogs.close_staff(session, telegram_id)
    return program


async def close(session: AsyncSession, telegram_id: int, flow: Flow) -> bool:
    """Drop the open question of ``flow``; False when none is open."""
    found = await dialogs.staff_input(session, telegram_id)
    if found is None or found.flow != flow:
        return False
    await dialogs.close_staff(session, telegram_id)
    return True

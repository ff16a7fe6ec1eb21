"""Open questions as stored: today's rows load, and what is written is what was read."""

from __future__ import annotations

import json
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.event_form import (
    FIELDS,
    UNANSWERED,
    EventAnswers,
    FormStep,
    draft,
    next_step,
    parse_step,
)
from bot.domain.program_form import ProgramAnswers, ProgramStep
from bot.domain.signup import Step
from bot.services.dialogs import (
    AddVisitor,
    Edit,
    EditProgram,
    Flow,
    NewEvent,
    NewProgram,
    Offered,
    SignUp,
    SignUpAnswers,
    Unknown,
    decode_signup,
    decode_staff,
    encode_signup,
    encode_staff,
)

# Rows exactly as the version before typed dialogs wrote them (state, json.dumps of data).
SIGNUP_ROWS = [
    ("signup", '{"event_id": 7, "step": "name"}'),
    ("signup", '{"event_id": 7, "step": "consent", "phone_done": true}'),
]
ANSWERS = (
    '"title": "\\u041b\\u0435\\u0433\\u0430\\u043b\\u044c\\u043d\\u0430", "kind": "seminar", '
    '"date": "2026-12-10", "time": "11:00", "dur": 90, "place": "\\u0426\\u0420\\u0411", '
    '"cap": null, "aud": "", "prog": 4, "desc": "", "rem": null'
)
STAFF_ROWS = [
    ("ne:title", "{}"),
    ("ne:kind", '{"title": "\\u041b\\u0435\\u0433\\u0430\\u043b\\u044c\\u043d\\u0430"}'),
    ("ne:prog", '{"title": "T", "kind": "training", "programs": [[3, "\\u0412\\u041f\\u041e"]]}'),
    ("ne:prog", '{"title": "T", "programs": []}'),
    ("ne:done", "{" + ANSWERS + "}"),
    ("ed:place", '{"event": 12}'),
    ("ed:prog", '{"event": 12, "programs": [[1, "A"], [2, "B"]]}'),
    ("ed:prog", '{"event": 12, "programs": [], "new_program": "C"}'),
    ("ed:label", '{"event": 12}'),
    ("np:period", '{"name": "N", "period": ["2026-03-01", "2026-11-30"]}'),
    ("pe:signer", '{"program": 3}'),
    ("vs:name", '{"event": 12}'),
    ("vs:phone", '{"event": 12, "name": "M", "category": "library_users"}'),
]


@pytest.mark.parametrize(("state", "text"), SIGNUP_ROWS)
def test_a_stored_sign_up_is_written_back_as_it_was(state: str, text: str) -> None:
    dialog = decode_signup(state, json.loads(text))
    assert dialog is not None
    encoded = encode_signup(dialog)
    assert (encoded[0], json.dumps(encoded[1])) == (state, text)


@pytest.mark.parametrize(("state", "text"), STAFF_ROWS)
def test_a_stored_staff_question_is_written_back_as_it_was(state: str, text: str) -> None:
    dialog = decode_staff(state, json.loads(text))
    assert isinstance(dialog, NewEvent | Edit | NewProgram | EditProgram | AddVisitor)
    encoded = encode_staff(dialog)
    assert (encoded[0], json.dumps(encoded[1])) == (state, text)


def test_stored_rows_read_as_typed_values() -> None:
    assert decode_signup(*_row(SIGNUP_ROWS[1])) == SignUp(
        Step.CONSENT, SignUpAnswers(event_id=7, phone_done=True)
    )
    assert decode_staff(*_row(STAFF_ROWS[2])) == NewEvent(
        FormStep.PROG, EventAnswers(title="T", kind="training"), programs=(Offered(3, "ВПО"),)
    )
    offered = (Offered(1, "A"), Offered(2, "B"))
    assert decode_staff(*_row(STAFF_ROWS[6])) == Edit(12, FormStep.PROG, offered)
    assert decode_staff(*_row(STAFF_ROWS[7])) == Edit(12, FormStep.PROG, new_program="C")
    assert decode_staff(*_row(STAFF_ROWS[9])) == NewProgram(
        ProgramStep.PERIOD, ProgramAnswers(name="N", period=(date(2026, 3, 1), date(2026, 11, 30)))
    )
    assert decode_staff(*_row(STAFF_ROWS[10])) == EditProgram(3, ProgramStep.SIGNER)
    done = decode_staff(*_row(STAFF_ROWS[4]))
    assert isinstance(done, NewEvent) and done.step == FormStep.DONE
    answers = done.answers
    assert (answers.day, answers.start, answers.minutes) == (date(2026, 12, 10), time(11), 90)
    assert (answers.capacity, answers.reminders, answers.program) == (None, None, 4)
    assert all(answers.answered(step) for step in FIELDS)
    # A preview stored before series existed is one event, not a question left open.
    assert not answers.answered(FormStep.REP)
    assert draft(answers, ZoneInfo("Europe/Kyiv")).repeat is None


@pytest.mark.parametrize(
    "dialog",
    [
        NewEvent(FormStep.TITLE),
        NewEvent(
            FormStep.DATE,
            EventAnswers(title="T", kind="k", minutes=60, place="P", capacity=5, reminders=""),
        ),
        NewEvent(FormStep.PROG, EventAnswers(title="T"), programs=()),
        Edit(3, FormStep.TIME),
        Edit(3, FormStep.PROG, (Offered(1, "A"),)),
        NewEvent(FormStep.PROG, EventAnswers(title="T"), programs=(), new_program="Нова"),
        NewEvent(FormStep.DONE, EventAnswers(title="T", program=None)),
        Edit(3, FormStep.PARTNER),
        NewProgram(ProgramStep.NAME),
        NewProgram(ProgramStep.SIGNER, ProgramAnswers(name="N", purpose="P\nQ", link="L")),
        EditProgram(5, ProgramStep.PERIOD),
        AddVisitor(Step.CATEGORY, 3, name="Марія Коваль"),
    ],
)
def test_a_staff_question_survives_its_round_trip(
    dialog: NewEvent | Edit | NewProgram | EditProgram | AddVisitor,
) -> None:
    state, data = encode_staff(dialog)
    assert decode_staff(state, json.loads(json.dumps(data))) == dialog


def test_programs_are_kept_only_under_the_project_question() -> None:
    kind = NewEvent(FormStep.KIND, programs=(Offered(1, "A"),))
    assert "programs" not in encode_staff(kind)[1]
    assert encode_staff(NewEvent(FormStep.PROG))[1] == {"programs": []}


def test_an_older_versions_free_text_projects_are_read_as_no_programme_yet() -> None:
    # Offered by name, chosen by position: those buttons mean nothing now, and the
    # question stays open; a project typed as text is asked again as a programme.
    assert decode_staff("ne:prog", {"title": "T", "programs": ["ВПО"]}) == NewEvent(
        FormStep.PROG, EventAnswers(title="T"), programs=()
    )
    assert decode_staff("ed:prog", {"event": 12, "programs": ["A"]}) == Edit(12, FormStep.PROG)
    done = decode_staff("ne:done", {"title": "T", "prog": "Поінформована громада"})
    assert isinstance(done, NewEvent) and not done.answers.answered(FormStep.PROG)


@pytest.mark.parametrize(
    ("state", "data", "expected"),
    [
        ("newevent:title", {}, Unknown(None)),  # a flow of an older version
        ("", {}, Unknown(None)),
        ("ne:when", {}, Unknown(Flow.NEW_EVENT)),  # a question this version does not ask
        ("ne", {}, Unknown(Flow.NEW_EVENT)),
        ("ne:time", {"date": "10.12.2026"}, Unknown(Flow.NEW_EVENT)),
        ("ne:place", {"dur": "90"}, Unknown(Flow.NEW_EVENT)),
        ("ne:place", {"cap": True}, Unknown(Flow.NEW_EVENT)),
        ("ne:prog", {"programs": "A"}, Unknown(Flow.NEW_EVENT)),
        ("ed:done", {"event": 1}, Unknown(Flow.EDIT)),  # the preview is no field
        ("ed:place", {}, Unknown(Flow.EDIT)),
        ("ed:place", {"event": "1"}, Unknown(Flow.EDIT)),
        ("ed:when", {"event": 1}, Unknown(Flow.EDIT)),
        ("ed:prog", {"event": 1, "programs": [["1", "A"]]}, Unknown(Flow.EDIT)),
        ("np:when", {}, Unknown(Flow.NEW_PROGRAM)),
        ("np:period", {"period": "2026"}, Unknown(Flow.NEW_PROGRAM)),
        ("np:name", {"name": 5}, Unknown(Flow.NEW_PROGRAM)),
        ("pe:name", {}, Unknown(Flow.EDIT_PROGRAM)),
        ("pe:prog", {"program": 1}, Unknown(Flow.EDIT_PROGRAM)),
        ("vs:consent", {"event": 1}, Unknown(Flow.VISITOR)),  # not asked of a visitor
        ("vs:name", {}, Unknown(Flow.VISITOR)),
        ("vs:cat", {"event": 1, "name": 5}, Unknown(Flow.VISITOR)),
    ],
)
def test_a_staff_question_this_version_cannot_read_is_unknown(
    state: str, data: dict[str, object], expected: Unknown
) -> None:
    assert decode_staff(state, data) == expected


@pytest.mark.parametrize(
    ("state", "data"),
    [
        ("ne:title", {}),  # a staff state in the residents' table
        ("signup", {"event_id": 7, "step": "email"}),
        ("signup", {"step": "name"}),
        ("signup", {"event_id": "7", "step": "name"}),
    ],
)
def test_a_sign_up_this_version_cannot_read_is_no_question(
    state: str, data: dict[str, object]
) -> None:
    assert decode_signup(state, data) is None


def test_answers_are_typed_and_none_is_an_answer() -> None:
    answers = EventAnswers().answer(FormStep.CAP, None).answer(FormStep.DATE, date(2026, 1, 2))
    assert answers.answered(FormStep.CAP) and answers.capacity is None
    assert not answers.answered(FormStep.REM) and answers.reminders is UNANSWERED
    assert answers.to_json() == {"date": "2026-01-02", "cap": None}
    assert not answers.without(FormStep.DATE).answered(FormStep.DATE)
    for step, wrong in ((FormStep.DUR, "90"), (FormStep.DATE, "2026-01-02"), (FormStep.CAP, True)):
        with pytest.raises(TypeError):
            answers.answer(step, wrong)


def test_steps_are_parsed_strictly() -> None:
    assert parse_step("prog") is FormStep.PROG
    assert parse_step("done") is FormStep.DONE
    assert parse_step("wat") is None
    assert next_step(FormStep.REM) is FormStep.DONE


def _row(row: tuple[str, str]) -> tuple[str, dict[str, object]]:
    return row[0], json.loads(row[1])


def test_a_sign_up_for_every_week_of_a_series_survives_its_row() -> None:
    weekly = SignUp(Step.CATEGORY, SignUpAnswers(5, name="Ганна Мельник", series=True))
    state, data = encode_signup(weekly)
    assert data["series"] is True
    assert decode_signup(state, json.loads(json.dumps(data))) == weekly
    # A row written before series existed (or for one event) is a sign-up for one event.
    once = SignUp(Step.CATEGORY, SignUpAnswers(5))
    assert "series" not in encode_signup(once)[1]
    assert decode_signup(*encode_signup(once)) == once

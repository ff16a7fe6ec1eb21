"""Open questions as stored: today's rows load, and what is written is what was read."""

from __future__ import annotations

import json
from datetime import date, time

import pytest

from bot.domain.event_form import UNANSWERED, EventAnswers, FormStep, next_step, parse_step
from bot.domain.signup import Step
from bot.services.dialogs import (
    AddVisitor,
    Edit,
    Flow,
    NewEvent,
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
    '"cap": null, "aud": "", "prog": "", "desc": "", "rem": null'
)
STAFF_ROWS = [
    ("ne:title", "{}"),
    ("ne:kind", '{"title": "\\u041b\\u0435\\u0433\\u0430\\u043b\\u044c\\u043d\\u0430"}'),
    ("ne:prog", '{"title": "T", "kind": "training", "programs": ["\\u0412\\u041f\\u041e"]}'),
    ("ne:prog", '{"title": "T", "programs": []}'),
    ("ne:done", "{" + ANSWERS + "}"),
    ("ed:place", '{"event": 12}'),
    ("ed:prog", '{"event": 12, "programs": ["A", "B"]}'),
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
    assert isinstance(dialog, NewEvent | Edit | AddVisitor)
    encoded = encode_staff(dialog)
    assert (encoded[0], json.dumps(encoded[1])) == (state, text)


def test_stored_rows_read_as_typed_values() -> None:
    assert decode_signup(*_row(SIGNUP_ROWS[1])) == SignUp(
        Step.CONSENT, SignUpAnswers(event_id=7, phone_done=True)
    )
    assert decode_staff(*_row(STAFF_ROWS[2])) == NewEvent(
        FormStep.PROG, EventAnswers(title="T", kind="training"), programs=("ВПО",)
    )
    assert decode_staff(*_row(STAFF_ROWS[6])) == Edit(12, FormStep.PROG, ("A", "B"))
    done = decode_staff(*_row(STAFF_ROWS[4]))
    assert isinstance(done, NewEvent) and done.step == FormStep.DONE
    answers = done.answers
    assert (answers.day, answers.start, answers.minutes) == (date(2026, 12, 10), time(11), 90)
    assert (answers.capacity, answers.reminders, answers.program) == (None, None, "")
    assert all(answers.answered(step) for step in FormStep if step != FormStep.DONE)


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
        Edit(3, FormStep.PROG, ("A",)),
        AddVisitor(Step.CATEGORY, 3, name="Марія Коваль"),
    ],
)
def test_a_staff_question_survives_its_round_trip(dialog: NewEvent | Edit | AddVisitor) -> None:
    state, data = encode_staff(dialog)
    assert decode_staff(state, json.loads(json.dumps(data))) == dialog


def test_programs_are_kept_only_under_the_project_question() -> None:
    assert "programs" not in encode_staff(NewEvent(FormStep.KIND, programs=("A",)))[1]
    assert encode_staff(NewEvent(FormStep.PROG))[1] == {"programs": []}


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

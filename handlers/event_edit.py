"""Editing one field of an event (staff only): ``sed:{id}`` lists the fields, a field asks
for its new value (the staff member's open question, an ``Edit``), the answer is checked by
the same parsers as /newevent and applied by ``event_admin.update_event``, which tells
registrants of a new time or place through the outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from telegram import InlineKeyboardMarkup

from bot.domain import event_form
from bot.domain.errors import DomainError, EventNotFoundError, InvalidInputError
from bot.domain.event_form import Answer, FormError, FormStep
from bot.domain.status import EventStatus
from bot.i18n import Translator
from bot.services import dialogs, event_admin, event_forms, places, programs
from bot.services.dialogs import Edit, NewProgram
from bot.services.event_admin import Changes, EventCancelledError
from bot.services.programs import ProgramNotFoundError
from bot.services.records import Event
from handlers import callbacks, program_views, render
from handlers import event_form_views as views
from handlers.common import Reply, today
from handlers.new_event import create_typed_program, typed_place


@callbacks.EDIT_EVENT.handles
async def on_menu(reply: Reply, event_id: int) -> None:
    """``sed:{id}``: the fields to change, as buttons."""
    event = await _editable(reply, event_id)
    if event is None:
        return
    await reply.show(
        views.edit_menu(reply.deps.config, reply.tr, event),
        views.edit_menu_keyboard(reply.tr, event.id),
    )


@callbacks.EDIT_FIELD.handles
async def on_field(reply: Reply, event_id: int, field_value: str) -> None:
    """A field was chosen: ask for its new value."""
    field = event_form.parse_step(field_value)
    if field not in views.EDITABLE:
        await reply.refuse(render.not_available(reply.tr))
        return
    event = await _editable(reply, event_id)
    if event is None:
        return
    question = await reply.write(
        event_forms.start_edit, reply.user.id, event_id, field, now=reply.deps.now()
    )
    if question is None:
        found = await reply.read(dialogs.staff_input, reply.user.id)
        if isinstance(found, NewProgram):
            await reply.refuse(program_views.finish_first(reply.tr))
        else:
            await reply.refuse(views.finish_new_event_first(reply.tr))
        return
    await reply.clear_buttons()
    await _ask(reply, event, question)


@callbacks.REPORT_WORDING.handles
async def on_report_wording(reply: Reply, event_id: int) -> None:
    """«📄 As in the report»: the report line's wording, each field with its ✏️ button."""
    event = await _editable(reply, event_id)
    if event is None:
        return
    await reply.show(
        views.report_wording(reply.deps.config, reply.tr, event),
        views.report_wording_keyboard(reply.tr, event.id),
    )


async def on_text(reply: Reply, question: Edit, text: str) -> None:
    """The typed new value (routed here by handlers/dialogs.py)."""
    try:
        value = _parse(reply, question.field, text)
    except FormError as error:
        note = views.problem(reply.tr, error, today=today(reply.deps))
        await _ask_again(reply, question, note)
        return
    if question.field == FormStep.PROG:
        assert isinstance(value, str)
        program_id = await reply.read(programs.find_id, value)
        if program_id is None:
            if reply.branch is not None:  # programmes are made by the library's staff
                await _ask_again(reply, question, views.no_such_program(reply.tr, value))
                return
            question = await reply.write(
                event_forms.ask,
                reply.user.id,
                replace(question, new_program=value),
                now=reply.deps.now(),
            )
            await _ask_again(reply, question, views.unknown_program(reply.tr, value))
            return
        value = program_id
    await _apply(reply, question, value)


async def on_unreadable(reply: Reply) -> None:
    """Typed text for an edit this version cannot read (an older version asked it)."""
    await _clear(reply)
    await reply.send(render.not_available(reply.tr))


@callbacks.EDIT_CHOICE.handles
async def on_choice(reply: Reply, event_id: int, field_value: str, choice: str) -> None:
    """A button under the question: «No limit», «Clear», a project, a kind, a duration..."""
    field = event_form.parse_step(field_value)
    found = await reply.read(dialogs.staff_input, reply.user.id)
    if (
        field is None
        or not isinstance(found, Edit)
        or found.field != field
        or found.event_id != event_id
    ):
        await reply.refuse(render.not_available(reply.tr))  # an older question's button
        return
    if field == FormStep.PROG and choice == "new":
        if (created := await create_typed_program(reply)) is not None:
            await _apply(reply, found, created)
        return
    if field == FormStep.PROG and (page := views.program_page(choice)) is not None:
        await _turn_programs(reply, found, page)
        return
    if field == FormStep.PLACE and (page := views.place_page(choice)) is not None:
        event = await _editable(reply, event_id)
        if event is not None:
            await reply.show(
                views.edit_question(reply.deps.config, reply.tr, event, field),
                _keyboard(reply, event.id, found, page=page),
            )
        return
    value = views.chosen(reply.deps.config, field, choice, found.programs, branch=reply.branch)
    if value is views.INVALID:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await _apply(reply, found, value)


@callbacks.EDIT_CANCEL.handles
async def on_cancel(reply: Reply, event_id: int) -> None:
    if not await reply.write(event_forms.close_edit, reply.user.id, event_id):
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await reply.send(views.edit_cancelled(reply.tr), views.card_keyboard(reply.tr, event_id))


def _parse(reply: Reply, field: FormStep, text: str) -> Answer:
    """The value of a typed answer; raises FormError."""
    d = reply.deps
    value = event_form.parse_answer(field, text, kinds=d.kinds(), today=today(d))
    if field == FormStep.PLACE and isinstance(value, str):
        return typed_place(reply, value)
    return value


def _changes(reply: Reply, event: Event, field: FormStep, value: Answer) -> Changes:
    """What one answer changes; a new day keeps the time of day and the other way round."""
    tz, now = reply.deps.config.library.timezone, reply.deps.now()
    local = event.starts_at.astimezone(tz)
    if field == FormStep.DATE:
        assert isinstance(value, date)
        return Changes(starts_at=event_form.local_start(value, local.time(), tz, now=now))
    if field == FormStep.TIME:
        assert isinstance(value, time)
        return Changes(starts_at=event_form.local_start(local.date(), value, tz, now=now))
    if field == FormStep.DUR:
        assert isinstance(value, int)
        return Changes(duration=timedelta(minutes=value))
    if field == FormStep.CAP:
        assert value is None or isinstance(value, int)
        return Changes(unlimited=True) if value is None else Changes(capacity=value)
    if field == FormStep.REM:
        assert value is None or isinstance(value, str)
        return Changes(reminders="default" if value is None else value)
    if field == FormStep.PROG:
        assert value is None or isinstance(value, int)
        return Changes(no_program=True) if value is None else Changes(program_id=value)
    assert isinstance(value, str)
    match field:
        case FormStep.TITLE:
            return Changes(title=value)
        case FormStep.KIND:
            return Changes(kind=value)
        case FormStep.PLACE:
            # A configured place brings its branch; a one-off one, the editor's.
            chosen = places.choose(reply.deps.config, value, staff_branch=reply.branch)
            return Changes(
                place=chosen.place, place_key=chosen.place_key, branch_key=chosen.branch_key
            )
        case FormStep.AUD:
            return Changes(audience=value)
        case FormStep.DESC:
            return Changes(description=value)
        case FormStep.LABEL:
            return Changes(report_label=value)
        case FormStep.RTITLE:
            return Changes(report_title=value)
        case FormStep.PARTNER:
            return Changes(partner=value)
        case FormStep.NOTE:
            return Changes(report_note=value)
    raise ValueError(f"{field} is not a field")


async def _apply(reply: Reply, question: Edit, value: Answer) -> None:
    d = reply.deps
    config, tr = d.config, reply.tr
    event_id, field = question.event_id, question.field
    try:
        old, result = await reply.write(
            event_forms.apply_edit,
            reply.user.id,
            event_id,
            lambda event: _changes(reply, event, field, value),
            default_reminders=config.reminders.before,
            now=d.now(),
        )
    except FormError as error:
        note = views.problem(tr, error, today=today(reply.deps))
        await _ask_again(reply, question, note)
        return
    except InvalidInputError as error:
        if error.problem != "capacity_below_taken":
            raise
        taken = (await reply.read(event_admin.get_event, event_id)).seats_taken
        await _ask_again(reply, question, views.capacity_below_taken(tr, taken))
        return
    except (EventCancelledError, EventNotFoundError, ProgramNotFoundError) as error:
        await _clear(reply)
        await reply.send(_refusal(tr, error))
        return
    names = await reply.read(programs.names) if field == FormStep.PROG else {}
    await reply.send(
        views.edited(
            tr,
            field,
            views.field_value(config, tr, old, field, names),
            views.field_value(config, tr, result.event, field, names),
            notified=result.notified,
            promoted=len(result.promoted),
        ),
        views.card_keyboard(tr, event_id),
    )


async def _ask(reply: Reply, event: Event, question: Edit, note: str = "") -> None:
    config, tr = reply.deps.config, reply.tr
    prefix = f"⚠️ {note}\n\n" if note else ""
    names = await reply.read(programs.names) if question.field == FormStep.PROG else {}
    await reply.send(
        prefix + views.edit_question(config, tr, event, question.field, names),
        _keyboard(reply, event.id, question),
    )


def _keyboard(
    reply: Reply, event_id: int, question: Edit, *, page: int = 0
) -> InlineKeyboardMarkup:
    return views.edit_keyboard(
        reply.deps.config,
        reply.tr,
        event_id,
        question.field,
        question.programs,
        new_program=question.new_program,
        branch=reply.branch,
        page=page,
    )


async def _turn_programs(reply: Reply, question: Edit, page: int) -> None:
    """Another page of programmes under the programme question, in the same message."""
    event = await _editable(reply, question.event_id)
    if event is None:
        return
    config, tr = reply.deps.config, reply.tr
    names = await reply.read(programs.names)
    await reply.show(
        views.edit_question(config, tr, event, question.field, names),
        views.edit_keyboard(
            config,
            tr,
            event.id,
            question.field,
            question.programs,
            new_program=question.new_program,
            page=page,
        ),
    )


async def _ask_again(reply: Reply, question: Edit, note: str) -> None:
    event = await _editable(reply, question.event_id)
    if event is None:
        await _clear(reply)
        return
    await _ask(reply, event, question, note)


async def _editable(reply: Reply, event_id: int) -> Event | None:
    """The event, or None after telling why it cannot be edited."""
    try:
        event = await reply.read(event_admin.get_event, event_id)
    except EventNotFoundError as error:
        await reply.refuse(_refusal(reply.tr, error))
        return None
    if event.status == EventStatus.CANCELLED:
        await reply.refuse(views.cannot_edit_cancelled(reply.tr))
        return None
    return event


def _refusal(tr: Translator, error: DomainError) -> str:
    if isinstance(error, EventCancelledError):
        return views.cannot_edit_cancelled(tr)
    return render.error(tr, error)


async def _clear(reply: Reply) -> None:
    await reply.write(dialogs.close_staff, reply.user.id)

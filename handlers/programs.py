"""Programmes (staff only): ``/programs`` lists them, a programme's card edits each field,
``/newprogram`` adds one question at a time. The answers so far live in the staff
member's open question (``NewProgram`` / ``EditProgram``, see ``bot/services/dialogs.py``)."""

from __future__ import annotations

from bot.domain import program_form
from bot.domain.event_form import FormError
from bot.domain.program_form import Answer, ProgramStep
from bot.services import dialogs, programs
from bot.services.dialogs import EditProgram, Flow, NewProgram
from bot.services.programs import ProgramExistsError, ProgramNotFoundError, ProgramPeriodError
from handlers import callbacks, render
from handlers import program_views as views
from handlers.common import Reply

# --- the list and the card ------------------------------------------------------------------


async def cmd_programs(reply: Reply) -> None:
    """The programmes as big buttons, and «➕ New programme»."""
    found = await reply.read(programs.listing)
    await reply.show(
        views.program_list(reply.tr, found), views.program_list_buttons(reply.tr, found)
    )


@callbacks.PROGRAMS.handles
async def on_list(reply: Reply) -> None:
    await cmd_programs(reply)


@callbacks.PROGRAM.handles
async def on_card(reply: Reply, program_id: int) -> None:
    try:
        program = await reply.read(programs.get, program_id)
    except ProgramNotFoundError:
        await reply.refuse(views.not_found(reply.tr))
        return
    await reply.show(views.card(reply.tr, program), views.card_buttons(reply.tr, program))


# --- /newprogram ----------------------------------------------------------------------------


async def cmd_newprogram(reply: Reply) -> None:
    """Start a new programme, or go on with the one left half-filled."""
    found = await reply.read(dialogs.staff_input, reply.user.id)
    if isinstance(found, NewProgram):
        await reply.send(views.resumed(reply.tr))
        await _ask_new(reply, found)
        return
    if found is not None and found.flow == Flow.NEW_EVENT:
        await reply.send(views.finish_first(reply.tr))
        return
    await reply.send(views.started(reply.tr))
    await restart(reply)


@callbacks.PROGRAM_NEW.handles
async def on_new(reply: Reply) -> None:
    await reply.clear_buttons()
    await cmd_newprogram(reply)


async def restart(reply: Reply) -> None:
    """Ask the first question with no answers (also for a /newprogram this version
    cannot read)."""
    await _go_to(reply, NewProgram(ProgramStep.NAME))


async def on_new_text(reply: Reply, question: NewProgram, text: str) -> None:
    """A typed answer to the open /newprogram question (routed by handlers/dialogs.py)."""
    try:
        value = program_form.parse_answer(question.step, text)
    except FormError as error:
        await _ask_new(reply, question, note=views.problem(reply.tr, error))
        return
    if question.step == ProgramStep.NAME:
        assert isinstance(value, str)
        if (same := await reply.read(programs.find, value)) is not None:
            await _ask_new(reply, question, note=views.name_taken(reply.tr, same.name))
            return
    await _answered(reply, question, value)


@callbacks.NEW_PROGRAM_CHOICE.handles
async def on_new_choice(reply: Reply, step_value: str, choice: str) -> None:
    """«Skip» under a question."""
    step = program_form.parse_step(step_value)
    found = await reply.read(dialogs.staff_input, reply.user.id)
    if (
        step is None
        or step not in program_form.OPTIONAL
        or choice != "skip"
        or not isinstance(found, NewProgram)
        or found.step != step
    ):
        await reply.refuse(render.not_available(reply.tr))  # an older question's button
        return
    await reply.clear_buttons()
    await _answered(reply, found, None)


@callbacks.NEW_PROGRAM_CANCEL.handles
async def on_new_cancel(reply: Reply) -> None:
    if not await reply.write(programs.close, reply.user.id, Flow.NEW_PROGRAM):
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await reply.send(views.discarded(reply.tr))


async def _answered(reply: Reply, question: NewProgram, value: Answer) -> None:
    answers = question.answers.answer(question.step, value)
    following = program_form.next_step(question.step)
    if following is not None:
        await _go_to(reply, NewProgram(following, answers))
        return
    try:
        program = await reply.write(
            programs.finish_new, reply.user.id, answers, now=reply.deps.now()
        )
    except ProgramExistsError as error:
        # Another librarian added the same name meanwhile: ask the name again.
        question = NewProgram(ProgramStep.NAME, answers)
        await reply.write(programs.ask, reply.user.id, question, now=reply.deps.now())
        await _ask_new(reply, question, note=views.name_taken(reply.tr, error.name))
        return
    await reply.send(views.created(reply.tr, program), views.card_buttons(reply.tr, program))


async def _go_to(reply: Reply, question: NewProgram) -> None:
    await reply.write(programs.ask, reply.user.id, question, now=reply.deps.now())
    await _ask_new(reply, question)


async def _ask_new(reply: Reply, question: NewProgram, *, note: str = "") -> None:
    prefix = f"⚠️ {note}\n\n" if note else ""
    await reply.send(
        prefix + views.new_question(reply.tr, question.step),
        views.new_keyboard(reply.tr, question.step),
    )


# --- editing a field ------------------------------------------------------------------------


@callbacks.PROGRAM_FIELD.handles
async def on_field(reply: Reply, program_id: int, field_value: str) -> None:
    """✏️ on the card: ask for the field's new value."""
    field = program_form.parse_step(field_value)
    if field is None:
        await reply.refuse(render.not_available(reply.tr))
        return
    try:
        program = await reply.write(
            programs.start_edit, reply.user.id, program_id, field, now=reply.deps.now()
        )
    except ProgramNotFoundError:
        await reply.refuse(views.not_found(reply.tr))
        return
    if program is None:
        await reply.refuse(views.finish_first(reply.tr))
        return
    await reply.clear_buttons()
    await _ask_edit(reply, EditProgram(program_id, field))


async def on_edit_text(reply: Reply, question: EditProgram, text: str) -> None:
    """The typed new value (routed here by handlers/dialogs.py)."""
    try:
        value = program_form.parse_answer(question.field, text)
    except FormError as error:
        await _ask_edit(reply, question, note=views.problem(reply.tr, error))
        return
    await _apply(reply, question, value)


async def on_edit_unreadable(reply: Reply) -> None:
    await reply.write(dialogs.close_staff, reply.user.id)
    await reply.send(render.not_available(reply.tr))


@callbacks.PROGRAM_CHOICE.handles
async def on_edit_choice(reply: Reply, program_id: int, field_value: str, choice: str) -> None:
    """«Clear» or «Cancel» under the question."""
    field = program_form.parse_step(field_value)
    found = await reply.read(dialogs.staff_input, reply.user.id)
    if (
        field is None
        or not isinstance(found, EditProgram)
        or (found.program_id, found.field) != (program_id, field)
        or choice not in ("clear", "cancel")
        or (choice == "clear" and field not in program_form.OPTIONAL)
    ):
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    if choice == "cancel":
        await reply.write(programs.close, reply.user.id, Flow.EDIT_PROGRAM)
        await _show_card(reply, program_id)
        return
    await _apply(reply, found, None)


async def _apply(reply: Reply, question: EditProgram, value: Answer) -> None:
    try:
        program = await reply.write(
            programs.apply_edit, reply.user.id, question.program_id, question.field, value
        )
    except ProgramExistsError as error:
        await _ask_edit(reply, question, note=views.name_taken(reply.tr, error.name))
        return
    except ProgramPeriodError:
        await _ask_edit(reply, question, note=views.period_order(reply.tr))
        return
    except ProgramNotFoundError:
        await reply.write(dialogs.close_staff, reply.user.id)
        await reply.send(views.not_found(reply.tr))
        return
    await reply.send(
        views.edited(reply.tr, question.field) + "\n\n" + views.card(reply.tr, program),
        views.card_buttons(reply.tr, program),
    )


async def _ask_edit(reply: Reply, question: EditProgram, *, note: str = "") -> None:
    try:
        program = await reply.read(programs.get, question.program_id)
    except ProgramNotFoundError:
        await reply.write(dialogs.close_staff, reply.user.id)
        await reply.send(views.not_found(reply.tr))
        return
    prefix = f"⚠️ {note}\n\n" if note else ""
    await reply.send(
        prefix + views.edit_question(reply.tr, program, question.field),
        views.edit_keyboard(reply.tr, program.id, question.field),
    )


async def _show_card(reply: Reply, program_id: int) -> None:
    try:
        program = await reply.read(programs.get, program_id)
    except ProgramNotFoundError:
        await reply.send(views.not_found(reply.tr))
        return
    await reply.send(views.card(reply.tr, program), views.card_buttons(reply.tr, program))

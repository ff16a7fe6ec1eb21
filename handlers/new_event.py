"""``/newevent`` (staff only): one question at a time, a preview, then publish or keep a draft.

The answers so far live in the staff member's open question (a ``NewEvent``, see
``bot/services/dialogs.py``), so a restart of the bot, or a second process, goes on from the
same question.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from telegram import InlineKeyboardMarkup

from bot.domain import event_form
from bot.domain.errors import InvalidInputError
from bot.domain.event_form import DONE, Answer, EventAnswers, FormError, FormStep
from bot.services import dialogs, event_forms, places, programs
from bot.services.dialogs import Flow, NewEvent, NewProgram
from handlers import callbacks, keyboards, phone_registrants_views, program_views, render
from handlers import event_form_views as views
from handlers.access import Access, refusal
from handlers.cards import deep_link
from handlers.common import Reply, today


async def cmd_newevent(reply: Reply) -> None:
    """Start a new event, or go on with the one left half-filled."""
    found = await reply.read(dialogs.staff_input, reply.user.id)
    if isinstance(found, NewEvent):
        await reply.send(views.resumed(reply.tr))
        await _ask(reply, found)
        return
    if isinstance(found, NewProgram):  # not thrown away silently
        await reply.send(program_views.finish_first(reply.tr))
        return
    await reply.send(views.started(reply.tr))
    await restart(reply)


async def restart(reply: Reply) -> None:
    """Ask the first question with no answers (also for a /newevent this version cannot
    read, which an older version left open)."""
    await _go_to(reply, NewEvent(FormStep.TITLE))


async def on_text(reply: Reply, question: NewEvent, text: str) -> None:
    """A typed answer to the open question (routed here by handlers/dialogs.py)."""
    if question.step == DONE:
        await _ask(reply, question, note=views.press_a_button(reply.tr))
        return
    try:
        value = _parse(reply, question, text)
    except FormError as error:
        note = views.problem(reply.tr, error, today=today(reply.deps))
        await _ask(reply, question, note=note)
        return
    if question.step == FormStep.PROG:
        assert isinstance(value, str)
        program_id = await reply.read(programs.find_id, value)
        if program_id is None:
            if reply.branch is not None:  # programmes are made by the library's staff
                await _ask(reply, question, note=views.no_such_program(reply.tr, value))
                return
            # Offered to be created with one tap: a typo is seen before it becomes one.
            question = await reply.write(
                event_forms.ask,
                reply.user.id,
                replace(question, new_program=value),
                now=reply.deps.now(),
            )
            await _ask(reply, question, note=views.unknown_program(reply.tr, value))
            return
        value = program_id
    await _answered(reply, question, value)


@callbacks.NEW_EVENT_CHOICE.handles
async def on_choice(reply: Reply, step_value: str, choice: str) -> None:
    """A button under a question: a kind, a duration, «No limit», «Skip», Publish..."""
    step = event_form.parse_step(step_value)
    found = await reply.read(dialogs.staff_input, reply.user.id)
    if step is None or not isinstance(found, NewEvent) or found.step != step:
        await reply.refuse(render.not_available(reply.tr))  # an older question's button
        return
    if step == DONE:
        if choice in ("publish", "draft"):
            await _create(reply, publish=choice == "publish")
        else:
            await reply.refuse(render.not_available(reply.tr))
        return
    if step == FormStep.PLACE and (page := views.place_page(choice)) is not None:
        await reply.show(
            views.new_event_question(reply.tr, reply.deps.config, step),
            _keyboard(reply, found, page=page),
        )
        return
    if step == FormStep.REP and choice == "weekly":  # how many times, or until when
        await reply.clear_buttons()
        await _go_to(reply, NewEvent(FormStep.WEEKLY, found.answers))
        return
    if step == FormStep.PROG and choice == "new":
        if (created := await create_typed_program(reply)) is not None:
            await _answered(reply, found, created)
        return
    if step == FormStep.PROG and (page := views.program_page(choice)) is not None:
        config, tr = reply.deps.config, reply.tr
        await reply.show(
            views.new_event_question(tr, config, step),
            _keyboard(reply, found, page=page),
        )
        return
    value = views.chosen(reply.deps.config, step, choice, found.programs, branch=reply.branch)
    if value is views.INVALID:
        await reply.refuse(render.not_available(reply.tr))
        return
    if step == FormStep.WEEKLY:
        try:
            _check_repeat(reply, found, value)
        except FormError as error:
            await reply.clear_buttons()
            await _ask(reply, found, note=views.problem(reply.tr, error, today=today(reply.deps)))
            return
    await reply.clear_buttons()
    await _answered(reply, found, value)


@callbacks.NEW_EVENT_CANCEL.handles
async def on_cancel_button(reply: Reply) -> None:
    if not await reply.write(event_forms.discard, reply.user.id):
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await reply.send(views.discarded(reply.tr))


async def cmd_cancel(reply: Reply) -> None:
    """``/cancel``: abandon the open staff question (a new event or an edit).

    Residents have nothing to cancel this way: they get the help, as for any command
    they do not have.
    """
    if not reply.is_staff:
        await reply.send(render.help_text(reply.tr), keyboards.main_menu(reply.tr))
        return
    found = await reply.write(dialogs.close_staff, reply.user.id)
    if found is None:
        await reply.send(views.nothing_to_cancel(reply.tr))
    elif found.flow == Flow.NEW_EVENT:
        await reply.send(views.discarded(reply.tr))
    elif found.flow == Flow.NEW_PROGRAM:
        await reply.send(program_views.discarded(reply.tr))
    elif found.flow == Flow.VISITOR:
        await reply.send(phone_registrants_views.stopped(reply.tr))
    else:
        await reply.send(views.edit_cancelled(reply.tr))


def _parse(reply: Reply, question: NewEvent, text: str) -> Answer:
    """The value of a typed answer; raises FormError."""
    d = reply.deps
    value = event_form.parse_answer(question.step, text, kinds=d.kinds(), today=today(d))
    if isinstance(value, time) and isinstance(question.answers.day, date):
        # Checked now, not at the preview: a time the clocks skip is asked again at once.
        event_form.local_start(question.answers.day, value, d.config.library.timezone, now=d.now())
    _check_repeat(reply, question, value)
    if question.step == FormStep.PLACE and isinstance(value, str):
        return typed_place(reply, value)
    return value


async def create_typed_program(reply: Reply) -> int | None:
    """The «➕ Create» button under the programme question, in either form: the typed
    programme's id (its buttons cleared), or None once the refusal is told."""
    if reply.branch is not None:  # a programme is the library's to create
        await reply.refuse(refusal(reply.tr, Access.LIBRARY))
        return None
    created = await reply.write(
        event_forms.create_typed_program, reply.user.id, now=reply.deps.now()
    )
    if created is None:
        await reply.refuse(render.not_available(reply.tr))
        return None
    await reply.clear_buttons()
    return created


def typed_place(reply: Reply, text: str) -> str:
    """A typed place: a configured one by its key or name (kept by its name in the
    library's language), or the text itself for a place of this event only. Raises
    FormError for another branch's place."""
    config = reply.deps.config
    if places.elsewhere(config, text, staff_branch=reply.branch) is not None:
        raise FormError("place_other_branch", value=text)
    return places.choose(config, text, staff_branch=reply.branch).place


def _check_repeat(reply: Reply, question: NewEvent, value: Answer) -> None:
    """A series checked against the first day and time; raises FormError."""
    answers = question.answers
    if question.step not in (FormStep.REP, FormStep.WEEKLY) or not isinstance(value, str):
        return
    if isinstance(answers.day, date) and isinstance(answers.start, time):
        tz = reply.deps.config.library.timezone
        event_form.check_repeat(value, answers.day, answers.start, tz)


async def _answered(reply: Reply, question: NewEvent, value: Answer) -> None:
    answers = question.answers.answer(question.step, value)
    following = event_form.next_step(question.step)
    # Questions answered before the day was asked again are not asked twice.
    while following != DONE and answers.answered(following):
        following = event_form.next_step(following)
    await _go_to(reply, NewEvent(following, answers))


async def _go_to(reply: Reply, question: NewEvent) -> None:
    """Store where the flow is, then ask."""
    question = await reply.write(event_forms.ask, reply.user.id, question, now=reply.deps.now())
    await _ask(reply, question)


async def _ask(reply: Reply, question: NewEvent, *, note: str = "") -> None:
    config, tr = reply.deps.config, reply.tr
    prefix = f"⚠️ {note}\n\n" if note else ""
    if question.step == DONE:
        draft = event_form.draft(question.answers, config.library.timezone)
        names = await reply.read(programs.names) if draft.program_id is not None else {}
        program = names.get(draft.program_id or 0)
        await reply.send(
            prefix + views.preview(config, tr, draft, program), views.preview_keyboard(tr)
        )
        return
    await reply.send(
        prefix + views.new_event_question(tr, config, question.step), _keyboard(reply, question)
    )


def _keyboard(reply: Reply, question: NewEvent, *, page: int = 0) -> InlineKeyboardMarkup:
    return views.new_event_keyboard(
        reply.deps.config,
        reply.tr,
        question.step,
        question.programs,
        new_program=question.new_program,
        branch=reply.branch,
        page=page,
    )


async def _create(reply: Reply, *, publish: bool) -> None:
    d = reply.deps
    if await _place_elsewhere(reply):
        return
    try:
        # The answers are taken and the event stored together: a second tap finds nothing.
        created = await reply.write(
            event_forms.create,
            reply.user.id,
            publish=publish,
            tz=d.config.library.timezone,
            now=d.now(),
            config=d.config,
            staff_branch=reply.branch,
        )
    except InvalidInputError:
        # The start passed while the preview waited: ask for the day again.
        await reply.clear_buttons()
        note = views.problem(reply.tr, FormError("start_passed"), today=today(reply.deps))
        found = await reply.read(dialogs.staff_input, reply.user.id)
        answers = found.answers if isinstance(found, NewEvent) else EventAnswers()
        # A series «until» a day is asked again too: it may not fit the new day.
        question = NewEvent(
            FormStep.DATE, answers.without(FormStep.DATE, FormStep.TIME, FormStep.REP)
        )
        question = await reply.write(event_forms.ask, reply.user.id, question, now=d.now())
        await _ask(reply, question, note=note)
        return
    if created is None:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    event = created[0]
    link = deep_link(reply, event.id)
    if len(created) > 1:
        text = views.created_series(d.config, reply.tr, created, link)
    else:
        text = views.created(reply.tr, event, link)
    await reply.send(text, views.card_keyboard(reply.tr, event.id))


async def _place_elsewhere(reply: Reply) -> bool:
    """A place of another branch chosen before the staff member was given a branch: asked
    again (the other answers kept) rather than an event made in a branch they cannot
    manage; True when it was."""
    d = reply.deps
    found = await reply.read(dialogs.staff_input, reply.user.id)
    if not isinstance(found, NewEvent) or found.step != DONE:
        return False
    place = found.answers.place
    if (
        not isinstance(place, str)
        or places.elsewhere(d.config, place, staff_branch=reply.branch) is None
    ):
        return False
    await reply.clear_buttons()
    note = views.problem(reply.tr, FormError("place_other_branch", value=place), today=today(d))
    question = NewEvent(FormStep.PLACE, found.answers.without(FormStep.PLACE))
    question = await reply.write(event_forms.ask, reply.user.id, question, now=d.now())
    await _ask(reply, question, note=note)
    return True

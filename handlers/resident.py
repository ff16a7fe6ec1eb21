"""What residents do: browse events, sign up, cancel, choose a language, forget."""

from __future__ import annotations

import re

from bot.domain import door as door_code
from bot.domain.staff import INVITE_PREFIX
from bot.exports.calendar import event_ics
from bot.services import catalog, people, registration, series, signup
from bot.services.places import where
from bot.services.registration import Outcome
from handlers import callbacks, door, door_views, keyboards, render, staff_admin
from handlers.cards import (
    cancel_registration,
    deep_link,
    registered,
    series_registered,
    show_event,
)
from handlers.command_menu import show_staff_menu
from handlers.common import Reply
from handlers.signup import ask, report_unavailable
from handlers.staff_admin_views import staff_help

DEEP_LINK = re.compile(r"^event_(\d{1,9})\Z", re.ASCII)  # "event_٣" is not a link the bot made


async def cmd_start(reply: Reply) -> None:
    """Greet, or open the event a poster's deep link names, check in at an event's door,
    or accept a staff invitation."""
    payload = reply.args[0] if reply.args else ""
    if match := DEEP_LINK.match(payload):
        await show_event(reply, int(match.group(1)))
    elif match := door_code.DEEP_LINK.match(payload):
        await door.check_in(reply, match.group(1))
    elif payload.startswith(door_code.PREFIX):  # cut short or mistyped
        await reply.send(door_views.invalid(reply.tr))
    elif payload.startswith(INVITE_PREFIX):
        await staff_admin.join(reply, payload)
    else:
        await greet(reply)


@callbacks.MENU.handles
async def greet(reply: Reply) -> None:
    text = render.greeting(reply.tr, reply.deps.config.library.name)
    await reply.show(text, keyboards.main_menu(reply.tr))


async def cmd_help(reply: Reply) -> None:
    text = render.help_text(reply.tr)
    if reply.is_staff:
        text += "\n\n" + staff_help(reply.tr, admin=reply.is_admin, programmes=reply.branch is None)
    await reply.send(text, keyboards.main_menu(reply.tr))


@callbacks.PAGE.handles
async def show_page(reply: Reply, number: int) -> None:
    await _event_list(reply, number, None)


@callbacks.BRANCH_PAGE.handles
async def show_branch_page(reply: Reply, branch: str, number: int) -> None:
    """The list narrowed to a branch; a branch no longer configured: every branch."""
    known = reply.deps.config.branch(branch)
    await _event_list(reply, number, None if known is None else branch)


async def _event_list(reply: Reply, number: int, branch: str | None) -> None:
    d = reply.deps
    config = d.config
    page = await reply.read(catalog.upcoming_page, page=number, now=d.now(), branch=branch)
    chosen = config.branch(branch)
    await reply.show(
        render.event_list(reply.tr, page, chosen.name(reply.tr.language) if chosen else None),
        keyboards.event_list(
            reply.tr,
            page,
            config.library.timezone,
            branches=config.branches,
            near=any(place.located for place in config.places),
        ),
    )


@callbacks.BRANCHES.handles
async def show_branches(reply: Reply, current: str) -> None:
    config = reply.deps.config
    if not config.branches:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.show(
        render.branch_question(reply.tr),
        keyboards.branch_choice(reply.tr, config.branches, None if current == "*" else current),
    )


@callbacks.EVENT.handles
async def on_event(reply: Reply, event_id: int) -> None:
    await show_event(reply, event_id)


@callbacks.REGISTER.handles
async def on_register(reply: Reply, event_id: int) -> None:
    d = reply.deps
    result, card = await reply.write(
        signup.tap,
        default_reminders=d.config.reminders.before,
        telegram_id=reply.user.id,
        person_id=reply.visitor.person_id,
        event_id=event_id,
        now=d.now(),
        in_dialog=reply.visitor.in_dialog,
    )
    if isinstance(result, Outcome):
        await registered(reply, result, card)
    elif isinstance(result, signup.Unavailable):
        await report_unavailable(reply, result)
    elif isinstance(result, signup.Ask):
        await ask(reply, result.step)


@callbacks.REGISTER_SERIES.handles
async def on_register_series(reply: Reply, event_id: int) -> None:
    """«Sign up for all»: the card becomes the list of days and what each one gave."""
    d = reply.deps
    try:
        outcomes = await reply.write(
            series.register_all,
            event_id=event_id,
            telegram_id=reply.user.id,
            default_reminders=d.config.reminders.before,
            now=d.now(),
        )
    except series.NoProfileError:
        # The first sign-up's questions, then every week at once.
        started = await reply.write(
            signup.begin,
            telegram_id=reply.user.id,
            event_id=event_id,
            default_reminders=d.config.reminders.before,
            now=d.now(),
            person_id=reply.visitor.person_id,
            series=True,
        )
        if isinstance(started, signup.Ask):
            await ask(reply, started.step)
        elif isinstance(started, signup.SeriesDone):
            await series_registered(reply, started.outcomes)
        elif isinstance(started, signup.Unavailable):
            await report_unavailable(reply, started)
        else:
            await registered(reply, started)
        return
    await series_registered(reply, outcomes)


@callbacks.CANCEL.handles
async def on_cancel(reply: Reply, event_id: int, origin: str) -> None:
    result = await cancel_registration(reply, event_id)
    notice = render.cancelled(reply.tr, result.event, result.was)
    if origin == "m":
        await _my(reply, notice)
    else:
        await show_event(reply, event_id, notice)


@callbacks.CALENDAR.handles
async def on_calendar(reply: Reply, event_id: int) -> None:
    d = reply.deps
    event = await reply.read(registration.visible_event, event_id)
    await reply.ack()
    data = event_ics(
        event,
        library_name=d.config.library.name,
        deep_link=deep_link(reply, event.id),
        location=where(d.config, event, reply.tr.language).line,
    )
    await reply.send_file(data, f"event-{event.id}.ics", render.calendar_caption(reply.tr))


@callbacks.MY.handles
async def show_my(reply: Reply) -> None:
    await _my(reply)


async def _my(reply: Reply, notice: str | None = None) -> None:
    """«My registrations»; ``notice`` (what just changed) goes on top."""
    d = reply.deps
    items = await reply.read(catalog.my_upcoming, person_id=reply.visitor.person_id, now=d.now())
    text = render.my_registrations(d.config, reply.tr, items)
    if notice is not None:
        text = render.with_notice(notice, text)
    await reply.show(text, keyboards.my_registrations(reply.tr, items))


@callbacks.LANGUAGES.handles
async def show_languages(reply: Reply) -> None:
    await reply.show(render.language_question(reply.tr), keyboards.languages())


@callbacks.LANGUAGE.handles
async def on_language(reply: Reply, language: str) -> None:
    d = reply.deps
    await reply.write(people.set_language, reply.user.id, language, now=d.now())
    reply.tr = d.catalogs.get(language)
    if reply.is_staff:  # their own command menu follows the language too
        await show_staff_menu(reply.context.bot, reply.user.id, reply.tr, admin=reply.is_admin)
    await reply.show(render.language_set(reply.tr), keyboards.main_menu(reply.tr))


async def cmd_forget(reply: Reply) -> None:
    await reply.send(
        render.forget_question(reply.tr, staff=reply.is_staff), keyboards.forget(reply.tr)
    )


@callbacks.FORGET_CONFIRMED.handles
async def on_forget(reply: Reply) -> None:
    d = reply.deps
    await reply.write(
        people.forget, reply.user.id, default_reminders=d.config.reminders.before, now=d.now()
    )
    await reply.show(render.forgotten(reply.tr, staff=reply.is_staff))


async def on_unknown_button(reply: Reply) -> None:
    """A forged, garbled or outdated button: say so, change nothing."""
    await reply.refuse(render.not_available(reply.tr))


@callbacks.VENUE.handles
async def on_venue(reply: Reply, event_id: int) -> None:
    """«📍 How to get there»: the event's place on a map, when its coordinates are known."""
    event = await reply.read(registration.visible_event, event_id)
    found = where(reply.deps.config, event, reply.tr.language)
    if found.latitude is None or found.longitude is None:  # the place lost its coordinates
        await reply.refuse(render.not_available(reply.tr))
        return
    # Telegram requires an address: a place without one is named twice rather than refused.
    await reply.send_venue(found.latitude, found.longitude, found.name, found.address or found.name)

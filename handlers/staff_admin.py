"""Staff management for administrators: /staff, forwarded messages, invitation links.

Every command and button here re-checks that the person is an administrator: callback
data is untrusted and carries only the Telegram id it is about.
"""

from __future__ import annotations

import logging

from telegram import Bot, Message, MessageOriginHiddenUser, MessageOriginUser
from telegram.error import TelegramError

from bot.domain.errors import (
    AdministratorError,
    AlreadyStaffError,
    InvalidInputError,
    InviteInvalidError,
    InviteProblem,
    NotStaffError,
)
from bot.domain.staff import INVITE_PREFIX, display_name, invite_token, parse_user_id
from bot.i18n import Translator
from bot.services import staff
from handlers import callbacks, keyboards, render
from handlers import staff_admin_views as views
from handlers.command_menu import hide_staff_menu, show_staff_menu
from handlers.common import Reply

log = logging.getLogger(__name__)


async def _telegram_name(bot: Bot, telegram_id: int) -> str:
    """The person's name as Telegram shows it to the bot; "" if Telegram will not say
    (they never opened the bot)."""
    try:
        chat = await bot.get_chat(telegram_id)
    except TelegramError:
        return ""
    return display_name(chat.first_name or "", chat.last_name)


async def _translator_for(reply: Reply, telegram_id: int) -> Translator:
    languages = await reply.read(staff.languages, [telegram_id])
    return reply.deps.catalogs.get(languages.get(telegram_id))


# --- the list ---------------------------------------------------------------------------


async def cmd_staff(reply: Reply) -> None:
    """``/staff``, ``/staff add ID``, ``/staff remove ID``."""
    args = reply.args
    if not args:
        await show_list(reply)
        return
    telegram_id = parse_user_id(args[1]) if len(args) == 2 else None
    action = args[0].lower()
    if telegram_id is None or action not in ("add", "remove"):
        await reply.send(views.usage(reply.tr))
    elif action == "add":
        await _add(reply, telegram_id, await _telegram_name(reply.context.bot, telegram_id))
    else:
        await ask_remove(reply, telegram_id)


@callbacks.STAFF.handles
async def show_list(reply: Reply, notice: str = "") -> None:
    d = reply.deps
    # A write: listing deletes the expired invitations.
    invitations = await reply.write(staff.invitations, admins=d.config.staff.admins, now=d.now())
    members = await reply.read(staff.members)
    bot = reply.context.bot
    admins = [(admin, await _telegram_name(bot, admin)) for admin in d.config.staff.admins]
    branches = d.config.branches
    await reply.show(
        views.staff_list(
            reply.tr,
            admins,
            members,
            invitations,
            d.config.library.timezone,
            notice=notice,
            branches=branches,
        ),
        views.staff_list_keyboard(reply.tr, members, invitations, branches),
    )


# --- adding -----------------------------------------------------------------------------


async def on_forward(reply: Reply) -> None:
    """An administrator forwarded someone's message: offer to make them staff."""
    message = reply.update.effective_message
    assert message is not None
    origin = message.forward_origin
    if isinstance(origin, MessageOriginHiddenUser):
        await reply.send(views.forward_hidden(reply.tr, origin.sender_user_name))
        return
    if not isinstance(origin, MessageOriginUser):
        await reply.send(views.forward_not_a_person(reply.tr))
        return
    person = origin.sender_user
    if person.is_bot:
        await reply.send(views.forward_bot(reply.tr))
        return
    name = display_name(person.first_name, person.last_name)
    admins = reply.deps.config.staff.admins
    member = person.id not in admins and await reply.read(staff.is_member, person.id)
    if person.id in admins or member:
        await reply.send(views.already_staff(reply.tr, name, person.id, admin=not member))
        return
    # The question quotes the forwarded message, so the confirmation finds the name in it,
    # whichever process (or a restarted one) gets the press: nothing kept in memory.
    await reply.send(
        views.add_question(reply.tr, name, person.id),
        views.add_keyboard(reply.tr, person.id),
        reply_to=message.message_id,
    )


@callbacks.STAFF_ADD.handles
async def on_add(reply: Reply, telegram_id: int) -> None:
    """The confirmation after a forwarded message."""
    name = _forwarded_name(reply, telegram_id) or await _telegram_name(
        reply.context.bot, telegram_id
    )
    await _add(reply, telegram_id, name)


def _forwarded_name(reply: Reply, telegram_id: int) -> str:
    """The name in the forwarded message the pressed question quotes; "" if there is none
    (an older question, or the message was deleted)."""
    query = reply.update.callback_query
    asked = query.message if query is not None else None
    quoted = asked.reply_to_message if isinstance(asked, Message) else None
    origin = quoted.forward_origin if quoted is not None else None
    if isinstance(origin, MessageOriginUser) and origin.sender_user.id == telegram_id:
        return display_name(origin.sender_user.first_name, origin.sender_user.last_name)
    return ""


async def _add(reply: Reply, telegram_id: int, name: str) -> None:
    d = reply.deps
    try:
        await reply.write(
            staff.add,
            telegram_id=telegram_id,
            name=name,
            added_by=reply.user.id,
            admins=d.config.staff.admins,
            now=d.now(),
        )
    except AlreadyStaffError as exc:
        await reply.show(views.already_staff(reply.tr, name, telegram_id, admin=exc.admin))
        return
    await reply.show(views.added(reply.tr, name, telegram_id))
    bot = reply.context.bot
    tr = await _translator_for(reply, telegram_id)
    await show_staff_menu(bot, telegram_id, tr, admin=False)
    try:
        await bot.send_message(
            telegram_id, views.made_staff(tr, d.config.library.name), parse_mode="HTML"
        )
    except TelegramError as exc:
        # They have not opened the bot yet (or blocked it): /help will tell them later.
        log.info("new staff member not told: %s", exc)


# --- removing ---------------------------------------------------------------------------


@callbacks.STAFF_REMOVE.handles
async def ask_remove(reply: Reply, telegram_id: int) -> None:
    d = reply.deps
    try:
        member = await reply.read(
            staff.member, telegram_id=telegram_id, admins=d.config.staff.admins
        )
    except (AdministratorError, NotStaffError) as exc:
        await reply.tell(views.not_removable(reply.tr, exc, telegram_id))
        return
    await reply.show(
        views.remove_question(reply.tr, member.name, telegram_id),
        views.remove_keyboard(reply.tr, telegram_id),
    )


@callbacks.STAFF_REMOVE_CONFIRMED.handles
async def on_remove_confirmed(reply: Reply, telegram_id: int) -> None:
    d = reply.deps
    try:
        name = await reply.write(
            staff.remove, telegram_id=telegram_id, admins=d.config.staff.admins
        )
    except (AdministratorError, NotStaffError) as exc:
        await reply.tell(views.not_removable(reply.tr, exc, telegram_id))
        return
    await hide_staff_menu(reply.context.bot, telegram_id)
    await show_list(reply, notice=views.removed(reply.tr, name, telegram_id))


# --- branches ---------------------------------------------------------------------------


def _branch_key(value: str) -> str | None:
    """A branch button's value as a branch key (None: the whole library)."""
    return None if value == views.WHOLE_LIBRARY else value


@callbacks.STAFF_BRANCH.handles
async def ask_branch(reply: Reply, telegram_id: int) -> None:
    """«🏠» beside a member: whose events should they manage?"""
    d = reply.deps
    if not d.config.branches:
        await reply.refuse(render.not_available(reply.tr))
        return
    try:
        member = await reply.read(
            staff.member, telegram_id=telegram_id, admins=d.config.staff.admins
        )
    except (AdministratorError, NotStaffError) as exc:
        await reply.tell(views.not_removable(reply.tr, exc, telegram_id))
        return
    await reply.show(
        views.branch_question(reply.tr, member, d.config.branches),
        views.branch_keyboard(reply.tr, telegram_id, d.config.branches),
    )


@callbacks.STAFF_SET_BRANCH.handles
async def on_set_branch(reply: Reply, telegram_id: int, value: str) -> None:
    d = reply.deps
    admins = d.config.staff.admins
    try:
        await reply.write(
            staff.set_branch,
            telegram_id=telegram_id,
            branch=_branch_key(value),
            branches=[b.key for b in d.config.branches],
            admins=admins,
        )
        member = await reply.read(staff.member, telegram_id=telegram_id, admins=admins)
    except (AdministratorError, NotStaffError) as exc:
        await reply.tell(views.not_removable(reply.tr, exc, telegram_id))
        return
    except InvalidInputError:  # a branch no longer in the configuration
        await reply.refuse(render.not_available(reply.tr))
        return
    # Their command menu loses (or regains) the programmes, which are the library's.
    tr = await _translator_for(reply, telegram_id)
    await show_staff_menu(
        reply.context.bot, telegram_id, tr, admin=False, programmes=member.branch_key is None
    )
    await show_list(reply, notice=views.branch_set(reply.tr, member, d.config.branches))


# --- invitations ------------------------------------------------------------------------


@callbacks.STAFF_INVITE.handles
async def on_invite(reply: Reply) -> None:
    """A link for the whole library; with branches configured, first: for which branch?"""
    if reply.deps.config.branches:
        await reply.show(
            views.invite_branch_question(reply.tr),
            views.invite_branch_keyboard(reply.tr, reply.deps.config.branches),
        )
        return
    await _invite(reply, None)


@callbacks.STAFF_INVITE_FOR.handles
async def on_invite_for(reply: Reply, value: str) -> None:
    await _invite(reply, _branch_key(value))


async def _invite(reply: Reply, branch: str | None) -> None:
    d = reply.deps
    try:
        invitation = await reply.write(
            staff.invite,
            created_by=reply.user.id,
            now=d.now(),
            branch=branch,
            branches=[b.key for b in d.config.branches],
        )
    except InvalidInputError:  # a branch no longer in the configuration
        await reply.refuse(render.not_available(reply.tr))
        return
    link = reply.deep_link(f"{INVITE_PREFIX}{invitation.token}")
    await reply.send(
        views.invitation(
            reply.tr,
            link,
            invitation.expires_at,
            d.config.library.timezone,
            branch=invitation.branch,
            branches=d.config.branches,
        )
    )


@callbacks.STAFF_REVOKE.handles
async def on_revoke(reply: Reply, invite_id: int) -> None:
    """Revoke an invitation nobody has used; its link then counts as unknown."""
    try:
        await reply.write(staff.revoke, invite_id=invite_id)
    except InviteInvalidError:
        await reply.tell(views.not_revocable(reply.tr, invite_id))
        return
    await show_list(reply, notice=views.revoked(reply.tr, invite_id))


async def join(reply: Reply, payload: str) -> None:
    """``/start staff_<token>``: the invitation link was opened."""
    d = reply.deps
    token = invite_token(payload)
    try:
        if token is None:
            raise InviteInvalidError(InviteProblem.UNKNOWN)
        branch = await reply.write(
            staff.accept,
            token=token,
            telegram_id=reply.user.id,
            name=display_name(reply.user.first_name, reply.user.last_name),
            admins=d.config.staff.admins,
            now=d.now(),
        )
    except AlreadyStaffError:
        await reply.send(views.have_access(reply.tr))
        return
    except InviteInvalidError as exc:
        await reply.send(views.invite_problem(reply.tr, exc.problem), keyboards.main_menu(reply.tr))
        return
    await show_staff_menu(
        reply.context.bot, reply.user.id, reply.tr, admin=False, programmes=branch is None
    )
    await reply.send(views.welcome(reply.tr, d.config.library.name, programmes=branch is None))

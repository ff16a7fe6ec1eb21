"""Texts and buttons of staff management (administrators) and the staff help."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from html import escape
from itertools import groupby
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup

from bot.config import Branch
from bot.domain.errors import AdministratorError, InviteProblem, NotStaffError
from bot.domain.staff import INVITE_TTL
from bot.i18n import Translator
from bot.services.records import StaffMember
from bot.services.staff import PendingInvitation
from handlers import callbacks
from handlers.render import shorten

# 40 members of about 70 characters each stay well under Telegram's 4096 characters
# (and its 100 buttons); beyond that /staff remove ID still works.
LIST_LIMIT = 40
LIST_NAME_MAX = 48
BUTTON_NAME_MAX = 32
# Outstanding invitations shown, each a line and a revoke button (revoking one shows the
# next): with 40 members of the longest names the message stays under Telegram's 4096
# characters (tests/unit/test_staff_views.py). A library rarely has more at once.
LINKS_LIMIT = 3
LINK_NAME_MAX = 24
# With branches configured, members are listed under their branch's name: names are cut
# shorter so that the fullest screen still fits (tests/unit/test_staff_views.py).
BRANCH_LIST_NAME_MAX = 28
BRANCH_LABEL_MAX = 40
WHOLE_LIBRARY = "*"  # in a branch button's data: staff of no branch


def _person(tr: Translator, name: str, telegram_id: int, limit: int = LIST_NAME_MAX) -> str:
    """``<b>Name</b> (id 123)``, or just the id when the name is unknown."""
    if not name:
        return tr.gettext("id {id}").format(id=telegram_id)
    return tr.gettext("<b>{name}</b> (id {id})").format(
        name=escape(shorten(name, limit)), id=telegram_id
    )


def branch_label(tr: Translator, branches: Sequence[Branch], key: str | None) -> str:
    """A staff member's (or an invitation's) branch; None: the whole library."""
    if key is None:
        return tr.gettext("Whole library")
    found = next((b for b in branches if b.key == key), None)
    # A branch taken out of the configuration: its key, so the administrator sees it.
    return found.name(tr.language) if found is not None else key


def _pending(
    tr: Translator,
    invitation: PendingInvitation,
    creator: str,
    tz: ZoneInfo,
    branches: Sequence[Branch] = (),
) -> str:
    """One outstanding invitation: its number, who made it, when; never its token."""
    line = tr.gettext("🔗 №{id} — made on {made} by {person}; valid until {until}").format(
        id=invitation.id,
        made=tr.date(invitation.created_at, tz),
        person=_person(tr, creator, invitation.created_by, LINK_NAME_MAX),
        until=f"{tr.date(invitation.expires_at, tz)} {tr.time(invitation.expires_at, tz)}",
    )
    if branches:
        label = shorten(branch_label(tr, branches, invitation.branch), BRANCH_LABEL_MAX)
        line += " — 🏠 " + escape(label)
    if not invitation.works:
        line += " — " + tr.gettext("does not work: its maker is no longer an administrator")
    return line


def staff_list(
    tr: Translator,
    admins: Sequence[tuple[int, str]],
    members: Sequence[StaffMember],
    invitations: Sequence[PendingInvitation],
    tz: ZoneInfo,
    *,
    notice: str = "",
    branches: Sequence[Branch] = (),
) -> str:
    """``branches``: the configured ones (none: the branch of each is not shown)."""
    lines = [notice, ""] if notice else []
    lines.append(tr.gettext("<b>Library staff</b>"))
    lines.append("")
    lines.append(
        tr.gettext("Administrators (set in the configuration file and changed only there):")
    )
    lines += [f"🔑 {_person(tr, name, telegram_id)}" for telegram_id, name in admins]
    lines.append("")
    lines.append(tr.gettext("Staff members:"))
    if not members:
        lines.append(tr.gettext("nobody yet"))
    lines += _members(tr, members, branches)
    if len(members) > LIST_LIMIT:
        more = len(members) - LIST_LIMIT
        lines.append(tr.ngettext("…and {n} more", "…and {n} more", more).format(n=more))
    if invitations:
        names: Mapping[int, str] = dict(admins)
        lines.append("")
        lines.append(tr.gettext("Invitation links not used yet:"))
        lines += [
            _pending(tr, i, names.get(i.created_by, ""), tz, branches)
            for i in invitations[:LINKS_LIMIT]
        ]
        if len(invitations) > LINKS_LIMIT:
            more = len(invitations) - LINKS_LIMIT
            lines.append(
                tr.ngettext(
                    "…and {n} more (revoke some to see the rest)",
                    "…and {n} more (revoke some to see the rest)",
                    more,
                ).format(n=more)
            )
    lines.append("")
    lines.append(
        tr.ngettext(
            "To add someone, forward me any message of theirs, or send /staff add ID, "
            "or create a one-time invitation link (valid for {days} day) and send it to them. "
            "To remove someone, tap ❌ next to their name or send /staff remove ID.",
            "To add someone, forward me any message of theirs, or send /staff add ID, "
            "or create a one-time invitation link (valid for {days} days) and send it to them. "
            "To remove someone, tap ❌ next to their name or send /staff remove ID.",
            INVITE_TTL.days,
        ).format(days=INVITE_TTL.days)
    )
    return "\n".join(lines)


def _shown(members: Sequence[StaffMember], branches: Sequence[Branch]) -> list[StaffMember]:
    """The members the screen lists: with branches, grouped by branch (the whole library
    first, then in the configuration's order), alphabetical within each."""
    shown = list(members[:LIST_LIMIT])
    if not branches:
        return shown
    order = {b.key: i for i, b in enumerate(branches, start=1)}
    return sorted(
        shown,
        key=lambda m: (
            0 if m.branch_key is None else order.get(m.branch_key, len(order) + 1),
            m.branch_key or "",
        ),
    )


def _members(
    tr: Translator, members: Sequence[StaffMember], branches: Sequence[Branch]
) -> list[str]:
    if not branches:
        return [f"👤 {_person(tr, m.name, m.telegram_id)}" for m in _shown(members, branches)]
    lines = []
    for key, group in groupby(_shown(members, branches), key=lambda m: m.branch_key):
        label = shorten(branch_label(tr, branches, key), BRANCH_LABEL_MAX)
        lines.append(("🏛 " if key is None else "🏠 ") + escape(label) + ":")
        lines += [f"👤 {_person(tr, m.name, m.telegram_id, BRANCH_LIST_NAME_MAX)}" for m in group]
    return lines


def staff_list_keyboard(
    tr: Translator,
    members: Sequence[StaffMember],
    invitations: Sequence[PendingInvitation],
    branches: Sequence[Branch] = (),
) -> InlineKeyboardMarkup:
    """❌ removes a member; with branches configured, 🏠 beside it changes their branch."""
    rows = []
    for m in _shown(members, branches):
        row = [
            Button(
                "❌ " + shorten(m.name or str(m.telegram_id), BUTTON_NAME_MAX),
                callback_data=callbacks.STAFF_REMOVE.data(m.telegram_id),
            )
        ]
        if branches:
            row.append(
                Button(
                    "🏠 " + shorten(branch_label(tr, branches, m.branch_key), BUTTON_NAME_MAX),
                    callback_data=callbacks.STAFF_BRANCH.data(m.telegram_id),
                )
            )
        rows.append(row)
    rows += [
        [
            Button(
                "🚫 " + tr.gettext("Revoke №{id}").format(id=i.id),
                callback_data=callbacks.STAFF_REVOKE.data(i.id),
            )
        ]
        for i in invitations[:LINKS_LIMIT]
    ]
    rows.append(
        [
            Button(
                "🔗 " + tr.gettext("Create an invitation link"),
                callback_data=callbacks.STAFF_INVITE.data(),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def branch_question(tr: Translator, member: StaffMember, branches: Sequence[Branch]) -> str:
    return tr.gettext(
        "{person}: 🏠 {branch}.\nWhose events should they manage? Staff of a branch see and "
        "change only its events; staff of the whole library, every event."
    ).format(
        person=_person(tr, member.name, member.telegram_id),
        branch=escape(branch_label(tr, branches, member.branch_key)),
    )


def _branch_choices(
    tr: Translator, branches: Sequence[Branch], data: Callable[[str], str]
) -> InlineKeyboardMarkup:
    """Each branch, then «Whole library» ("*"), then Cancel (back to /staff)."""
    rows = [
        [Button("🏠 " + shorten(b.name(tr.language), BUTTON_NAME_MAX), callback_data=data(b.key))]
        for b in branches
    ]
    rows.append([Button("🏛 " + tr.gettext("Whole library"), callback_data=data(WHOLE_LIBRARY))])
    rows.append([Button(tr.gettext("Cancel"), callback_data=callbacks.STAFF.data())])
    return InlineKeyboardMarkup(rows)


def branch_keyboard(
    tr: Translator, telegram_id: int, branches: Sequence[Branch]
) -> InlineKeyboardMarkup:
    return _branch_choices(
        tr, branches, lambda key: callbacks.STAFF_SET_BRANCH.data(telegram_id, key)
    )


def branch_set(tr: Translator, member: StaffMember, branches: Sequence[Branch]) -> str:
    person = _person(tr, member.name, member.telegram_id)
    if member.branch_key is None:
        return tr.gettext("{person} now manages the events of the whole library.").format(
            person=person
        )
    return tr.gettext("{person} now manages only the events of «{branch}».").format(
        person=person, branch=escape(branch_label(tr, branches, member.branch_key))
    )


def invite_branch_question(tr: Translator) -> str:
    return tr.gettext(
        "Which branch is the invitation for? Whoever joins with it becomes staff of that "
        "branch and manages only its events («Whole library»: every event)."
    )


def invite_branch_keyboard(tr: Translator, branches: Sequence[Branch]) -> InlineKeyboardMarkup:
    return _branch_choices(tr, branches, callbacks.STAFF_INVITE_FOR.data)


def usage(tr: Translator) -> str:
    return tr.gettext(
        "I did not understand. Examples:\n"
        "/staff — the staff list and an invitation link\n"
        "/staff add 123456789 — make someone staff by their Telegram id\n"
        "/staff remove 123456789 — take staff access away\n\n"
        "Easier than an id: forward me any message of the person."
    )


def invitation(
    tr: Translator,
    link: str,
    expires_at: datetime,
    tz: ZoneInfo,
    *,
    branch: str | None = None,
    branches: Sequence[Branch] = (),
) -> str:
    """``branches``: the configured ones; with them the text says whose staff they join."""
    text = tr.ngettext(
        "Invitation link for one person, valid for {days} day (until {until}):\n{link}\n\n"
        "Send it to your new colleague privately: whoever opens it first becomes staff. "
        "Create a new link for each person.",
        "Invitation link for one person, valid for {days} days (until {until}):\n{link}\n\n"
        "Send it to your new colleague privately: whoever opens it first becomes staff. "
        "Create a new link for each person.",
        INVITE_TTL.days,
    ).format(days=INVITE_TTL.days, until=escape(tr.date_time(expires_at, tz)), link=escape(link))
    if branches:
        text += "\n\n" + tr.gettext("They become staff of: {branch}.").format(
            branch=escape(branch_label(tr, branches, branch))
        )
    return text


def revoked(tr: Translator, invite_id: int) -> str:
    return tr.gettext("Link №{id} revoked: it no longer works.").format(id=invite_id)


def not_revocable(tr: Translator, invite_id: int) -> str:
    """The link is gone already (fits a button's pop-up)."""
    return tr.gettext("Link №{id} no longer works: it was used, revoked or has expired.").format(
        id=invite_id
    )


def add_question(tr: Translator, name: str, telegram_id: int) -> str:
    return tr.gettext(
        "Make {person} staff? They will be able to create events, mark attendance and "
        "get the report."
    ).format(person=_person(tr, name, telegram_id))


def add_keyboard(tr: Translator, telegram_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                Button(
                    "✅ " + tr.gettext("Yes, make staff"),
                    callback_data=callbacks.STAFF_ADD.data(telegram_id),
                )
            ],
            [Button(tr.gettext("Cancel"), callback_data=callbacks.STAFF.data())],
        ]
    )


def added(tr: Translator, name: str, telegram_id: int) -> str:
    return tr.gettext("{person} is now staff.").format(person=_person(tr, name, telegram_id))


def already_staff(tr: Translator, name: str, telegram_id: int, *, admin: bool) -> str:
    person = _person(tr, name, telegram_id)
    if admin:
        return tr.gettext("{person} is an administrator already.").format(person=person)
    return tr.gettext("{person} is staff already.").format(person=person)


def remove_question(tr: Translator, name: str, telegram_id: int) -> str:
    return tr.gettext(
        "Remove {person} from staff? They lose access to the staff commands at once."
    ).format(person=_person(tr, name, telegram_id))


def remove_keyboard(tr: Translator, telegram_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                Button(
                    "❌ " + tr.gettext("Yes, remove"),
                    callback_data=callbacks.STAFF_REMOVE_CONFIRMED.data(telegram_id),
                )
            ],
            [Button(tr.gettext("Cancel"), callback_data=callbacks.STAFF.data())],
        ]
    )


def removed(tr: Translator, name: str, telegram_id: int) -> str:
    return tr.gettext("{person} is no longer staff.").format(person=_person(tr, name, telegram_id))


def not_removable(tr: Translator, exc: AdministratorError | NotStaffError, telegram_id: int) -> str:
    """Why the person cannot be taken off the staff (fits a button's pop-up)."""
    if isinstance(exc, AdministratorError):
        return tr.gettext(
            "id {id} is an administrator: administrators are set in the configuration file "
            "and can be removed only there."
        ).format(id=telegram_id)
    return tr.gettext("id {id} is not a staff member.").format(id=telegram_id)


def forward_hidden(tr: Translator, name: str) -> str:
    return tr.gettext(
        "{name} hides their account in forwarded messages (a Telegram privacy setting), "
        "so I cannot tell who they are. Create an invitation link with /staff and send it "
        "to them instead."
    ).format(name=escape(name))


def forward_not_a_person(tr: Translator) -> str:
    return tr.gettext(
        "This message did not come from a person. To make someone staff, forward me a "
        "message they wrote themselves, or use /staff."
    )


def forward_bot(tr: Translator) -> str:
    return tr.gettext("This message came from a bot; only people can be staff.")


def staff_help(tr: Translator, *, admin: bool, programmes: bool = True) -> str:
    """``programmes``: False for a branch's staff (programmes are the library's)."""
    text = tr.gettext(
        "<b>For staff:</b>\n"
        "/newevent — create an event\n"
        "/events — events with registrations, drafts too\n"
        "/attendance ID — mark who came to an event\n"
        "/report [period] [project] — the project report, e.g. /report 2026-03"
    )
    text += "\n" + tr.gettext(
        "/cancel — stop /newevent or an edit\n"
        "A CSV file in the import format, sent here, imports events."
    )
    if programmes:
        text += "\n" + tr.gettext(
            "/programs — the programmes (projects) the report is made for; /newprogram — add one"
        )
    text += "\n" + tr.gettext("/summary — a morning summary of the day's events, on or off")
    if admin:
        text += "\n" + tr.gettext("/staff — add and remove staff, invitation links")
    return text


def welcome(tr: Translator, library: str, *, programmes: bool = True) -> str:
    return (
        tr.gettext("Welcome to the staff of <b>{library}</b>!").format(library=escape(library))
        + "\n\n"
        + staff_help(tr, admin=False, programmes=programmes)
    )


def made_staff(tr: Translator, library: str) -> str:
    return (
        tr.gettext("An administrator made you staff of <b>{library}</b>.").format(
            library=escape(library)
        )
        + "\n\n"
        + staff_help(tr, admin=False)
    )


def have_access(tr: Translator) -> str:
    return tr.gettext(
        "You are library staff already, so this invitation stays unused: it can go to someone else."
    )


def invite_problem(tr: Translator, problem: InviteProblem) -> str:
    if problem is InviteProblem.USED:
        return tr.gettext(
            "This invitation has already been used. Please ask the administrator for a new link."
        )
    if problem is InviteProblem.CREATOR_NOT_ADMIN:
        return tr.gettext(
            "This invitation no longer works: the person who made it is no longer an "
            "administrator. Please ask an administrator for a new link."
        )
    if problem is InviteProblem.EXPIRED:
        return tr.gettext(
            "This invitation has expired. Please ask the administrator for a new link."
        )
    return tr.gettext(
        "This invitation link is not valid. Please check it, or ask the administrator for a "
        "new one."
    )

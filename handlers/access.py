"""Who may press a button or use a command: the guard that every entry point passes.

Administrators come from the configuration, staff members from the ``staff_member``
table; both are known before the handler runs (see ``handlers/common.py``).
"""

from __future__ import annotations

from enum import Enum

from bot.i18n import Translator


class Access(Enum):
    ANYONE = "anyone"
    STAFF = "staff"  # staff members and administrators
    # Administrators and staff of the whole library, not a branch's (programmes are the
    # library's); refused to a branch's staff in the words a resident gets for STAFF.
    LIBRARY = "library"
    ADMIN = "admin"  # administrators only


def allows(access: Access, *, staff: bool, admin: bool, branch: str | None = None) -> bool:
    """``branch``: the staff member's branch (None: the whole library, or an administrator)."""
    if access == Access.ADMIN:
        return admin
    if access == Access.STAFF:
        return staff
    if access == Access.LIBRARY:
        return staff and branch is None
    return True


def refusal(tr: Translator, access: Access) -> str:
    """Why not, for someone who may not (a forged button, or rights taken away)."""
    if access == Access.ADMIN:
        return tr.gettext("This is for the library's administrators.")
    return tr.gettext("This command is for library staff.")

"""Domain errors: services raise them, handlers turn them into polite messages."""

from __future__ import annotations

from enum import StrEnum


class DomainError(Exception):
    """Base of the errors a user can cause and be told about."""


class EventNotFoundError(DomainError):
    """No such event, or one residents may not see (a draft)."""


class ClosedReason(StrEnum):
    STARTED = "started"
    CANCELLED = "cancelled"
    NOT_PUBLISHED = "not_published"


class OutsideBranchError(DomainError):
    """A branch's staff member reached for an event of another branch, or of the library
    as a whole: refused exactly as a resident reaching for a staff button is."""


class RegistrationClosedError(DomainError):
    def __init__(self, reason: ClosedReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


class NotRegisteredError(DomainError):
    """Cancelling a registration the person does not have."""


class InvalidInputError(DomainError):
    """A typed answer that cannot be accepted; ``problem`` says why, for the message."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


# Staff management (handlers/staff_admin.py).


class AlreadyStaffError(DomainError):
    """Adding (or inviting) someone who already has staff access."""

    def __init__(self, *, admin: bool) -> None:
        super().__init__("administrator" if admin else "staff")
        self.admin = admin


class NotStaffError(DomainError):
    """Removing someone who is not a staff member."""


class AdministratorError(DomainError):
    """Administrators come from the configuration file and are changed only there."""


class InviteProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    CREATOR_NOT_ADMIN = "creator_not_admin"  # made by someone removed from staff.admins


class InviteInvalidError(DomainError):
    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem

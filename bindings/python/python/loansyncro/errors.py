"""The exceptions of loansyncro, mirroring the core's error enum (one class per variant).

Every exception derives from :class:`LoanSyncroError` and carries ``code`` (the core's stable
machine-readable code). Where a builtin exception says the same thing, the class also derives
from it (``ValidationError`` is a ``ValueError``, ``NotFound`` a ``LookupError``), so existing
``except ValueError`` blocks keep working.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

__all__ = [
    "LoanSyncroError",
    "ValidationError",
    "NoSolution",
    "ArithmeticOverflow",
    "NotFound",
    "Conflict",
    "InvalidTransition",
    "Overpayment",
    "StorageError",
]


class LoanSyncroError(Exception):
    """Root of every loansyncro error."""

    code: str = "error"


class ValidationError(LoanSyncroError, ValueError):
    """An input is invalid: ``field`` names it (``principal``, ``rate_changes[2].effective``),
    ``reason`` says why."""

    code = "validation"

    def __init__(self, message: str, field: str, reason: str) -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason


class NoSolution(LoanSyncroError, ArithmeticError):
    """An equation has no solution for the inputs (e.g. ``rate`` with no root, a payoff plan
    whose budget never clears a debt). Never NaN."""

    code = "no_solution"

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ArithmeticOverflow(LoanSyncroError, ArithmeticError):
    """A computation left the range of the core's decimals (about 7.9e28)."""

    code = "overflow"

    def __init__(self, message: str, operation: str) -> None:
        super().__init__(message)
        self.operation = operation


class NotFound(LoanSyncroError, LookupError):
    """The entity does not exist (or belongs to somebody else)."""

    code = "not_found"

    def __init__(self, message: str, entity: str, id: str) -> None:
        super().__init__(message)
        self.entity = entity
        self.id = id


class Conflict(LoanSyncroError):
    """A concurrent writer got there first, or a uniqueness rule was broken.

    ``kind`` names which (the core's ``ConflictKind``): ``stale_version``, ``concurrent_write``,
    ``idempotency_key_reused``, ``idempotency_key_mismatch`` or ``already_exists``; match on it,
    never on ``reason`` (the human explanation)."""

    code = "conflict"

    def __init__(self, message: str, reason: str, kind: Optional[str] = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.kind = kind


class InvalidTransition(LoanSyncroError):
    """A loan status change the state machine does not allow."""

    code = "invalid_transition"

    def __init__(self, message: str, from_status: str, to_status: str, reason: str) -> None:
        super().__init__(message)
        self.from_status = from_status
        self.to_status = to_status
        self.reason = reason


class Overpayment(LoanSyncroError, ValueError):
    """A repayment would pay more than the payoff amount on its date."""

    code = "overpayment"

    def __init__(
        self, message: str, payoff: Decimal, attempted: Decimal, date: Optional[str] = None
    ) -> None:
        super().__init__(message)
        self.payoff = payoff
        self.attempted = attempted
        self.date = date


class StorageError(LoanSyncroError):
    """A storage adapter failed."""

    code = "storage"

    def __init__(self, message: str, operation: str, detail: str) -> None:
        super().__init__(message)
        self.operation = operation
        self.detail = detail

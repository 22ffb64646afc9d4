"""LoanSyncro for Python: exact loan arithmetic with ``decimal.Decimal`` money.

A thin binding of the Rust core (``loansyncro-core``): loan terms and amortization schedules that
close at exactly zero, numpy-financial compatible finance functions (:mod:`loansyncro.finance`),
Regulation Z APR, what-if extra payments, CSV export, the position of a loan from its
repayments, a debt payoff planner and an in-memory :class:`Portfolio`.

Money goes in as ``Decimal``, ``int`` or ``str`` and comes out as ``Decimal``; dates are
``datetime.date``; enums are strings (or the ``str`` enums below); errors derive from
:class:`LoanSyncroError`.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence as _Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Optional, Union

from . import finance
from ._native import (
    CurrencySummary,
    Installment,
    LedgerOutcome,
    Loan,
    LoanRepayments,
    LoanTerms,
    PayoffPlan,
    Portfolio,
    Position,
    RepaymentOutcome,
    RepaymentRecord,
    Schedule,
    StatusChange,
    StatusUpdate,
    Totals,
    WhatIf,
    __version__,
    apr,
    effective_annual_rate,
    payable,
    payoff_quote,
    plan,
    position,
    postings,
    postings_records,
    schedule_columns,
    schedules,
)
from .errors import (
    ArithmeticOverflow,
    Conflict,
    InvalidTransition,
    LoanSyncroError,
    NoSolution,
    NotFound,
    Overpayment,
    StorageError,
    ValidationError,
)
from ._native import reconcile, statement_from_csv, statement_from_ofx, statement_from_plaid
from ._native import compare_biweekly, corrected_position, corrected_postings

_Sequence.register(Schedule)

__all__ = [
    "__version__",
    "finance",
    "LoanTerms",
    "Schedule",
    "Installment",
    "Totals",
    "WhatIf",
    "Position",
    "PayoffPlan",
    "Portfolio",
    "Loan",
    "RepaymentRecord",
    "RepaymentOutcome",
    "LedgerOutcome",
    "StatusChange",
    "StatusUpdate",
    "CurrencySummary",
    "LoanRepayments",
    "LoanStatus",
    "Debt",
    "Repayment",
    "schedule",
    "schedules",
    "schedule_columns",
    "position",
    "postings",
    "postings_records",
    "payoff_quote",
    "payable",
    "apr",
    "effective_annual_rate",
    "plan",
    "Frequency",
    "DayCount",
    "Method",
    "Rounding",
    "PrepaymentPolicy",
    "Strategy",
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
__all__ += ["reconcile", "statement_from_csv", "statement_from_ofx", "statement_from_plaid"]
from . import batch  # noqa: E402  (Arrow batch API; pyarrow is imported when first used)
__all__ += ["batch"]
__all__ += ["compare_biweekly", "corrected_position", "corrected_postings"]


class Frequency(str, enum.Enum):
    """Payment frequencies (any ``'every N days'`` or ``'semi-monthly D1,D2'`` string works too)."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    SEMI_MONTHLY = "semi-monthly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi-annual"
    ANNUAL = "annual"


class DayCount(str, enum.Enum):
    """Day-count conventions."""

    THIRTY_360 = "30/360"
    THIRTY_E_360 = "30E/360"
    ACTUAL_360 = "actual/360"
    ACTUAL_364 = "actual/364"
    ACTUAL_365F = "actual/365F"
    ACTUAL_ACTUAL = "actual/actual"


class Method(str, enum.Enum):
    """Amortization methods."""

    EQUAL_INSTALLMENTS = "equal_installments"
    EQUAL_PRINCIPAL = "equal_principal"
    FLAT_INTEREST = "flat_interest"
    INTEREST_ONLY = "interest_only"
    FIXED_INSTALLMENT = "fixed_installment"


class Rounding(str, enum.Enum):
    """Rounding modes."""

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    UP = "up"
    DOWN = "down"


class PrepaymentPolicy(str, enum.Enum):
    """What an extra payment does to the rest of the schedule."""

    REDUCE_TERM = "reduce_term"
    REDUCE_PAYMENT = "reduce_payment"


class LoanStatus(str, enum.Enum):
    """Loan statuses (``Loan.status`` is the plain string; members compare equal to it)."""

    ACTIVE = "active"
    PAID = "paid"
    DEFAULTED = "defaulted"


class Strategy(str, enum.Enum):
    """Payoff planner strategies (a list of debt ids is a custom order)."""

    AVALANCHE = "avalanche"
    SNOWBALL = "snowball"


@dataclass(frozen=True)
class Debt:
    """One debt for :func:`plan`. ``annual_rate_percent`` is in percent (``24`` is 24%)."""

    id: str
    balance: Union[Decimal, int, str]
    annual_rate_percent: Union[Decimal, int, float, str]
    minimum_payment: Union[Decimal, int, str]
    name: Optional[str] = None


@dataclass(frozen=True)
class Repayment:
    """A repayment for :func:`position`: money paid on a date."""

    date: date
    amount: Union[Decimal, int, str]


def schedule(**terms: object) -> Schedule:
    """``LoanTerms(**terms).schedule()``."""
    return LoanTerms(**terms).schedule()  # type: ignore[arg-type]

from ._native import enter_from_current, enter_mid_term, renew, timeline

__all__ += ["enter_from_current", "enter_mid_term", "renew", "timeline"]

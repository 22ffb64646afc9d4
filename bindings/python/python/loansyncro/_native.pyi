"""Type stubs of the native module (the Rust binding). Keep in sync with src/*.rs: the tests
check that every native name is declared here."""

from array import array
from datetime import date, datetime
from decimal import Decimal
from os import PathLike
from typing import Any, Dict, Iterable, Iterator, List, Literal, Mapping, Optional, Protocol, Sequence, Tuple, TypedDict, Union, overload


__version__: str

Money = Union[Decimal, int, str]
"""An amount: ``Decimal``, ``int`` or decimal ``str`` (floats are refused for money)."""
Number = Union[Decimal, int, float, str]
"""A rate or factor: floats are read through their shortest repr."""
class _Datetime64(Protocol):
    """``numpy.datetime64`` (typed structurally: numpy is optional)."""

    def astype(self, dtype: Any, /) -> Any: ...

DateLike = Union[date, str, _Datetime64]
"""A ``datetime.date``, ``datetime.datetime``, ``pandas.Timestamp``, ``numpy.datetime64`` or an
ISO ``YYYY-MM-DD`` string."""
When = Union[Literal["end", "begin", "start", "finish", 0, 1], str, int]
Cashflow = Union[Tuple[DateLike, Money], Mapping[str, Any], Any]
"""A ``(date, amount)`` pair, a mapping with ``date``/``amount``, or an object with those attributes."""

# ----------------------------------------------------------------------------------- finance
Errors = Optional[Literal["nan", "raise"]]
"""``'raise'`` (the default for scalars): a typed error; ``'nan'`` (the default for arrays): NaN."""
@overload
def pmt(rate: Decimal | str, nper: Number, pv: Number, fv: Number = ..., when: When = ..., *, errors: Errors = ...) -> Decimal: ...
@overload
def pmt(rate: Number, nper: Number, pv: Decimal | str, fv: Number = ..., when: When = ..., *, errors: Errors = ...) -> Decimal: ...
@overload
def pmt(rate: float, nper: Union[int, float], pv: Union[int, float], fv: Union[int, float] = ..., when: When = ..., *, errors: Errors = ...) -> float: ...
@overload
def pmt(rate: Any, nper: Any, pv: Any, fv: Any = ..., when: Any = ..., *, errors: Errors = ...) -> Any: ...
@overload
def ipmt(rate: Decimal | str, per: Number, nper: Number, pv: Number, fv: Number = ..., when: When = ..., *, errors: Errors = ...) -> Decimal: ...
@overload
def ipmt(rate: float, per: Union[int, float], nper: Union[int, float], pv: Union[int, float], fv: Union[int, float] = ..., when: When = ..., *, errors: Errors = ...) -> float: ...
@overload
def ipmt(rate: Any, per: Any, nper: Any, pv: Any, fv: Any = ..., when: Any = ..., *, errors: Errors = ...) -> Any: ...
@overload
def ppmt(rate: Decimal | str, per: Number, nper: Number, pv: Number, fv: Number = ..., when: When = ..., *, errors: Errors = ...) -> Decimal: ...
@overload
def ppmt(rate: float, per: Union[int, float], nper: Union[int, float], pv: Union[int, float], fv: Union[int, float] = ..., when: When = ..., *, errors: Errors = ...) -> float: ...
@overload
def ppmt(rate: Any, per: Any, nper: Any, pv: Any, fv: Any = ..., when: Any = ..., *, errors: Errors = ...) -> Any: ...
@overload
def nper(rate: Decimal | str, pmt: Number, pv: Number, fv: Number = ..., when: When = ..., *, errors: Errors = ...) -> Decimal: ...
@overload
def nper(rate: float, pmt: Union[int, float], pv: Union[int, float], fv: Union[int, float] = ..., when: When = ..., *, errors: Errors = ...) -> float: ...
@overload
def nper(rate: Any, pmt: Any, pv: Any, fv: Any = ..., when: Any = ..., *, errors: Errors = ...) -> Any: ...
@overload
def rate(nper: Number, pmt: Decimal | str, pv: Number, fv: Number, when: When = ..., guess: Optional[Number] = ..., tol: Any = ..., maxiter: Any = ..., *, raise_exceptions: bool = ..., errors: Errors = ...) -> Decimal: ...
@overload
def rate(nper: Union[int, float], pmt: float, pv: Union[int, float], fv: Union[int, float], when: When = ..., guess: Optional[Number] = ..., tol: Any = ..., maxiter: Any = ..., *, raise_exceptions: bool = ..., errors: Errors = ...) -> float: ...
@overload
def rate(nper: Any, pmt: Any, pv: Any, fv: Any, when: Any = ..., guess: Any = ..., tol: Any = ..., maxiter: Any = ..., *, raise_exceptions: bool = ..., errors: Errors = ...) -> Any: ...
@overload
def pv(rate: Decimal | str, nper: Number, pmt: Number, fv: Number = ..., when: When = ..., *, errors: Errors = ...) -> Decimal: ...
@overload
def pv(rate: float, nper: Union[int, float], pmt: Union[int, float], fv: Union[int, float] = ..., when: When = ..., *, errors: Errors = ...) -> float: ...
@overload
def pv(rate: Any, nper: Any, pmt: Any, fv: Any = ..., when: Any = ..., *, errors: Errors = ...) -> Any: ...
@overload
def fv(rate: Decimal | str, nper: Number, pmt: Number, pv: Number, when: When = ..., *, errors: Errors = ...) -> Decimal: ...
@overload
def fv(rate: float, nper: Union[int, float], pmt: Union[int, float], pv: Union[int, float], when: When = ..., *, errors: Errors = ...) -> float: ...
@overload
def fv(rate: Any, nper: Any, pmt: Any, pv: Any, when: Any = ..., *, errors: Errors = ...) -> Any: ...
@overload
def cumipmt(rate: Decimal | str, nper: Number, pv: Number, start: Number, end: Number, when: When = ..., *, errors: Errors = ...) -> Decimal: ...
@overload
def cumipmt(rate: float, nper: Union[int, float], pv: Union[int, float], start: int, end: int, when: When = ..., *, errors: Errors = ...) -> float: ...
@overload
def cumipmt(rate: Any, nper: Any, pv: Any, start: Any, end: Any, when: Any = ..., *, errors: Errors = ...) -> Any: ...
@overload
def cumprinc(rate: Decimal | str, nper: Number, pv: Number, start: Number, end: Number, when: When = ..., *, errors: Errors = ...) -> Decimal: ...
@overload
def cumprinc(rate: float, nper: Union[int, float], pv: Union[int, float], start: int, end: int, when: When = ..., *, errors: Errors = ...) -> float: ...
@overload
def cumprinc(rate: Any, nper: Any, pv: Any, start: Any, end: Any, when: Any = ..., *, errors: Errors = ...) -> Any: ...

@overload
def npv(rate: Decimal | str, values: Sequence[Number], *, errors: Errors = ...) -> Decimal: ...
@overload
def npv(rate: float, values: Any, *, errors: Errors = ...) -> float: ...
@overload
def npv(rate: Any, values: Any, *, errors: Errors = ...) -> Any: ...
def irr(values: Any, guess: Any = ..., tol: Any = ..., maxiter: Any = ..., *, raise_exceptions: bool = ..., errors: Errors = ...) -> Any:
    """``float`` for float flows, ``Decimal`` for decimal flows, an array for 2-D flows."""
def mirr(values: Any, finance_rate: Number, reinvest_rate: Number, *, raise_exceptions: bool = ..., errors: Errors = ...) -> Any:
    """``float`` for float flows, ``Decimal`` when a rate or a flow is a ``Decimal``."""

# ------------------------------------------------------------------------------------- terms
class LoanTerms:
    """Validated loan terms. Exactly one of ``annual_rate`` (a fraction, 0.065) or
    ``annual_rate_percent`` (6.5); 0% when neither is given."""

    def __init__(
        self,
        *,
        principal: Money,
        start: DateLike,
        installments: Optional[int] = ...,
        annual_rate: Optional[Number] = ...,
        annual_rate_percent: Optional[Number] = ...,
        currency: Optional[str] = ...,
        frequency: Optional[str] = ...,
        first_due: Optional[DateLike] = ...,
        method: Optional[str] = ...,
        installment_amount: Optional[Money] = ...,
        day_count: Optional[str] = ...,
        compounding: Optional[str] = ...,
        rounding: Optional[str] = ...,
        payment_rounding: Optional[str] = ...,
        interest_rounding: Optional[str] = ...,
        installment_multiple: Optional[Money] = ...,
        balance_precision: Optional[str] = ...,
        balloon: Optional[Money] = ...,
        amortization_installments: Optional[int] = ...,
        grace_principal_periods: Optional[int] = ...,
        grace_interest_periods: Optional[int] = ...,
        rate_changes: Optional[Iterable[Union[Tuple[DateLike, Number], Mapping[str, Any]]]] = ...,
        payment_cap: Optional[Number] = ...,
        prepayment_policy: Optional[str] = ...,
        accrual: Optional[str] = ...,
        payment_day_count: Optional[str] = ...,
        adjustment_payment_numbers: Optional[Iterable[int]] = ...,
        payment_cap_percent: Optional[Number] = ...,
        default_after_days_past_due: Optional[int] = ...,
    ) -> None: ...
    def schedule(self) -> Schedule: ...
    def what_if(
        self,
        *,
        recurring: Optional[Money] = ...,
        recurring_from: Optional[int] = ...,
        lump_sums: Optional[Iterable[Union[Tuple[DateLike, Money], Any]]] = ...,
        policy: Optional[str] = ...,
    ) -> WhatIf: ...
    def apr(self, prepaid_finance_charge: Optional[Money] = ...) -> Decimal:
        """APR in percent (6.5 is 6.5%)."""
    def effective_annual_rate(self) -> Decimal: ...
    def replace(self, **changes: Any) -> LoanTerms: ...
    def to_dict(self) -> Dict[str, Any]: ...
    @property
    def principal(self) -> Decimal: ...
    @property
    def annual_rate(self) -> Decimal: ...
    @property
    def annual_rate_percent(self) -> Decimal: ...
    @property
    def installments(self) -> int: ...
    @property
    def currency(self) -> str: ...
    @property
    def frequency(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def first_due(self) -> Optional[date]: ...
    @property
    def first_due_date(self) -> Optional[date]: ...
    @property
    def method(self) -> str: ...
    @property
    def day_count(self) -> str: ...
    @property
    def payment_rounding(self) -> str: ...
    @property
    def interest_rounding(self) -> str: ...
    @property
    def prepayment_policy(self) -> str: ...

def schedule_columns(terms: Iterable[LoanTerms], *, threads: Optional[int] = ..., columns: Optional[Iterable[str]] = ...) -> Dict[str, Any]:
    """Many schedules as one table of NumPy columns (``loan``, ``number``, ``due_date``,
    ``payment``... in int64 minor units, ``scale`` per loan), computed without the GIL."""
    # columns: only these of the nine (plus ``scale``); writing the output is most of the time.
def schedules(terms: Iterable[LoanTerms], *, threads: Optional[int] = ...) -> List[Schedule]:
    """Schedules of many terms, computed without the GIL on several threads."""

# ---------------------------------------------------------------------------------- schedule
class InstallmentDict(TypedDict):
    number: int
    due_date: date
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal
    deferred_interest: Decimal
    extra_principal: Decimal
    negative_amortization: bool

class Installment:
    @property
    def number(self) -> int: ...
    @property
    def due_date(self) -> date: ...
    @property
    def payment(self) -> Decimal: ...
    @property
    def interest(self) -> Decimal: ...
    @property
    def principal(self) -> Decimal: ...
    @property
    def balance(self) -> Decimal: ...
    @property
    def deferred_interest(self) -> Decimal: ...
    @property
    def extra_principal(self) -> Decimal: ...
    @property
    def negative_amortization(self) -> bool: ...
    @property
    def payment_minor(self) -> int: ...
    @property
    def interest_minor(self) -> int: ...
    @property
    def principal_minor(self) -> int: ...
    @property
    def balance_minor(self) -> int: ...
    @property
    def scale(self) -> int: ...
    def to_dict(self) -> InstallmentDict: ...

class Totals:
    @property
    def interest(self) -> Decimal: ...
    @property
    def principal(self) -> Decimal: ...
    @property
    def paid(self) -> Decimal: ...
    @property
    def extra_principal(self) -> Decimal: ...
    def to_dict(self) -> Dict[str, Decimal]: ...

class Schedule(Sequence[Installment]):
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: int) -> Installment: ...
    @overload
    def __getitem__(self, index: slice) -> List[Installment]: ...
    def __iter__(self) -> Iterator[Installment]: ...
    def rows_list(self) -> List[Installment]: ...
    @property
    def regular_payment(self) -> Decimal: ...
    @property
    def total_amount(self) -> Decimal: ...
    @property
    def totals(self) -> Totals: ...
    @property
    def currency(self) -> str: ...
    @property
    def scale(self) -> int: ...
    @property
    def negative_amortization(self) -> bool: ...
    @overload
    def to_csv(self) -> str: ...
    @overload
    def to_csv(self, path: Union[str, PathLike[str]]) -> None: ...
    @overload
    def to_csv(self, path: None) -> str: ...
    def to_pandas(self, dtype: Literal["decimal", "float"] = ...) -> Any:
        """A ``pandas.DataFrame`` (datetime64 dates; Decimal or float64 money)."""
    def to_arrow(self) -> Any:
        """A ``pyarrow.Table`` with ``decimal128(38, scale)`` money columns."""
    def to_polars(self) -> Any:
        """A ``polars.DataFrame`` (needs polars and pyarrow)."""
    def to_dicts(self) -> List[InstallmentDict]: ...
    @overload
    def columns(self, *, decimals: Literal[False] = ...) -> Dict[str, array[int]]: ...
    @overload
    def columns(self, *, decimals: Literal[True]) -> Dict[str, List[Any]]: ...
    @overload
    def columns(self, *, decimals: bool) -> Dict[str, Any]: ...

class WhatIf:
    @property
    def base_totals(self) -> Totals: ...
    @property
    def base_installments(self) -> int: ...
    @property
    def installments_saved(self) -> int: ...
    @property
    def interest_saved(self) -> Decimal: ...
    @property
    def schedule(self) -> Schedule: ...

# ------------------------------------------------------------------------------------ ledger
class Position:
    @property
    def as_of(self) -> date: ...
    @property
    def principal_outstanding(self) -> Decimal: ...
    @property
    def interest_accrued(self) -> Decimal: ...
    @property
    def paid_interest(self) -> Decimal: ...
    @property
    def paid_principal(self) -> Decimal: ...
    @property
    def paid_total(self) -> Decimal: ...
    @property
    def amount_due(self) -> Decimal: ...
    @property
    def days_past_due(self) -> int: ...
    @property
    def next_due_date(self) -> Optional[date]: ...
    @property
    def next_due_amount(self) -> Decimal: ...
    @property
    def installments_paid(self) -> int: ...
    @property
    def remaining_scheduled(self) -> Decimal: ...
    @property
    def progress(self) -> Decimal: ...
    @property
    def payoff_amount(self) -> Decimal: ...
    @property
    def closed(self) -> bool: ...
    @property
    def projected(self) -> List[InstallmentDict]: ...
    def to_pandas(self, dtype: Literal["decimal", "float"] = ...) -> Any:
        """A one-row pandas.DataFrame of the fields (money as Decimal or float64)."""
    def to_arrow(self) -> Any:
        """A one-row pyarrow.Table (money as decimal128)."""
    def to_polars(self) -> Any:
        """A one-row polars.DataFrame (through Arrow)."""

def position(terms: LoanTerms, repayments: Iterable[Cashflow], as_of: DateLike) -> Position: ...

class PayoffQuote(TypedDict):
    date: date
    principal: Decimal
    interest: Decimal
    total: Decimal

def payoff_quote(
    terms: LoanTerms, repayments: Iterable[Cashflow], on: DateLike,
    rule: Optional[Literal["till_pre_close", "till_period_end"]] = ...,
) -> PayoffQuote: ...

class Payable(TypedDict):
    outstanding: Decimal
    principal_due: Decimal
    interest_due: Decimal

def payable(terms: LoanTerms, repayments: Iterable[Cashflow], on: DateLike, for_due: DateLike) -> Payable: ...

# ---------------------------------------------------------------------------------- postings
PostingsFormat = Literal["beancount", "ledger", "hledger", "csv"]
PostingsScope = Literal["actual", "planned", "projected"]
AccountRole = Literal["liability", "interest", "cash", "disbursement", "fees", "escrow"]

class PostingDict(TypedDict):
    account: str
    amount: Decimal

class TransactionDict(TypedDict):
    date: date
    kind: Literal["disbursement", "repayment", "capitalization", "planned"]
    pending: bool
    payee: str
    narration: str
    postings: List[PostingDict]

def postings(
    terms: LoanTerms, repayments: Iterable[Cashflow], *, format: Optional[PostingsFormat] = ...,
    scope: Optional[PostingsScope] = ..., as_of: Optional[DateLike] = ..., name: str = ...,
    accounts: Optional[Dict[str, str]] = ..., payee: Optional[str] = ...,
) -> str: ...
def postings_records(
    terms: LoanTerms, repayments: Iterable[Cashflow], *, scope: Optional[PostingsScope] = ...,
    as_of: Optional[DateLike] = ..., name: str = ..., accounts: Optional[Dict[str, str]] = ...,
    payee: Optional[str] = ...,
) -> List[TransactionDict]: ...

# --------------------------------------------------------------------------------------- apr
def apr(
    advances: Iterable[Cashflow], payments: Iterable[Cashflow], unit_period: str = ...,
    prepaid_finance_charge: Optional[Money] = ...,
) -> Decimal:
    """APR as a fraction (0.0969 is 9.69%)."""

def effective_annual_rate(nominal: Number, m: int) -> Decimal: ...

# ----------------------------------------------------------------------------------- planner
class DebtOutcome(TypedDict):
    id: str
    name: str
    payoff_month: int
    payoff_date: date
    total_interest: Decimal
    total_paid: Decimal

class MonthRow(TypedDict):
    month: int
    date: date
    balance: Decimal
    interest: Decimal
    paid: Decimal
    cumulative_interest: Decimal
    balances: List[Decimal]

class PayoffPlan:
    @property
    def strategy(self) -> Literal["avalanche", "snowball", "custom"]: ...
    @property
    def currency(self) -> str: ...
    @property
    def months_to_debt_free(self) -> int: ...
    @property
    def debt_free_date(self) -> date: ...
    @property
    def total_interest(self) -> Decimal: ...
    @property
    def total_paid(self) -> Decimal: ...
    @property
    def interest_saved(self) -> Optional[Decimal]: ...
    @property
    def months_saved(self) -> Optional[int]: ...
    @property
    def debts(self) -> List[DebtOutcome]: ...
    @property
    def baseline(self) -> Dict[str, Any]: ...
    @property
    def months(self) -> List[MonthRow]: ...

def plan(
    debts: Iterable[Union[Mapping[str, Any], Any]],
    monthly_budget: Money,
    *,
    start: DateLike,
    strategy: Union[str, Sequence[str], None] = ...,
    currency: Optional[str] = ...,
) -> PayoffPlan: ...

# --------------------------------------------------------------------------------- portfolio
LoanStatusName = Literal["active", "paid", "defaulted"]
TransitionReasonName = Literal["closed", "balance_reappeared", "defaulted_by_owner", "past_due_threshold", "cured"]

class Loan:
    """A stored loan: its terms, status, version and repayment aggregates (as of
    ``position_as_of``, the date of its last ledger write)."""

    @property
    def id(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def terms(self) -> LoanTerms: ...
    @property
    def status(self) -> LoanStatusName: ...
    @property
    def version(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def currency(self) -> str: ...
    @property
    def principal(self) -> Decimal: ...
    @property
    def installment(self) -> Decimal: ...
    @property
    def total_scheduled(self) -> Decimal: ...
    @property
    def total_interest(self) -> Decimal: ...
    @property
    def total_repaid(self) -> Decimal: ...
    @property
    def repayment_count(self) -> int: ...
    @property
    def last_payment_date(self) -> Optional[date]: ...
    @property
    def position_as_of(self) -> Optional[date]: ...
    @property
    def principal_paid(self) -> Decimal: ...
    @property
    def interest_paid(self) -> Decimal: ...
    @property
    def principal_outstanding(self) -> Decimal: ...
    @property
    def amount_due(self) -> Decimal: ...
    @property
    def payoff_amount(self) -> Decimal: ...
    @property
    def remaining_scheduled(self) -> Decimal: ...

class RepaymentRecord:
    """A recorded repayment (has ``date`` and ``amount``: usable with :func:`position`)."""

    @property
    def id(self) -> str: ...
    @property
    def loan_id(self) -> str: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def date(self) -> date: ...
    @property
    def notes(self) -> str: ...
    @property
    def idempotency_key(self) -> Optional[str]: ...
    @property
    def created_at(self) -> datetime: ...

class StatusChange:
    @property
    def from_status(self) -> LoanStatusName: ...
    @property
    def to_status(self) -> LoanStatusName: ...
    @property
    def reason(self) -> TransitionReasonName: ...
    @property
    def days_past_due(self) -> Optional[int]: ...

class RepaymentOutcome:
    @property
    def repayment(self) -> RepaymentRecord: ...
    @property
    def loan(self) -> Loan: ...
    @property
    def position(self) -> Position: ...
    @property
    def transition(self) -> Optional[StatusChange]: ...
    @property
    def replayed(self) -> bool: ...

class LedgerOutcome:
    @property
    def loan(self) -> Loan: ...
    @property
    def position(self) -> Position: ...
    @property
    def transition(self) -> Optional[StatusChange]: ...

class StatusUpdate:
    @property
    def loan(self) -> Loan: ...
    @property
    def change(self) -> StatusChange: ...

class StatusCounts(TypedDict):
    active: int
    paid: int
    defaulted: int

class CurrencySummary:
    """The portfolio figures of one currency."""

    @property
    def currency(self) -> str: ...
    @property
    def counts(self) -> StatusCounts: ...
    @property
    def loan_count(self) -> int: ...
    @property
    def total_borrowed(self) -> Decimal: ...
    @property
    def total_repaid(self) -> Decimal: ...
    @property
    def principal_repaid(self) -> Decimal: ...
    @property
    def interest_paid(self) -> Decimal: ...
    @property
    def principal_outstanding(self) -> Decimal: ...
    @property
    def outstanding_payoff(self) -> Decimal: ...
    @property
    def remaining_scheduled(self) -> Decimal: ...
    @property
    def amount_due(self) -> Decimal: ...
    @property
    def repayment_count(self) -> int: ...

class LoanRepayments:
    """One loan's repayments (ledger order) with its totals."""

    @property
    def loan_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def status(self) -> LoanStatusName: ...
    @property
    def principal(self) -> Decimal: ...
    @property
    def repayments(self) -> List[RepaymentRecord]: ...
    @property
    def total_repaid(self) -> Decimal: ...
    @property
    def repayment_count(self) -> int: ...
    @property
    def last_payment_date(self) -> Optional[date]: ...
    @property
    def remaining_balance(self) -> Decimal: ...
    @property
    def progress(self) -> Decimal: ...

class Portfolio:
    """A portfolio of one owner (the core's service), in memory (``Portfolio()``) or in a
    SQLite file (``Portfolio.open("loans.db")``). Its clock stands still at ``today`` until
    ``today`` is assigned."""

    def __init__(self, *, today: Optional[DateLike] = ..., owner: str = ...) -> None: ...
    @staticmethod
    def open(
        path: Union[str, PathLike[str]], *, today: Optional[DateLike] = ..., owner: str = ...
    ) -> Portfolio: ...
    @property
    def owner(self) -> str: ...
    @property
    def path(self) -> Optional[str]: ...
    @property
    def today(self) -> date: ...
    @today.setter
    def today(self, value: DateLike) -> None: ...
    def add_loan(self, title: str, terms: LoanTerms, description: str = ...) -> Loan: ...
    def loan(self, loan_id: str) -> Loan: ...
    def loans(self, search: Optional[str] = ...) -> List[Loan]: ...
    def update_loan(
        self, loan_id: str, title: str, terms: LoanTerms, description: str = ...,
        *, expected_version: Optional[int] = ...,
    ) -> LedgerOutcome: ...
    def delete_loan(self, loan_id: str) -> None: ...
    def set_defaulted(self, loan_id: str) -> StatusUpdate: ...
    def cure(self, loan_id: str) -> StatusUpdate: ...
    def record_repayment(
        self, loan_id: str, amount: Money, on: DateLike, notes: str = ...,
        idempotency_key: Optional[str] = ...,
    ) -> RepaymentOutcome: ...
    def book_correction(
        self, loan_id: str, on: DateLike, stated_balance: Money, reason: str,
        idempotency_key: Optional[str] = ...,
    ) -> CorrectionOutcomeDict:
        """Books the lender's stated balance on ``on`` as an adjustment (never a repayment)."""
    def corrections(self, loan_id: str, as_of: Optional[DateLike] = ...) -> CorrectedLedgerDict: ...
    def delete_correction(self, loan_id: str, correction_id: str) -> CorrectedLedgerDict: ...
    def repayment(self, repayment_id: str) -> RepaymentRecord: ...
    def update_repayment(
        self, repayment_id: str, amount: Money, on: DateLike, notes: str = ...,
        idempotency_key: Optional[str] = ...,
    ) -> RepaymentOutcome: ...
    def delete_repayment(self, repayment_id: str) -> LedgerOutcome: ...
    def repayments(self, loan_id: Optional[str] = ...) -> List[RepaymentRecord]: ...
    def grouped_repayments(self, search: Optional[str] = ...) -> List[LoanRepayments]: ...
    def position(self, loan_id: str, as_of: Optional[DateLike] = ...) -> Position: ...
    def summary(self, as_of: Optional[DateLike] = ...) -> Dict[str, CurrencySummary]: ...
    def plan(
        self, monthly_budget: Money, strategy: Union[str, Sequence[str], None] = ...,
        *, currency: Optional[str] = ..., start: Optional[DateLike] = ...,
    ) -> PayoffPlan: ...
    def to_pandas(self, as_of: Optional[DateLike] = ..., dtype: Literal["decimal", "float"] = ...) -> Any:
        """One row per loan: loan_id, title, currency, status and its position's fields."""
    def to_arrow(self, as_of: Optional[DateLike] = ...) -> Any: ...
    def to_polars(self, as_of: Optional[DateLike] = ...) -> Any: ...
    def summary_to_pandas(self, as_of: Optional[DateLike] = ..., dtype: Literal["decimal", "float"] = ...) -> Any:
        """One row per currency (the fields of CurrencySummary but counts)."""
    def summary_to_arrow(self, as_of: Optional[DateLike] = ...) -> Any: ...

# ------------------------------------------------------------------------------- reconcile
class StatementLineDict(TypedDict):
    date: date
    amount: Decimal
    interest: Optional[Decimal]
    principal: Optional[Decimal]
    balance: Optional[Decimal]

class ReconciledAmounts(TypedDict):
    expected: Decimal
    stated: Optional[Decimal]
    difference: Optional[Decimal]

class LineCheck(TypedDict):
    line: int
    date: date
    amount: Decimal
    interest: ReconciledAmounts
    principal: ReconciledAmounts
    balance: ReconciledAmounts
    matches: bool

class ConventionDict(TypedDict):
    day_count: str
    payment_day_count: Optional[str]
    accrual: str
    compounding: str
    rounding: str
    balance_precision: str

class Reconciliation(TypedDict):
    convention: ConventionDict
    summary: str
    explained: bool
    lines_matched: int
    first_unexplained_line: Optional[int]
    equally_good: int
    conventions_tried: int
    lines: List[LineCheck]

def reconcile(terms: LoanTerms, lines: Iterable[Union[Mapping[str, Any], Any]]) -> Reconciliation:
    """The convention (of a 224-point grid) that reproduces the most statement lines, with each
    line's expected vs stated interest, principal and balance."""

def statement_from_csv(
    text: str, date: str, amount: Optional[str] = ..., interest: Optional[str] = ...,
    principal: Optional[str] = ..., balance: Optional[str] = ..., date_format: str = ...,
    delimiter: str = ...,
) -> List[StatementLineDict]: ...
def statement_from_ofx(text: str) -> List[StatementLineDict]: ...
def statement_from_plaid(
    transactions: str, liabilities: Optional[str] = ..., account_id: Optional[str] = ...,
) -> List[StatementLineDict]: ...

# ---------------------------------------------------------------------------- batch (Arrow)
# The native half of `loansyncro.batch`: column descriptors in, Arrow buffers (NumPy arrays) out.
def batch_schedules(
    columns: Mapping[str, Tuple[Any, ...]], rows: int, *, scale: Optional[int] = ...,
    precision: int = ..., collect: bool = ..., threads: Optional[int] = ...,
) -> Dict[str, Any]: ...
def batch_positions(
    columns: Mapping[str, Tuple[Any, ...]], rows: int, repayments: Tuple[Any, ...], as_of: int, *,
    scale: Optional[int] = ..., precision: int = ..., collect: bool = ..., threads: Optional[int] = ...,
) -> Dict[str, Any]: ...
# --- Timeline events: loans entered mid-term, renewals and refinances ------------------------

class HistoryDict(TypedDict):
    original_start: date
    original_principal: Decimal
    original_installments: int
    installments: int
    interest_paid: Decimal
    principal_paid: Decimal
    scheduled_balance: Decimal
    difference: Decimal
    payment: Decimal

class OpeningDict(TypedDict):
    date: date
    balance: Decimal
    history: Optional[HistoryDict]

class SegmentDict(TypedDict):
    index: int
    first_installment: int
    last_installment: int
    first_due: date
    last_due: date
    annual_rate_percent: Decimal
    payment: Decimal
    balance_before: Decimal
    interest: Decimal
    principal: Decimal
    balance_after: Decimal

class RecastDict(TypedDict):
    payment_number: int
    annual_rate_percent: Decimal
    balance_before: Decimal
    remaining_installments: int
    payment: Decimal

class TimelineDict(TypedDict):
    history: Literal["complete", "summarized", "unknown"]
    opening: Optional[OpeningDict]
    installments: int
    segments: List[SegmentDict]
    recasts: List[RecastDict]

def enter_from_current(
    *, balance: Money, annual_rate_percent: Number, payment: Money, next_due: DateLike,
    currency: Optional[str] = ..., frequency: Optional[str] = ..., day_count: Optional[str] = ...,
) -> LoanTerms: ...
def enter_mid_term(terms: LoanTerms, *, date: DateLike, balance: Money) -> LoanTerms: ...
def renew(
    terms: LoanTerms, *, effective: DateLike, annual_rate_percent: Optional[Number] = ...,
    amortization_installments: Optional[int] = ..., term_installments: Optional[int] = ...,
) -> LoanTerms: ...
def timeline(terms: LoanTerms) -> TimelineDict: ...
# ------------------------------------------------------------------------------- adjust
class CorrectionDict(TypedDict):
    date: date
    stated_balance: Decimal
    adjustment: Decimal

class CorrectedPosition(TypedDict):
    position: Position
    adjustments: List[CorrectionDict]
    adjustments_total: Decimal

def corrected_position(
    terms: LoanTerms, repayments: Iterable[Cashflow],
    statements: Iterable[Union[Tuple[DateLike, Money], Mapping[str, Any], Any]],
    as_of: DateLike,
) -> CorrectedPosition:
    """The position on ``as_of`` after the repayments and the lender's stated balances, each
    booked in date order as the adjustment ``stated - engine balance on its date``."""

def corrected_postings(
    terms: LoanTerms, repayments: Iterable[Cashflow],
    statements: Iterable[Union[Tuple[DateLike, Money], Mapping[str, Any], Any]], *,
    format: Optional[PostingsFormat] = ..., as_of: Optional[DateLike] = ..., name: str = ...,
    accounts: Optional[Dict[str, str]] = ..., payee: Optional[str] = ...,
    adjustments_account: Optional[str] = ...,
) -> str:
    """``postings`` (actual scope) with the stated balances booked in date order, each
    adjustment its own transaction against ``adjustments_account``."""

class PlanSummaryDict(TypedDict):
    frequency: str
    payment: Decimal
    installments: int
    total_paid: Decimal
    total_interest: Decimal
    payoff_date: date

class BiweeklyOptionDict(TypedDict):
    plan: PlanSummaryDict
    interest_saved: Decimal
    days_saved: int

class BiweeklyComparison(TypedDict):
    day_count: str
    monthly: PlanSummaryDict
    biweekly: BiweeklyOptionDict
    accelerated: BiweeklyOptionDict

def compare_biweekly(terms: LoanTerms, day_count: Optional[str] = ...) -> BiweeklyComparison:
    """Monthly vs biweekly (monthly x 12 / 26 every 14 days) vs accelerated biweekly (monthly / 2
    every 14 days); biweekly periods bear annual x 14/365 by default (``day_count="actual/365F"``)."""

class StoredCorrectionDict(TypedDict):
    id: str
    loan_id: str
    date: date
    stated_balance: Decimal
    adjustment: Decimal
    reason: str
    idempotency_key: Optional[str]

class CorrectionOutcomeDict(TypedDict):
    correction: StoredCorrectionDict
    position: Position
    adjustments_total: Decimal
    replayed: bool

class CorrectedLedgerDict(TypedDict):
    corrections: List[StoredCorrectionDict]
    position: Position
    adjustments_total: Decimal

// Type declarations of the `loansyncro` npm package (hand-written; checked by
// `tsc --noEmit --strict` in the package tests).
//
// Conventions: amounts and rates come back as decimal strings (exact; parse them with a decimal
// library, never `Number`, if you compute with them); they are accepted as strings or numbers
// (a number is read as its shortest round-trip decimal, `0.1` is `"0.1"`). Dates are ISO
// `YYYY-MM-DD` strings. Data objects use the core's wire names (snake_case), the same JSON the
// LoanSyncro HTTP API speaks, and error `field`s name those keys.

/** An exact decimal number as a string, e.g. `"1580.17"` or `"-0.0065"`. */
export type Decimal = string;
/** A decimal accepted as a string (`"1580.17"`) or a JS number (`1580.17`). */
export type DecimalInput = string | number;
/** A calendar date, ISO 8601 `YYYY-MM-DD`. */
export type ISODate = string;

/** ISO 4217 currency code, e.g. `"USD"`, `"EUR"`, `"JPY"`. */
export type CurrencyCode = string;

/** Payments at the end (default) or the beginning of each period (spreadsheet `type` 0/1). */
export type When = 'end' | 'begin' | 0 | 1;

export type RoundingMode = 'half_up' | 'half_even' | 'up' | 'down';

export type Frequency =
  | 'weekly'
  | 'biweekly'
  | 'monthly'
  | 'quarterly'
  | 'semi_annual'
  | 'annual'
  | { semi_monthly: { first_day: number; second_day: number } }
  | { every_n_days: number }
  /** Free-form spellings the core parses, e.g. `"every 15 days"`, `"semi-monthly 1,15"`. */
  | `every ${number} days`
  | `semi-monthly ${number},${number}`
  | 'semi-monthly'
  | 'fortnightly';

export type DayCount =
  | '30/360'
  | '30E/360'
  | 'actual/360'
  | 'actual/364'
  | 'actual/365F'
  | 'actual/actual';

export type Compounding = 'nominal' | 'semi_annual' | 'annual';

export type AmortizationMethod =
  | 'equal_installments'
  | 'equal_principal'
  | 'flat_interest'
  | 'interest_only'
  | { fixed_installment: { amount: DecimalInput } };

export type PrepaymentPolicy = 'reduce_term' | 'reduce_payment';
export type Accrual = 'scheduled' | 'daily';
export type BalancePrecision = 'round_each_balance' | 'carry_precision';

export interface RateChangeInput {
  /** First day the new rate applies. */
  effective: ISODate;
  /** The new annual rate as a fraction (`0.07` is 7%). */
  annual_rate: DecimalInput;
}

/** Loan terms in the core's wire form (`LoanTermsBuilder`); only principal, rate, installments and start are required. */
export interface LoanTermsInput {
  currency?: CurrencyCode;
  principal: DecimalInput;
  /** Annual nominal rate in percent (6.5 = 6.5%). */
  annual_rate_percent: DecimalInput;
  installments: number;
  start: ISODate;
  frequency?: Frequency;
  first_due?: ISODate | null;
  method?: AmortizationMethod;
  day_count?: DayCount;
  compounding?: Compounding;
  payment_rounding?: RoundingMode;
  interest_rounding?: RoundingMode;
  installment_multiple?: DecimalInput | null;
  balance_precision?: BalancePrecision;
  balloon?: DecimalInput | null;
  amortization_installments?: number | null;
  grace?: { principal_periods?: number; interest_periods?: number };
  rate_changes?: RateChangeInput[];
  payment_cap?: DecimalInput | null;
  prepayment_policy?: PrepaymentPolicy;
  accrual?: Accrual;
}

/** Every field of validated terms, defaults filled in (what `LoanTerms#toJSON` returns). */
export interface LoanTermsWire {
  currency: CurrencyCode;
  principal: Decimal;
  annual_rate_percent: Decimal;
  installments: number;
  frequency: Frequency;
  start: ISODate;
  first_due: ISODate | null;
  method: 'equal_installments' | 'equal_principal' | 'flat_interest' | 'interest_only' | { fixed_installment: { amount: Decimal } };
  day_count: DayCount;
  compounding: Compounding;
  payment_rounding: RoundingMode;
  interest_rounding: RoundingMode;
  installment_multiple: Decimal | null;
  balance_precision: BalancePrecision;
  balloon: Decimal | null;
  amortization_installments: number | null;
  grace: { principal_periods: number; interest_periods: number };
  rate_changes: { effective: ISODate; annual_rate: Decimal }[];
  payment_cap: Decimal | null;
  prepayment_policy: PrepaymentPolicy;
  accrual: Accrual;
}

/** One installment (plain object, decimal strings). */
export interface Installment {
  number: number;
  due_date: ISODate;
  payment: Decimal;
  interest: Decimal;
  principal: Decimal;
  balance: Decimal;
  deferred_interest: Decimal;
  extra_principal: Decimal;
  negative_amortization: boolean;
}

export interface Totals {
  interest: Decimal;
  principal: Decimal;
  paid: Decimal;
  extra_principal: Decimal;
}

/** A schedule with an array of plain installment objects. */
export interface Schedule {
  currency: CurrencyCode;
  /** The regular installment (the "monthly payment"). */
  regular_payment: Decimal;
  totals: Totals;
  negative_amortization: boolean;
  installments: Installment[];
}

/** The money columns of {@link ScheduleColumns} (integer minor units). */
export type MoneyColumn =
  | 'payment'
  | 'interest'
  | 'principal'
  | 'balance'
  | 'deferredInterest'
  | 'extraPrincipal';

/** A schedule as columns of integer minor units (exact integers in Float64Arrays) plus `scale`. */
export declare class ScheduleColumns implements Iterable<Installment> {
  private constructor();
  readonly length: number;
  /** Decimal places of the currency: amount = column value / 10^scale. */
  readonly scale: number;
  /** False only when an amount exceeds 2^53 minor units (rows then come from decimal strings). */
  readonly exact: boolean;
  readonly currency: CurrencyCode;
  /** Installment numbers 1..n (made on access). */
  readonly number: Float64Array;
  /** Due dates as days since 1970-01-01 (`new Date(d * 86400000)` is midnight UTC of that day). */
  readonly dueDate: Float64Array;
  readonly payment: Float64Array;
  readonly interest: Float64Array;
  readonly principal: Float64Array;
  readonly balance: Float64Array;
  readonly deferredInterest: Float64Array;
  readonly extraPrincipal: Float64Array;
  /** 1 where the installment amortized negatively, else 0 (made on access). */
  readonly negativeAmortization: Float64Array;
  /**
   * A money column in currency units as floats (made on call): each value is the double
   * nearest the exact decimal amount (relative error <= 2^-53), equal to
   * `Number(row(i)[field])`. Exact amounts stay the decimal strings of the rows.
   */
  amounts(column: MoneyColumn): Float64Array;
  readonly regular_payment: Decimal;
  readonly totals: Totals;
  readonly negative_amortization: boolean;
  /** A cheap view of row `i` (0-based); decimal strings are made when a field is read. */
  row(i: number): Readonly<Installment>;
  /** Row `i` as a plain object. */
  record(i: number): Installment;
  /** Every row as plain objects. */
  toArray(): Installment[];
  /** The plain-object form. */
  toSchedule(): Schedule;
  toJSON(): Schedule;
  [Symbol.iterator](): Iterator<Readonly<Installment>>;
}

export interface LumpSumInput {
  date: ISODate;
  amount: DecimalInput;
}

export interface ExtraPaymentsInput {
  /** Extra principal with every installment. */
  recurring?: DecimalInput;
  /** First installment number carrying the recurring extra (default 1). */
  recurring_from?: number;
  lump_sums?: LumpSumInput[];
  policy?: PrepaymentPolicy;
}

export interface WhatIf {
  base_totals: Totals;
  base_installments: number;
  interest_saved: Decimal;
  installments_saved: number;
  /** The schedule with the extra payments. */
  schedule: ScheduleColumns;
}

export interface RepaymentInput {
  date: ISODate;
  amount: DecimalInput;
}

export interface Position {
  as_of: ISODate;
  principal_outstanding: Decimal;
  interest_accrued: Decimal;
  paid_interest: Decimal;
  paid_principal: Decimal;
  paid_total: Decimal;
  amount_due: Decimal;
  days_past_due: number;
  next_due_date: ISODate | null;
  next_due_amount: Decimal;
  installments_paid: number;
  remaining_scheduled: Decimal;
  /** 0..1, four decimals. */
  progress: Decimal;
  payoff_amount: Decimal;
  closed: boolean;
  projected: Installment[];
}

export type PayoffRule = 'till_pre_close' | 'till_period_end';

export interface PayoffQuote {
  date: ISODate;
  principal: Decimal;
  interest: Decimal;
  total: Decimal;
}

export interface Payable {
  outstanding: Decimal;
  principal_due: Decimal;
  interest_due: Decimal;
}

export interface SeriesPoint {
  date: ISODate;
  balance: Decimal;
  cumulative_interest: Decimal;
  cumulative_principal: Decimal;
}

/** Validated loan terms; every computation on one loan is a method. */
export declare class LoanTerms {
  /** Throws `ValidationError` naming the field (`principal`, `installments`, `start`, ...). */
  constructor(input: LoanTermsInput);
  toJSON(): LoanTermsWire;
  /** New terms with some fields changed (validated again). */
  with(changes: Partial<LoanTermsInput>): LoanTerms;
  /** The contractual schedule as columns (the fast form). */
  scheduleColumns(): ScheduleColumns;
  /** The contractual schedule with plain installment objects. */
  schedule(): Schedule;
  whatIf(extra: ExtraPaymentsInput): WhatIf;
  /** APR in percent (Reg Z Appendix J), optionally with a prepaid finance charge (fees). */
  apr(prepaidFinanceCharge?: DecimalInput): Decimal;
  /** Effective annual rate of the note rate, in percent. */
  effectiveAnnualRate(): Decimal;
  /** The schedule as CSV (RFC 4180, CRLF line ends). */
  toCsv(): string;
  /** Balance and cumulative interest/principal per date, from the start. */
  series(): SeriesPoint[];
  position(repayments: RepaymentInput[], asOf: ISODate): Position;
  payoffQuote(repayments: RepaymentInput[], on: ISODate, rule?: PayoffRule): PayoffQuote;
  payable(repayments: RepaymentInput[], on: ISODate, forDue: ISODate): Payable;
  /** Throws `ValidationError` or `OverpaymentError` unless the repayment is acceptable. */
  checkPayment(repayments: RepaymentInput[], payment: RepaymentInput): void;
}

export type TermsLike = LoanTerms | LoanTermsInput;

export declare function schedule(terms: TermsLike): Schedule;
export declare function scheduleColumns(terms: TermsLike): ScheduleColumns;
export declare function whatIf(terms: TermsLike, extra: ExtraPaymentsInput): WhatIf;
export declare function position(terms: TermsLike, repayments: RepaymentInput[], asOf: ISODate): Position;
export declare function toCsv(terms: TermsLike): string;

export interface ScheduleSummaries {
  readonly length: number;
  readonly installments: Float64Array;
  readonly scale: Float64Array;
  /** Minor units. */
  readonly regularPayment: Float64Array;
  readonly totalInterest: Float64Array;
  readonly totalPaid: Float64Array;
  row(i: number): { installments: number; regular_payment: Decimal; total_interest: Decimal; total_paid: Decimal };
}
/** Many schedules in one call; a failure names the loan (`[3].principal`). */
export declare function scheduleSummaries(terms: LoanTermsInput[]): ScheduleSummaries;

// ------------------------------------------------------------------ finance functions
// numpy-financial / spreadsheet semantics and sign convention (money paid out is negative).

export declare function pmt(rate: DecimalInput, nper: number, pv: DecimalInput, fv?: DecimalInput, when?: When): Decimal;
export declare function fv(rate: DecimalInput, nper: number, pmt: DecimalInput, pv?: DecimalInput, when?: When): Decimal;
export declare function pv(rate: DecimalInput, nper: number, pmt: DecimalInput, fv?: DecimalInput, when?: When): Decimal;
export declare function nper(rate: DecimalInput, pmt: DecimalInput, pv: DecimalInput, fv?: DecimalInput, when?: When): Decimal;
export declare function rate(nper: number, pmt: DecimalInput, pv: DecimalInput, fv?: DecimalInput, when?: When): Decimal;
export declare function ipmt(rate: DecimalInput, per: number, nper: number, pv: DecimalInput, fv?: DecimalInput, when?: When): Decimal;
export declare function ppmt(rate: DecimalInput, per: number, nper: number, pv: DecimalInput, fv?: DecimalInput, when?: When): Decimal;
export declare function cumipmt(rate: DecimalInput, nper: number, pv: DecimalInput, start: number, end: number, when?: When): Decimal;
export declare function cumprinc(rate: DecimalInput, nper: number, pv: DecimalInput, start: number, end: number, when?: When): Decimal;
/** `(1 + nominal/m)^m - 1`, fractions (0.12 is 12%). */
export declare function effectiveAnnualRate(nominal: DecimalInput, m: number): Decimal;

export interface CashFlowInput {
  date: ISODate;
  amount: DecimalInput;
}
export type UnitPeriod =
  | 'day' | 'week' | 'semi-month' | 'month' | 'quarter' | 'year'
  | `${number} days` | `${number} weeks` | `${number} months`
  | 'semi_month'
  | { days: number } | { weeks: number } | { months: number }
  /** Single advance repaid by a single payment: the term is the unit period. */
  | 'term';
export interface AprInput {
  advances: CashFlowInput[];
  payments: CashFlowInput[];
  unit_period: UnitPeriod;
  prepaid_finance_charge?: DecimalInput;
}
/** APR of dated cash flows (Reg Z Appendix J), as a fraction (0.0969 is 9.69%). */
export declare function apr(input: AprInput): Decimal;

// ------------------------------------------------------------------ payoff planner

export type Strategy = 'avalanche' | 'snowball' | { custom: string[] };
export interface DebtInput {
  id: string;
  name: string;
  balance: DecimalInput;
  /** Annual rate as a fraction (0.24 is 24%). */
  annual_rate: DecimalInput;
  minimum_payment: DecimalInput;
}
export interface PlanInput {
  currency: CurrencyCode;
  debts: DebtInput[];
  monthly_budget: DecimalInput;
  strategy: Strategy;
  /** Date of the first month's payment. */
  start: ISODate;
}
export interface DebtOutcome {
  id: string;
  name: string;
  payoff_month: number;
  payoff_date: ISODate;
  total_interest: Decimal;
  total_paid: Decimal;
}
export type Baseline =
  | { kind: 'paid_off'; months: number; debt_free_date: ISODate; total_interest: Decimal; total_paid: Decimal }
  | { kind: 'unbounded'; debt_ids: string[] };
export interface MonthRow {
  month: number;
  date: ISODate;
  balance: Decimal;
  interest: Decimal;
  paid: Decimal;
  cumulative_interest: Decimal;
  balances: Decimal[];
}
export interface PlanResult {
  strategy: Strategy;
  currency: CurrencyCode;
  months_to_debt_free: number;
  debt_free_date: ISODate;
  total_interest: Decimal;
  total_paid: Decimal;
  debts: DebtOutcome[];
  baseline: Baseline;
  interest_saved: Decimal | null;
  months_saved: number | null;
  months: MonthRow[];
}
/** Pays several debts from one monthly budget and compares with minimums only. */
export declare function plan(input: PlanInput): PlanResult;

// ------------------------------------------------------------------ portfolio (in-memory service)

export type LoanStatus = 'active' | 'paid' | 'defaulted';
/** ISO 8601 timestamp, e.g. `2025-02-01T00:00:00Z`. */
export type ISODateTime = string;

export interface NewLoanInput {
  /** 1 to 200 characters once trimmed. */
  title: string;
  description?: string;
  terms: LoanTermsInput;
}
export interface LoanAggregates {
  total_repaid: Decimal;
  repayment_count: number;
  last_payment_date: ISODate | null;
  position_as_of: ISODate | null;
  principal_paid: Decimal;
  interest_paid: Decimal;
  principal_outstanding: Decimal;
  amount_due: Decimal;
  payoff_amount: Decimal;
  remaining_scheduled: Decimal;
}
export interface Loan {
  id: string;
  owner: string;
  title: string;
  description: string;
  terms: LoanTermsWire;
  status: LoanStatus;
  version: number;
  created_at: ISODateTime;
  updated_at: ISODateTime;
  aggregates: LoanAggregates;
}
/** A loan with the figures derived from its terms. */
export interface LoanView {
  loan: Loan;
  installment: Decimal;
  total_scheduled: Decimal;
  total_interest: Decimal;
}
export interface LoanPage {
  items: LoanView[];
  next_cursor: string | null;
}
export interface LoanQueryInput {
  search?: string | null;
  limit?: number;
  cursor?: string | null;
}
export interface NewRepaymentInput {
  amount: DecimalInput;
  date: ISODate;
  notes?: string;
  /** A retry with the same key returns the first result instead of recording twice. */
  idempotency_key?: string | null;
}
export interface Repayment {
  id: string;
  loan_id: string;
  owner: string;
  amount: Decimal;
  date: ISODate;
  notes: string;
  idempotency_key: string | null;
  created_at: ISODateTime;
}
export interface TransitionReason {
  kind: string;
  [detail: string]: string | number | boolean | null;
}
export interface StatusChange {
  from: LoanStatus;
  to: LoanStatus;
  reason: TransitionReason;
}
export interface RepaymentOutcome {
  repayment: Repayment;
  loan: Loan;
  position: Position;
  transition: StatusChange | null;
  /** True when an idempotency key matched an earlier record (nothing new was recorded). */
  replayed: boolean;
}
export interface LedgerOutcome {
  loan: Loan;
  position: Position;
  transition: StatusChange | null;
}
export interface StatusUpdate {
  loan: Loan;
  change: StatusChange;
}
export interface CurrencySummary {
  currency: CurrencyCode;
  counts: { active: number; paid: number; defaulted: number };
  total_borrowed: Decimal;
  total_repaid: Decimal;
  principal_repaid: Decimal;
  interest_paid: Decimal;
  principal_outstanding: Decimal;
  outstanding_payoff: Decimal;
  remaining_scheduled: Decimal;
  amount_due: Decimal;
  repayment_count: number;
}
export interface PortfolioSummary {
  /** One entry per currency in use, sorted by code. */
  currencies: CurrencySummary[];
}
export interface LoanRepayments {
  loan_id: string;
  title: string;
  currency: CurrencyCode;
  status: LoanStatus;
  principal: Decimal;
  repayments: Repayment[];
  total_repaid: Decimal;
  repayment_count: number;
  last_payment_date: ISODate | null;
  remaining_balance: Decimal;
  progress: Decimal;
}
export interface PortfolioPlanInput {
  /** Only the unpaid loans in this currency are planned. */
  currency: CurrencyCode;
  monthly_budget: DecimalInput;
  /** `{custom: [loan ids]}` for a custom order. */
  strategy: Strategy;
  /** First month's payment date (default: today). */
  start?: ISODate | null;
}
export interface Notification {
  type: string;
  owner: string;
  [detail: string]: string | number | boolean | null;
}

/**
 * The whole LoanSyncro service in memory for one local user (loans, repayments, positions,
 * summary per currency, grouped repayments, payoff planner). WebAssembly has no clock: pass
 * `today` (default: the browser's UTC date) and move it with `setToday`.
 */
export declare class Portfolio {
  constructor(options?: { user?: string; today?: ISODate });
  readonly today: ISODate;
  setToday(date: ISODate): void;
  addLoan(command: NewLoanInput): LoanView;
  getLoan(id: string): LoanView;
  listLoans(query?: LoanQueryInput): LoanPage;
  /** Optimistic concurrency: fails with ConflictError unless `expectedVersion` is current. */
  updateLoan(id: string, command: NewLoanInput, expectedVersion: number): LedgerOutcome;
  deleteLoan(id: string): void;
  setDefaulted(id: string): StatusUpdate;
  cure(id: string): StatusUpdate;
  /** Throws OverpaymentError (with the payoff) when the amount exceeds the payoff. */
  recordRepayment(loanId: string, command: NewRepaymentInput): RepaymentOutcome;
  updateRepayment(id: string, command: NewRepaymentInput): RepaymentOutcome;
  deleteRepayment(id: string): LedgerOutcome;
  /** The repayments of one loan, or of all loans. */
  listRepayments(loanId?: string): Repayment[];
  groupedRepayments(search?: string): LoanRepayments[];
  position(loanId: string, asOf?: ISODate): Position;
  summary(asOf?: ISODate): PortfolioSummary;
  plan(request: PortfolioPlanInput): PlanResult;
  takeNotifications(): Notification[];
}

// ------------------------------------------------------------------ errors

export type ErrorCode =
  | 'validation'
  | 'no_solution'
  | 'overflow'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'overpayment'
  | 'storage'
  | 'internal';

/** Everything the core's error carries, as sent across the boundary. */
export interface ErrorDetails {
  code: ErrorCode;
  message: string;
  field?: string;
  reason?: string;
  [key: string]: string | number | boolean | undefined;
}

/** Base class of every error the library throws. */
export declare class LoanSyncroError extends Error {
  readonly code: ErrorCode;
  /** The offending input (`principal`, `rate_changes[0].effective`, `[3].installments`), else null. */
  readonly field: string | null;
  /** Why, without the field name (e.g. `must be greater than zero`). */
  readonly reason: string;
  readonly details: ErrorDetails;
}
export declare class ValidationError extends LoanSyncroError {
  readonly code: 'validation';
  readonly field: string;
}
export declare class NoSolutionError extends LoanSyncroError {}
export declare class OverflowError extends LoanSyncroError {}
export declare class NotFoundError extends LoanSyncroError {}
export declare class ConflictError extends LoanSyncroError {}
export declare class InvalidTransitionError extends LoanSyncroError {}
export declare class StorageError extends LoanSyncroError {}
export declare class OverpaymentError extends LoanSyncroError {
  readonly payoff: Decimal;
  readonly attempted: Decimal;
  readonly date: ISODate;
}

/** Integer minor units -> decimal string with `scale` decimals (158017, 2 -> "1580.17"). */
export declare function formatMinor(minor: number, scale: number): Decimal;
/** Days since 1970-01-01 -> ISO date (the `dueDate` column's unit). */
export declare function formatDays(days: number): ISODate;
/** Version of the Rust core inside the package. */
export declare function coreVersion(): string;

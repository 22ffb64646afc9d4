// Type declarations of the `loansyncro` npm package (hand-written; checked by
// `tsc --noEmit --strict` in the package tests).
//
// Conventions: amounts and rates come back as decimal strings (exact; parse them with a decimal
// library, never `Number`, if you compute with them); they are accepted as strings or numbers
// (a number is read as its shortest round-trip decimal, `0.1` is `"0.1"`). Dates are accepted
// as ISO `YYYY-MM-DD` strings or JS `Date`s (midnight UTC, see `DateInput`); results give them
// as ISO strings, or as `Date`s with the option `{ dates: 'date' }` (see `DateOutput`). Data
// objects use the core's wire names (snake_case), the same JSON the LoanSyncro HTTP API
// speaks, and error `field`s name those keys.

/** An exact decimal number as a string, e.g. `"1580.17"` or `"-0.0065"`. */
export type Decimal = string;
/** A decimal accepted as a string (`"1580.17"`) or a JS number (`1580.17`). */
export type DecimalInput = string | number;
/** A calendar date, ISO 8601 `YYYY-MM-DD`. */
export type ISODate = string;
/**
 * A calendar date on input: an ISO string, or a JS `Date` standing for its UTC calendar date.
 * The Date must be midnight UTC (`new Date(Date.UTC(2025, 0, 31))`, `new Date('2025-01-31')`):
 * a Date at another time of day, e.g. `new Date(2025, 0, 31)` (local midnight) outside UTC, is a
 * `ValidationError` naming the field, never silently moved to a neighbouring day; so is an
 * invalid Date (`new Date('x')`).
 */
export type DateInput = ISODate | Date;
/**
 * How results give calendar dates: `'iso'` (default) `YYYY-MM-DD` strings, or `'date'` JS
 * `Date`s at midnight UTC of the day (read them with `getUTCFullYear()`/`getUTCMonth()`/
 * `getUTCDate()`). Timestamps (`created_at`, `updated_at`) and error details stay strings, and
 * `toJSON()` always gives ISO strings.
 */
export type DateOutput = 'iso' | 'date';
/** The `dates` option of the calls whose results hold dates. */
export interface DateOptions<D extends DateOutput = DateOutput> {
  dates?: D;
}
/** A calendar date in a result under the `dates` option `D`. */
export type DateOf<D extends DateOutput> = D extends 'date' ? Date : ISODate;

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
  effective: DateInput;
  /** The new annual rate as a fraction (`0.07` is 7%). */
  annual_rate: DecimalInput;
}

/** A renewal or refinance in the terms' wire form (loansyncro/books `renew` adds them). */
export interface RenewalWire<D extends DateOutput = 'iso', DI = DateOf<D>, N = Decimal> {
  effective: DI;
  /** The new annual rate as a fraction (`0.06` is 6%); absent: unchanged. */
  annual_rate?: N;
  amortization_installments?: number;
  term_installments?: number;
}
/** Where a loan entered mid-term starts (loansyncro/books `enterFromCurrent`, `enterMidTerm`). */
export interface OpeningWire<D extends DateOutput = 'iso', DI = DateOf<D>, N = Decimal> {
  date: DI;
  balance: N;
  /** The summarized history by the original terms (absent: unknown). */
  history?: {
    original_start: DI;
    original_principal: N;
    original_installments: number;
    installments: number;
    interest_paid: N;
    principal_paid: N;
    scheduled_balance: N;
    difference: N;
    payment: N;
  };
}

/** Loan terms in the core's wire form (`LoanTermsBuilder`); only principal, rate, installments and start are required. */
export interface LoanTermsInput {
  currency?: CurrencyCode;
  principal: DecimalInput;
  /** Annual nominal rate in percent (6.5 = 6.5%). */
  annual_rate_percent: DecimalInput;
  installments: number;
  start: DateInput;
  frequency?: Frequency;
  first_due?: DateInput | null;
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
  /** Renewals and refinances in this loan's timeline. */
  renewals?: RenewalWire<'iso', DateInput, DecimalInput>[];
  /** Set for a loan entered mid-term. */
  opening?: OpeningWire<'iso', DateInput, DecimalInput> | null;
}

/** Every field of validated terms, defaults filled in (what `LoanTerms#toJSON` returns). */
export interface LoanTermsWire<D extends DateOutput = 'iso'> {
  currency: CurrencyCode;
  principal: Decimal;
  annual_rate_percent: Decimal;
  installments: number;
  frequency: Frequency;
  start: DateOf<D>;
  first_due: DateOf<D> | null;
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
  rate_changes: { effective: DateOf<D>; annual_rate: Decimal }[];
  payment_cap: Decimal | null;
  prepayment_policy: PrepaymentPolicy;
  accrual: Accrual;
  /** Present once renewed. */
  renewals?: RenewalWire<D>[];
  /** Present for a loan entered mid-term. */
  opening?: OpeningWire<D>;
}

/** One installment (plain object, decimal strings). */
export interface Installment<D extends DateOutput = 'iso'> {
  number: number;
  due_date: DateOf<D>;
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
export interface Schedule<D extends DateOutput = 'iso'> {
  currency: CurrencyCode;
  /** The regular installment (the "monthly payment"). */
  regular_payment: Decimal;
  totals: Totals;
  negative_amortization: boolean;
  installments: Installment<D>[];
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
export declare class ScheduleColumns<D extends DateOutput = 'iso'> implements Iterable<Readonly<Installment<D>>> {
  private constructor();
  readonly length: number;
  /** Decimal places of the currency: amount = column value / 10^scale. */
  readonly scale: number;
  /** False only when an amount exceeds 2^53 minor units (rows then come from decimal strings). */
  readonly exact: boolean;
  readonly currency: CurrencyCode;
  /** Installment numbers 1..n (made on access). */
  readonly number: Float64Array;
  /**
   * Due dates as days since 1970-01-01 whatever the `dates` option (`new Date(d * 86400000)` is
   * midnight UTC of that day, `formatDays(d)` its ISO date).
   */
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
  row(i: number): Readonly<Installment<D>>;
  /** Row `i` as a plain object. */
  record(i: number): Installment<D>;
  /** Every row as plain objects. */
  toArray(): Installment<D>[];
  /** The plain-object form. */
  toSchedule(): Schedule<D>;
  /** The wire form: ISO dates whatever the `dates` option. */
  toJSON(): Schedule;
  [Symbol.iterator](): Iterator<Readonly<Installment<D>>>;
}

export interface LumpSumInput {
  date: DateInput;
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

export interface WhatIf<D extends DateOutput = 'iso'> {
  base_totals: Totals;
  base_installments: number;
  interest_saved: Decimal;
  installments_saved: number;
  /** The schedule with the extra payments. */
  schedule: ScheduleColumns<D>;
}

export interface RepaymentInput {
  date: DateInput;
  amount: DecimalInput;
}

export interface Position<D extends DateOutput = 'iso'> {
  as_of: DateOf<D>;
  principal_outstanding: Decimal;
  interest_accrued: Decimal;
  paid_interest: Decimal;
  paid_principal: Decimal;
  paid_total: Decimal;
  amount_due: Decimal;
  days_past_due: number;
  next_due_date: DateOf<D> | null;
  next_due_amount: Decimal;
  installments_paid: number;
  remaining_scheduled: Decimal;
  /** 0..1, four decimals. */
  progress: Decimal;
  payoff_amount: Decimal;
  closed: boolean;
  projected: Installment<D>[];
}

export type PayoffRule = 'till_pre_close' | 'till_period_end';

export interface PayoffQuote<D extends DateOutput = 'iso'> {
  date: DateOf<D>;
  principal: Decimal;
  interest: Decimal;
  total: Decimal;
}

export interface Payable {
  outstanding: Decimal;
  principal_due: Decimal;
  interest_due: Decimal;
}

export interface SeriesPoint<D extends DateOutput = 'iso'> {
  date: DateOf<D>;
  balance: Decimal;
  cumulative_interest: Decimal;
  cumulative_principal: Decimal;
}

/**
 * Validated loan terms; every computation on one loan is a method. `options.dates` (`'iso'` by
 * default, or `'date'`) is the form of the dates in every result of these terms.
 */
export declare class LoanTerms<D extends DateOutput = 'iso'> {
  /** Throws `ValidationError` naming the field (`principal`, `installments`, `start`, ...). */
  constructor(input: LoanTermsInput, options?: DateOptions<D>);
  /** The wire form (ISO dates whatever the `dates` option). */
  toJSON(): LoanTermsWire;
  /** New terms with some fields changed (validated again), with the same `dates` option. */
  with(changes: Partial<LoanTermsInput>): LoanTerms<D>;
  /** The contractual schedule as columns (the fast form). */
  scheduleColumns(): ScheduleColumns<D>;
  /** The contractual schedule with plain installment objects. */
  schedule(): Schedule<D>;
  whatIf(extra: ExtraPaymentsInput): WhatIf<D>;
  /** APR in percent (Reg Z Appendix J), optionally with a prepaid finance charge (fees). */
  apr(prepaidFinanceCharge?: DecimalInput): Decimal;
  /** Effective annual rate of the note rate, in percent. */
  effectiveAnnualRate(): Decimal;
  /** The schedule as CSV (RFC 4180, CRLF line ends). */
  toCsv(): string;
  /** Balance and cumulative interest/principal per date, from the start. */
  series(): SeriesPoint<D>[];
  position(repayments: RepaymentInput[], asOf: DateInput): Position<D>;
  payoffQuote(repayments: RepaymentInput[], on: DateInput, rule?: PayoffRule): PayoffQuote<D>;
  payable(repayments: RepaymentInput[], on: DateInput, forDue: DateInput): Payable;
  /** Throws `ValidationError` or `OverpaymentError` unless the repayment is acceptable. */
  checkPayment(repayments: RepaymentInput[], payment: RepaymentInput): void;
}

/** Terms as an input object, or validated `LoanTerms` (whose `dates` option applies unless the call gives one). */
export type TermsLike<D extends DateOutput = DateOutput> = LoanTerms<D> | LoanTermsInput;

export declare function schedule<D extends DateOutput = 'iso'>(terms: TermsLike<D>, options?: DateOptions<D>): Schedule<D>;
/**
 * The options of `scheduleColumns(terms, options)`: `dates`, and `view`. With `view: true` the
 * columns of simple terms (only `currency`, `principal`, `annual_rate_percent`, `installments`,
 * `start`) are views over the WebAssembly module's memory instead of a copy (saves the 14 KB
 * copy of a 360-row schedule): they are valid only until the next call into the package (any
 * function may overwrite that memory or grow it, which empties the views). Read them at once,
 * or `.slice()` what you keep. Other terms, and `LoanTerms#scheduleColumns()`, always copy.
 */
export interface ScheduleColumnsOptions<D extends DateOutput = DateOutput> extends DateOptions<D> {
  view?: boolean;
}
export declare function scheduleColumns<D extends DateOutput = 'iso'>(terms: TermsLike<D>, options?: ScheduleColumnsOptions<D>): ScheduleColumns<D>;
export declare function whatIf<D extends DateOutput = 'iso'>(terms: TermsLike<D>, extra: ExtraPaymentsInput, options?: DateOptions<D>): WhatIf<D>;
export declare function position<D extends DateOutput = 'iso'>(terms: TermsLike<D>, repayments: RepaymentInput[], asOf: DateInput, options?: DateOptions<D>): Position<D>;
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
  date: DateInput;
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
  start: DateInput;
}
export interface DebtOutcome<D extends DateOutput = 'iso'> {
  id: string;
  name: string;
  payoff_month: number;
  payoff_date: DateOf<D>;
  total_interest: Decimal;
  total_paid: Decimal;
}
export type Baseline<D extends DateOutput = 'iso'> =
  | { kind: 'paid_off'; months: number; debt_free_date: DateOf<D>; total_interest: Decimal; total_paid: Decimal }
  | { kind: 'unbounded'; debt_ids: string[] };
export interface MonthRow<D extends DateOutput = 'iso'> {
  month: number;
  date: DateOf<D>;
  balance: Decimal;
  interest: Decimal;
  paid: Decimal;
  cumulative_interest: Decimal;
  balances: Decimal[];
}
export interface PlanResult<D extends DateOutput = 'iso'> {
  strategy: Strategy;
  currency: CurrencyCode;
  months_to_debt_free: number;
  debt_free_date: DateOf<D>;
  total_interest: Decimal;
  total_paid: Decimal;
  debts: DebtOutcome<D>[];
  baseline: Baseline<D>;
  interest_saved: Decimal | null;
  months_saved: number | null;
  months: MonthRow<D>[];
}
/** Pays several debts from one monthly budget and compares with minimums only. */
export declare function plan<D extends DateOutput = 'iso'>(input: PlanInput, options?: DateOptions<D>): PlanResult<D>;

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
export interface LoanAggregates<D extends DateOutput = 'iso'> {
  total_repaid: Decimal;
  repayment_count: number;
  last_payment_date: DateOf<D> | null;
  position_as_of: DateOf<D> | null;
  principal_paid: Decimal;
  interest_paid: Decimal;
  principal_outstanding: Decimal;
  amount_due: Decimal;
  payoff_amount: Decimal;
  remaining_scheduled: Decimal;
}
export interface Loan<D extends DateOutput = 'iso'> {
  id: string;
  owner: string;
  title: string;
  description: string;
  terms: LoanTermsWire<D>;
  status: LoanStatus;
  version: number;
  created_at: ISODateTime;
  updated_at: ISODateTime;
  aggregates: LoanAggregates<D>;
}
/** A loan with the figures derived from its terms. */
export interface LoanView<D extends DateOutput = 'iso'> {
  loan: Loan<D>;
  installment: Decimal;
  total_scheduled: Decimal;
  total_interest: Decimal;
}
export interface LoanPage<D extends DateOutput = 'iso'> {
  items: LoanView<D>[];
  next_cursor: string | null;
}
export interface LoanQueryInput {
  search?: string | null;
  limit?: number;
  cursor?: string | null;
}
export interface NewRepaymentInput {
  amount: DecimalInput;
  date: DateInput;
  notes?: string;
  /** A retry with the same key returns the first result instead of recording twice. */
  idempotency_key?: string | null;
}
export interface Repayment<D extends DateOutput = 'iso'> {
  id: string;
  loan_id: string;
  owner: string;
  amount: Decimal;
  date: DateOf<D>;
  notes: string;
  idempotency_key: string | null;
  created_at: ISODateTime;
}
export interface TransitionReason<D extends DateOutput = 'iso'> {
  kind: string;
  [detail: string]: string | number | boolean | null | DateOf<D>;
}
export interface StatusChange<D extends DateOutput = 'iso'> {
  from: LoanStatus;
  to: LoanStatus;
  reason: TransitionReason<D>;
}
export interface RepaymentOutcome<D extends DateOutput = 'iso'> {
  repayment: Repayment<D>;
  loan: Loan<D>;
  position: Position<D>;
  transition: StatusChange<D> | null;
  /** True when an idempotency key matched an earlier record (nothing new was recorded). */
  replayed: boolean;
}
export interface LedgerOutcome<D extends DateOutput = 'iso'> {
  loan: Loan<D>;
  position: Position<D>;
  transition: StatusChange<D> | null;
}
export interface StatusUpdate<D extends DateOutput = 'iso'> {
  loan: Loan<D>;
  change: StatusChange<D>;
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
export interface LoanRepayments<D extends DateOutput = 'iso'> {
  loan_id: string;
  title: string;
  currency: CurrencyCode;
  status: LoanStatus;
  principal: Decimal;
  repayments: Repayment<D>[];
  total_repaid: Decimal;
  repayment_count: number;
  last_payment_date: DateOf<D> | null;
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
  start?: DateInput | null;
}
export interface Notification<D extends DateOutput = 'iso'> {
  type: string;
  owner: string;
  [detail: string]: string | number | boolean | null | DateOf<D>;
}

/**
 * The whole LoanSyncro service in memory for one local user (loans, repayments, positions,
 * summary per currency, grouped repayments, payoff planner). WebAssembly has no clock: pass
 * `today` (default: the browser's UTC date) and move it with `setToday`. `dates` (`'iso'` by
 * default, or `'date'`) is the form of the dates in every result.
 */
export declare class Portfolio<D extends DateOutput = 'iso'> {
  constructor(options?: { user?: string; today?: DateInput; dates?: D });
  readonly today: DateOf<D>;
  setToday(date: DateInput): void;
  addLoan(command: NewLoanInput): LoanView<D>;
  getLoan(id: string): LoanView<D>;
  listLoans(query?: LoanQueryInput): LoanPage<D>;
  /** Optimistic concurrency: fails with ConflictError unless `expectedVersion` is current. */
  updateLoan(id: string, command: NewLoanInput, expectedVersion: number): LedgerOutcome<D>;
  deleteLoan(id: string): void;
  setDefaulted(id: string): StatusUpdate<D>;
  cure(id: string): StatusUpdate<D>;
  /** Throws OverpaymentError (with the payoff) when the amount exceeds the payoff. */
  recordRepayment(loanId: string, command: NewRepaymentInput): RepaymentOutcome<D>;
  updateRepayment(id: string, command: NewRepaymentInput): RepaymentOutcome<D>;
  deleteRepayment(id: string): LedgerOutcome<D>;
  /** The repayments of one loan, or of all loans. */
  listRepayments(loanId?: string): Repayment<D>[];
  groupedRepayments(search?: string): LoanRepayments<D>[];
  position(loanId: string, asOf?: DateInput): Position<D>;
  summary(asOf?: DateInput): PortfolioSummary;
  plan(request: PortfolioPlanInput): PlanResult<D>;
  takeNotifications(): Notification<D>[];
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

// TypeScript declarations of `loansyncro/books`, the package's optional second WebAssembly
// module: a lender's statement checked against the terms (the core's `reconcile`: per-line
// expected vs stated amounts, the lender's convention, the first unexplained line), the
// statement importers (CSV with a column mapping, OFX/QFX, Plaid), and a loan's repayments as
// double-entry postings (the core's `ledger::postings`: beancount, hledger/ledger, CSV). Field
// names are those of the Python binding and the HTTP API. Errors are the main entry's
// `LoanSyncroError` classes; `LoanTerms` objects are accepted wherever terms are.
//
// Kept by hand; tests/dts-drift.mjs checks it against the package both ways.

import type {
  Accrual,
  BalancePrecision,
  Compounding,
  DateInput,
  DateOf,
  DateOptions,
  DateOutput,
  DayCount,
  Decimal,
  DecimalInput,
  LoanTermsInput,
  LoanTermsWire,
  Position,
  RoundingMode,
  TermsLike,
} from './index';

/** One line of a lender's statement: the date and amount paid are required. */
export interface StatementLineInput {
  date: DateInput;
  /** The amount paid towards principal and interest (0 for a line without a payment). */
  amount: DecimalInput;
  /** The interest the lender charged. */
  interest?: DecimalInput | null;
  /** The part of the payment that went to principal. */
  principal?: DecimalInput | null;
  /** The principal balance after the line. */
  balance?: DecimalInput | null;
}
/** A statement line as the importers read it (null: the statement does not show that column). */
export interface StatementLine<D extends DateOutput = 'iso'> {
  date: DateOf<D>;
  amount: Decimal;
  interest: Decimal | null;
  principal: Decimal | null;
  balance: Decimal | null;
}
/** One column of a checked line: what the terms give, what the statement says, stated - expected. */
export interface StatementAmounts {
  expected: Decimal;
  stated: Decimal | null;
  difference: Decimal | null;
}
/** A statement line checked against the terms under the best convention. */
export interface LineCheck<D extends DateOutput = 'iso'> {
  /** The line's number in the statement, from 1. */
  line: number;
  date: DateOf<D>;
  amount: Decimal;
  interest: StatementAmounts;
  principal: StatementAmounts;
  balance: StatementAmounts;
  /** Every column the statement shows agrees to the cent. */
  matches: boolean;
}
/** How the lender computes interest: the options of the terms a statement can reveal. */
export interface Convention {
  day_count: DayCount;
  /** The day count of the level payment when it differs from `day_count` (else null). */
  payment_day_count: DayCount | null;
  accrual: Accrual;
  compounding: Compounding;
  rounding: RoundingMode;
  balance_precision: BalancePrecision;
}
/** What reconciling a statement found. */
export interface Reconciliation<D extends DateOutput = 'iso'> {
  /** The convention of the grid that reproduces the most lines. */
  convention: Convention;
  lines: LineCheck<D>[];
  lines_matched: number;
  lines_total: number;
  /** Whether the convention reproduces every line. */
  explained: boolean;
  /** The first line (from 1) not reproduced: the one to ask the lender about; null when explained. */
  first_unexplained_line: number | null;
  /** Other conventions that reproduce as many lines. */
  equally_good: number;
  conventions_tried: number;
  /** A sentence for the borrower. */
  summary: string;
}
/**
 * Checks a lender's statement against the terms: every convention of the grid (day count,
 * payment basis, accrual, compounding, rounding mode and place) replays the stated payments.
 * Throws `ValidationError` naming the line (`lines[2].amount`, `lines[0].date`).
 */
export declare function reconcile<D extends DateOutput = 'iso'>(terms: TermsLike<D>, lines: StatementLineInput[], options?: DateOptions<D>): Reconciliation<D>;
/** Which CSV column holds what (header names, matched ignoring case and surrounding spaces). */
export interface CsvMapping {
  /** The date column (required). */
  date: string;
  /** The amount paid (default: interest + principal). */
  amount?: string;
  interest?: string;
  principal?: string;
  balance?: string;
  /** The date format in chrono's syntax (`%m/%d/%Y`; default `%Y-%m-%d`). */
  date_format?: string;
  /** The field separator, one character (default `,`). */
  delimiter?: string;
}
/** Statement lines from CSV text; errors name the file line and column (`csv line 3: Interest`). */
export declare function statementFromCsv<D extends DateOutput = 'iso'>(text: string, mapping: CsvMapping, options?: DateOptions<D>): StatementLine<D>[];
/** Statement lines from an OFX/QFX loan statement (SGML or XML); errors name `ofx line N: ELEMENT`. */
export declare function statementFromOfx<D extends DateOutput = 'iso'>(text: string, options?: DateOptions<D>): StatementLine<D>[];
/**
 * Statement lines of a loan account from Plaid's `/transactions/get` response (text or parsed
 * object), with its `/liabilities/get` response to pick the account; `accountId` picks it
 * explicitly.
 */
export declare function statementFromPlaid<D extends DateOutput = 'iso'>(transactions: string | object, liabilities?: string | object | null, accountId?: string | null, options?: DateOptions<D>): StatementLine<D>[];

/** A repayment to post: the amount applied to the loan, and fees and escrow paid with it (own legs). */
export interface PostingsRepaymentInput {
  date: DateInput;
  amount: DecimalInput;
  fees?: DecimalInput;
  escrow?: DecimalInput;
  /** Appended to the transaction's narration (`notes` is read too, as stored repayments have it). */
  memo?: string;
  notes?: string;
}
export type PostingsFormat = 'beancount' | 'ledger' | 'hledger' | 'csv';
export type PostingsScope = 'actual' | 'planned' | 'projected';
/** The account of each leg; one not given defaults from `name` (`Liabilities:Loans:<name>`, ...). */
export interface PostingsAccounts {
  liability?: string;
  interest?: string;
  cash?: string;
  disbursement?: string;
  fees?: string;
  escrow?: string;
}
export interface PostingsOptions {
  /** `beancount` (default), `ledger` (alias `hledger`) or `csv`. */
  format?: PostingsFormat;
  /** `actual` (default), `planned` (the schedule, pending) or `projected`. */
  scope?: PostingsScope;
  /** The journal's date (default: the latest repayment's). */
  as_of?: DateInput;
  /** The last component of the default account names (default `Loan`). */
  name?: string;
  accounts?: PostingsAccounts;
  /** The payee of every transaction (default: `name`). */
  payee?: string;
}
/** One balanced transaction (its postings sum to zero). */
export interface JournalTransaction<D extends DateOutput = 'iso'> {
  date: DateOf<D>;
  kind: 'disbursement' | 'repayment' | 'capitalization' | 'planned';
  /** Planned, not yet happened (`!` in beancount and hledger). */
  pending: boolean;
  payee: string;
  narration: string;
  postings: { account: string; amount: Decimal }[];
}
/**
 * The loan's repayments as balanced double-entry transactions (text): every transaction
 * balances to the cent and the liability ends at minus the principal outstanding (asserted in
 * the file). Throws `ValidationError` naming `repayments[i].fees`, `accounts.cash`, `format`, ...
 */
export declare function postings(terms: TermsLike, repayments: PostingsRepaymentInput[], options?: PostingsOptions): string;
/** The same transactions as objects. */
export declare function postingsRecords<D extends DateOutput = 'iso'>(terms: TermsLike<D>, repayments: PostingsRepaymentInput[], options?: Omit<PostingsOptions, 'format'> & DateOptions<D>): JournalTransaction<D>[];

// ---------------------------------------------------------------- real-life events (issue 20 §3)

/** What the borrower knows today about a loan whose original terms are unknown. */
export interface CurrentStateInput {
  /** The balance now (after the last installment paid). */
  balance: DecimalInput;
  /** The annual nominal rate in percent. */
  annual_rate_percent: DecimalInput;
  /** The installment the borrower pays. */
  payment: DecimalInput;
  /** The next installment's due date. */
  next_due: DateInput;
  currency?: LoanTermsInput['currency'];
  frequency?: LoanTermsInput['frequency'];
  day_count?: DayCount;
}
/**
 * A loan entered from its current state: terms (wire form, with `opening`) that start one period
 * before `next_due` from `balance` and keep `payment` until repaid (the last one adjusted).
 * Throws `ValidationError` naming `balance`, `payment`, `next_due`, `annual_rate_percent`, ...
 */
export declare function enterFromCurrent(current: CurrentStateInput): LoanTermsWire;
/** The lender's balance on a date, for {@link enterMidTerm}. */
export interface MidTermEntryInput {
  date: DateInput;
  balance: DecimalInput;
}
/**
 * The original terms entered mid-term with the lender's balance on a date: the schedule
 * continues from there, the history before is summarized (see {@link timeline}). Errors name
 * `date`, `balance` or an original field.
 */
export declare function enterMidTerm(terms: TermsLike, entry: MidTermEntryInput): LoanTermsWire;
/** A renewal or refinance: a new rate, amortization and/or term from a date. */
export interface RenewalInput {
  /** The first installment whose period starts on or after it is the first of the new segment. */
  effective: DateInput;
  /** The new annual rate in percent (absent: unchanged). */
  annual_rate_percent?: DecimalInput | null;
  /** The new amortization in installments from the renewal on (a US refinance to 30 years: 360). */
  amortization_installments?: number | null;
  /** The new term in installments from the renewal on (a Canadian 5-year term: 60). */
  term_installments?: number | null;
}
/**
 * The terms renewed (or refinanced) in the same timeline (their `renewals` grow by one).
 * Errors name `effective`, `annual_rate_percent`, `amortization_installments`, `term_installments`.
 */
export declare function renew(terms: TermsLike, renewal: RenewalInput): LoanTermsWire;
/** The history of a loan entered mid-term, from its original schedule. */
export interface TimelineHistory<D extends DateOutput = 'iso'> {
  original_start: DateOf<D>;
  original_principal: Decimal;
  original_installments: number;
  /** Installments of the original schedule due on or before the entry date. */
  installments: number;
  interest_paid: Decimal;
  principal_paid: Decimal;
  /** The original schedule's balance on the entry date. */
  scheduled_balance: Decimal;
  /** The stated balance minus `scheduled_balance` (stated, never absorbed). */
  difference: Decimal;
  payment: Decimal;
}
export interface TimelineOpening<D extends DateOutput = 'iso'> {
  date: DateOf<D>;
  balance: Decimal;
  /** null: entered from its current state, the history is unknown. */
  history: TimelineHistory<D> | null;
}
/** One term of the timeline: the original one, then one per renewal. */
export interface TimelineSegment<D extends DateOutput = 'iso'> {
  index: number;
  first_installment: number;
  last_installment: number;
  first_due: DateOf<D>;
  last_due: DateOf<D>;
  annual_rate_percent: Decimal;
  payment: Decimal;
  balance_before: Decimal;
  interest: Decimal;
  principal: Decimal;
  balance_after: Decimal;
}
/** A recast of the level payment (at each renewal, ...). */
export interface TimelineRecast {
  payment_number: number;
  annual_rate_percent: Decimal;
  balance_before: Decimal;
  remaining_installments: number;
  payment: Decimal;
}
export interface Timeline<D extends DateOutput = 'iso'> {
  history: 'complete' | 'summarized' | 'unknown';
  opening: TimelineOpening<D> | null;
  installments: number;
  /** Empty until renewed. */
  segments: TimelineSegment<D>[];
  recasts: TimelineRecast[];
}
/** A loan's timeline: its history, opening, terms (segments) and recasts. */
export declare function timeline<D extends DateOutput = 'iso'>(terms: TermsLike<D>, options?: DateOptions<D>): Timeline<D>;

/** The lender's balance on a date. */
export interface StatedBalanceInput {
  date: DateInput;
  stated_balance: DecimalInput;
}
export interface BookedCorrection<D extends DateOutput = 'iso'> {
  date: DateOf<D>;
  stated_balance: Decimal;
  /** stated - the engine's balance on the date (the earlier corrections applied). */
  adjustment: Decimal;
}
export interface CorrectedPosition<D extends DateOutput = 'iso'> {
  /** Its paid totals are the repayments only. */
  position: Position<D>;
  adjustments: BookedCorrection<D>[];
  /** The net of the adjustments applied up to the date. */
  adjustments_total: Decimal;
}
/**
 * The position on `asOf` after the repayments and the lender's stated balances, each booked in
 * date order as an adjustment (never silently). Errors name `statements[0].stated_balance`,
 * `statements[1].date`, `repayments[0].amount`, `as_of`, ...
 */
export declare function correctedPosition<D extends DateOutput = 'iso'>(terms: TermsLike<D>, repayments: { date: DateInput; amount: DecimalInput }[], statements: StatedBalanceInput[], asOf: DateInput, options?: DateOptions<D>): CorrectedPosition<D>;
export interface PaymentPlan<D extends DateOutput = 'iso'> {
  /** `monthly` or `biweekly`. */
  frequency: string;
  payment: Decimal;
  installments: number;
  total_paid: Decimal;
  total_interest: Decimal;
  payoff_date: DateOf<D>;
}
export interface BiweeklyPlan<D extends DateOutput = 'iso'> {
  plan: PaymentPlan<D>;
  /** Against monthly. */
  interest_saved: Decimal;
  days_saved: number;
}
export interface BiweeklyComparison<D extends DateOutput = 'iso'> {
  day_count: DayCount;
  monthly: PaymentPlan<D>;
  /** monthly × 12 / 26 every 14 days. */
  biweekly: BiweeklyPlan<D>;
  /** monthly / 2 every 14 days (26 half-payments a year). */
  accelerated: BiweeklyPlan<D>;
}
/**
 * Monthly vs biweekly vs accelerated biweekly for monthly level-installment terms; biweekly
 * periods bear the annual rate × 14 / 365 by default (`day_count: 'actual/365F'`).
 */
export declare function compareBiweekly<D extends DateOutput = 'iso'>(terms: TermsLike<D>, options?: { day_count?: DayCount } & DateOptions<D>): BiweeklyComparison<D>;
export interface CorrectedPostingsOptions extends Omit<PostingsOptions, 'scope'> {
  /** The account of the adjustments (default `Equity:Adjustments:<name>`). */
  adjustments_account?: string;
}
/**
 * The loan's actual postings with the stated balances booked, each adjustment its own balanced
 * transaction between the liability and `adjustments_account` (text in `format`).
 */
export declare function correctedPostings(terms: TermsLike, repayments: PostingsRepaymentInput[], statements: StatedBalanceInput[], options?: CorrectedPostingsOptions): string;

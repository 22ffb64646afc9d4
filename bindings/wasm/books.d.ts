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

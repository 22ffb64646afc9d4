// The Add / edit loan form: its state, checks before sending, the API body, the WASM terms of
// the live preview, and errors (WASM's or the API's) mapped to the field they belong to, in words.
import type { LoanTermsInput } from 'loansyncro';
import type { LoanDto, LoanInput } from '../api/types';
import { fractionToPercent, normalizeDecimal, percentToFraction, compareDecimal } from './decimal';

export interface RateChangeRow {
  effective: string;
  rate: string;
}

export interface LoanForm {
  title: string;
  amount: string;
  interest_rate: string;
  term_months: string;
  start_date: string;
  description: string;
  currency: string;
  frequency: string;
  day_count: string;
  method: string;
  rate_changes: RateChangeRow[];
}

/** Field keys: the form's names; rate change rows are `rate_changes.<i>.effective|rate`. */
export type FieldErrors = Record<string, string>;

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'INR', 'BRL', 'MXN'];
export const FREQUENCIES: Record<string, string> = {
  monthly: 'Monthly',
  biweekly: 'Every two weeks',
  weekly: 'Weekly',
  quarterly: 'Quarterly',
  semi_annual: 'Twice a year',
  annual: 'Yearly',
};
export const DAY_COUNTS: Record<string, string> = {
  '30/360': '30/360',
  '30E/360': '30E/360',
  'actual/360': 'Actual/360',
  'actual/365F': 'Actual/365 fixed',
  'actual/actual': 'Actual/actual',
};
export const METHODS: Record<string, string> = {
  equal_installments: 'Equal installments (annuity)',
  equal_principal: 'Equal principal',
  interest_only: 'Interest only, principal at the end',
  flat_interest: 'Flat interest',
};

export function emptyForm(today: string): LoanForm {
  return {
    title: '',
    amount: '',
    interest_rate: '',
    term_months: '',
    start_date: today,
    description: '',
    currency: 'USD',
    frequency: 'monthly',
    day_count: '30/360',
    method: 'equal_installments',
    rate_changes: [],
  };
}

export function formFromLoan(loan: LoanDto): LoanForm {
  const t = loan.terms;
  return {
    title: loan.title,
    amount: loan.amount,
    interest_rate: loan.interest_rate,
    term_months: String(loan.term_months),
    start_date: loan.start_date,
    description: loan.description,
    currency: loan.currency,
    frequency: typeof t.frequency === 'string' ? t.frequency : 'monthly',
    day_count: t.day_count,
    method: typeof t.method === 'string' ? t.method : 'equal_installments',
    rate_changes: t.rate_changes.map((r) => ({ effective: r.effective, rate: fractionToPercent(r.annual_rate) })),
  };
}

/** Whether "more options" differ from the defaults (then the section opens on edit). */
export function hasMoreOptions(f: LoanForm): boolean {
  const d = emptyForm(f.start_date);
  return f.currency !== d.currency || f.frequency !== d.frequency || f.day_count !== d.day_count || f.method !== d.method || f.rate_changes.length > 0;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** Checks done before anything is computed or sent: presence and shape, in words. */
export function checkForm(f: LoanForm): FieldErrors {
  const e: FieldErrors = {};
  const title = f.title.trim();
  if (!title) e.title = 'Enter a title.';
  else if ([...title].length > 200) e.title = 'Use at most 200 characters.';
  const amount = normalizeDecimal(f.amount);
  if (!f.amount.trim()) e.amount = 'Enter the amount borrowed.';
  else if (amount === null) e.amount = 'Enter an amount such as 25000 or 25000.50.';
  else if (compareDecimal(amount, '0') <= 0) e.amount = 'The amount must be greater than zero.';
  const rate = normalizeDecimal(f.interest_rate);
  if (!f.interest_rate.trim()) e.interest_rate = 'Enter the annual interest rate.';
  else if (rate === null) e.interest_rate = 'Enter a rate in percent such as 6.5.';
  else if (compareDecimal(rate, '0') < 0) e.interest_rate = 'The rate cannot be negative.';
  else if (compareDecimal(rate, '100') > 0) e.interest_rate = 'Enter the rate in percent (at most 100).';
  if (!f.term_months.trim()) e.term_months = 'Enter the number of payments.';
  else if (!/^\d+$/.test(f.term_months.trim())) e.term_months = 'Enter a whole number of payments, such as 360.';
  else if (Number(f.term_months) < 1) e.term_months = 'There must be at least one payment.';
  else if (Number(f.term_months) > 1200) e.term_months = 'Use at most 1200 payments.';
  if (!f.start_date) e.start_date = 'Enter the start date.';
  else if (!validDate(f.start_date)) e.start_date = 'Enter a date as YYYY-MM-DD.';
  if (f.description.length > 2000) e.description = 'Use at most 2000 characters.';
  f.rate_changes.forEach((r, i) => {
    if (!validDate(r.effective)) e[`rate_changes.${i}.effective`] = 'Enter the date the new rate starts.';
    else if (validDate(f.start_date) && r.effective <= f.start_date) e[`rate_changes.${i}.effective`] = 'The change must start after the loan does.';
    const n = normalizeDecimal(r.rate);
    if (n === null) e[`rate_changes.${i}.rate`] = 'Enter the new rate in percent.';
    else if (compareDecimal(n, '0') < 0) e[`rate_changes.${i}.rate`] = 'The rate cannot be negative.';
  });
  return e;
}

function richTerms(f: LoanForm): NonNullable<LoanInput['terms']> {
  const terms: NonNullable<LoanInput['terms']> = {};
  if (f.currency !== 'USD') terms.currency = f.currency;
  if (f.frequency !== 'monthly') terms.frequency = f.frequency as LoanTermsInput['frequency'];
  if (f.day_count !== '30/360') terms.day_count = f.day_count as LoanTermsInput['day_count'];
  if (f.method !== 'equal_installments') terms.method = f.method as LoanTermsInput['method'];
  if (f.rate_changes.length) {
    terms.rate_changes = f.rate_changes.map((r) => ({ effective: r.effective, annual_rate: percentToFraction(r.rate) }));
  }
  return terms;
}

/** The body of POST/PUT /loans (call after checkForm found nothing). */
export function toLoanInput(f: LoanForm): LoanInput {
  const input: LoanInput = {
    title: f.title.trim(),
    amount: normalizeDecimal(f.amount) ?? f.amount,
    interest_rate: normalizeDecimal(f.interest_rate) ?? f.interest_rate,
    term_months: Number(f.term_months),
    start_date: f.start_date,
    description: f.description.trim(),
  };
  const terms = richTerms(f);
  if (Object.keys(terms).length) input.terms = terms;
  return input;
}

/** The terms the WASM package computes the preview from (call after checkForm found nothing). */
export function toTermsInput(f: LoanForm): LoanTermsInput {
  return {
    principal: normalizeDecimal(f.amount) ?? f.amount,
    annual_rate_percent: normalizeDecimal(f.interest_rate) ?? f.interest_rate,
    installments: Number(f.term_months),
    start: f.start_date,
    ...richTerms(f),
  } as LoanTermsInput;
}

/** A field named by the API (`amount`, `terms.rate_changes[0].effective`) or by the WASM core
 *  (`principal`, `installments`, ...) -> the form's field, or "form" when none fits. */
export function formField(wire: string | null | undefined): string {
  if (!wire) return 'form';
  const f = wire.replace(/^terms\./, '').replace(/\[(\d+)\]/g, '.$1');
  const direct: Record<string, string> = {
    title: 'title',
    description: 'description',
    amount: 'amount',
    principal: 'amount',
    interest_rate: 'interest_rate',
    annual_rate_percent: 'interest_rate',
    annual_rate: 'interest_rate',
    rate: 'interest_rate',
    term_months: 'term_months',
    installments: 'term_months',
    start_date: 'start_date',
    start: 'start_date',
    first_due: 'start_date',
    currency: 'currency',
    frequency: 'frequency',
    day_count: 'day_count',
    method: 'method',
  };
  if (direct[f]) return direct[f];
  const rc = /^rate_changes\.(\d+)(?:\.(effective|annual_rate))?/.exec(f);
  if (rc) return `rate_changes.${rc[1]}.${rc[2] === 'effective' ? 'effective' : 'rate'}`;
  if (f.startsWith('rate_changes')) return 'rate_changes.0.effective';
  return 'form';
}

/** Text that reads like a parser's (serde, JSON positions, Rust types): never shown as is. */
export function looksLikeParserText(s: string): boolean {
  return /invalid type|invalid value|expected |unknown (variant|field)|missing field|malformed|line \d+|column \d+|`|::|\bu32\b|\bi64\b|NaiveDate|Decimal\b/i.test(s);
}

const FIELD_WORDS: Record<string, string> = {
  title: 'Enter a title of at most 200 characters.',
  description: 'Check the description.',
  amount: 'Enter an amount such as 25000 or 25000.50.',
  interest_rate: 'Enter a rate in percent such as 6.5.',
  term_months: 'Enter a whole number of payments, such as 360.',
  start_date: 'Enter a valid start date.',
  currency: 'Choose a currency.',
  frequency: 'Choose a payment frequency.',
  day_count: 'Choose a day count.',
  method: 'Choose a method.',
};

/** The message shown next to `field` for a reason from the API or the core, in words. */
export function fieldMessage(field: string, reason: string): string {
  const text = reason.trim();
  if (!text || looksLikeParserText(text)) {
    if (FIELD_WORDS[field]) return FIELD_WORDS[field];
    if (field.endsWith('.effective')) return 'Enter the date the new rate starts.';
    if (field.endsWith('.rate')) return 'Enter the new rate in percent.';
    return 'Check this value.';
  }
  const plain = humanize(text);
  const s = plain.charAt(0).toUpperCase() + plain.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** Drops developer wording from a core reason: an "invalid <name>: " prefix and hints in
 *  parentheses that name functions ("(pass percent to from_percent, ...)"). */
export function humanize(reason: string): string {
  return reason
    .replace(/^invalid [a-z_.[\]0-9]+:\s*/i, '')
    .replace(/\s*\([^)]*\b[a-z]+_[a-z_]+\b[^)]*\)/g, '')
    .trim();
}

/** An error from the API or the WASM core -> {field: message} for the form. */
export function errorsFrom(field: string | null | undefined, reason: string): FieldErrors {
  const f = formField(field);
  return { [f]: fieldMessage(f, reason) };
}

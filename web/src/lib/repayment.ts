// The repayment form's checks and the API's errors on it, in words.
import { ApiError } from '../api/client';
import { compareDecimal, normalizeDecimal } from './decimal';
import { money } from './format';

export interface RepaymentFormState {
  amount: string;
  date: string;
  notes: string;
}

export type RepaymentErrors = Partial<Record<'amount' | 'date' | 'notes' | 'form', string>>;

/** Decimal places of a currency's amounts (USD 2, JPY 0), as Intl knows them. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export function checkRepayment(r: RepaymentFormState, loanStart?: string, currency = 'USD'): RepaymentErrors {
  const e: RepaymentErrors = {};
  const n = normalizeDecimal(r.amount);
  const digits = currencyDigits(currency);
  if (!r.amount.trim()) e.amount = 'Enter the amount paid.';
  else if (n === null) e.amount = 'Enter an amount such as 250 or 250.75.';
  else if (compareDecimal(n, '0') <= 0) e.amount = 'The amount must be greater than zero.';
  else if ((n.split('.')[1] ?? '').length > digits) e.amount = digits ? `Use at most ${digits} decimal places.` : 'Use a whole amount (no decimals).';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.date)) e.date = 'Enter the payment date.';
  else if (loanStart && r.date < loanStart) e.date = 'The payment cannot be before the loan starts.';
  if ([...r.notes].length > 1000) e.notes = 'Use at most 1000 characters.';
  return e;
}

/** An error of POST/PUT /repayments -> the field it belongs to, in words. */
export function repaymentErrors(err: unknown, currency: string): RepaymentErrors {
  if (err instanceof ApiError) {
    if (err.code === 'overpayment') {
      return { amount: err.payoff ? `This is more than the ${money(err.payoff, currency)} needed to pay the loan off on that date.` : 'This is more than what is left to pay.' };
    }
    const f = err.field === 'date' || err.field === 'payment_date' ? 'date' : err.field === 'amount' ? 'amount' : err.field === 'notes' ? 'notes' : 'form';
    if (err.status === 400 && f !== 'form') {
      const t = err.message.trim();
      const words = /invalid|expected|`|line \d+/.test(t) ? (f === 'amount' ? 'Enter an amount such as 250.75.' : f === 'date' ? 'Enter a valid date.' : 'Check this value.') : t.charAt(0).toUpperCase() + t.slice(1);
      return { [f]: /[.!?]$/.test(words) ? words : `${words}.` };
    }
    return { form: err.message };
  }
  return { form: 'The repayment could not be saved. Retry.' };
}

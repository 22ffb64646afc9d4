// The dashboard's what-if: an extra amount with every payment -> payments and interest saved (WASM).
import type { LoanDto } from '../api/types';
import type { Wasm } from '../wasm';
import { compareDecimal, normalizeDecimal } from './decimal';

export type WhatIfResult = { kind: 'none' } | { kind: 'error'; message: string } | { kind: 'ok'; months: number; interest: string; currency: string };

/** The what-if of an extra amount with every payment of `loan` (WASM), or why there is none. */
export function whatIfFor(wasm: Wasm, loan: LoanDto | undefined, extra: string): WhatIfResult {
  if (!loan || !extra.trim()) return { kind: 'none' };
  const n = normalizeDecimal(extra);
  if (n === null) return { kind: 'error', message: 'Enter an amount such as 100 or 150.50.' };
  if (compareDecimal(n, '0') <= 0) return { kind: 'error', message: 'The extra payment must be greater than zero.' };
  try {
    const w = new wasm.LoanTerms(loan.terms).whatIf({ recurring: n });
    return { kind: 'ok', months: w.installments_saved, interest: w.interest_saved, currency: loan.currency };
  } catch (e) {
    return { kind: 'error', message: e instanceof wasm.LoanSyncroError ? `${e.reason.charAt(0).toUpperCase()}${e.reason.slice(1)}.` : 'This cannot be computed.' };
  }
}


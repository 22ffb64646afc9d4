// The live preview of the loan form: the WASM core computes the schedule as the user types.
import type { Schedule } from 'loansyncro';
import type { Wasm } from '../wasm';
import { errorsFrom, toTermsInput, type FieldErrors, type LoanForm } from './loanForm';

const PREVIEW_FIELDS = ['amount', 'interest_rate', 'term_months', 'start_date'];

export type Preview = { kind: 'none' } | { kind: 'ok'; schedule: Schedule } | { kind: 'error'; errors: FieldErrors };

/** The live preview of the form's terms (WASM), or why there is none. */
export function computePreview(wasm: Wasm | null, form: LoanForm, checked: FieldErrors): Preview {
  if (!wasm) return { kind: 'none' };
  const blocking = Object.keys(checked).filter((k) => PREVIEW_FIELDS.includes(k) || k.startsWith('rate_changes'));
  if (blocking.length) return { kind: 'none' };
  try {
    return { kind: 'ok', schedule: new wasm.LoanTerms(toTermsInput(form)).schedule() };
  } catch (e) {
    if (e instanceof wasm.LoanSyncroError) return { kind: 'error', errors: errorsFrom(e.field, e.reason) };
    return { kind: 'error', errors: { form: 'These terms cannot be computed.' } };
  }
}


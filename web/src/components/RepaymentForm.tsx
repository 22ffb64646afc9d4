import { useState, type FormEvent } from 'react';
import type { RepaymentDto, RepaymentOutcome } from '../api/types';
import { useApp } from '../context';
import { normalizeDecimal } from '../lib/decimal';
import { todayIso } from '../lib/format';
import { checkRepayment, repaymentErrors, type RepaymentErrors, type RepaymentFormState } from '../lib/repayment';
import { TextField } from './Field';

/** Records a new repayment of `loanId`, or edits `editing`; `onSaved` gets the API's outcome. */
export function RepaymentForm({
  loanId,
  loanStart,
  currency,
  suggested,
  editing,
  onSaved,
  onCancel,
  idPrefix,
}: {
  loanId: string;
  loanStart?: string | undefined;
  currency: string;
  suggested?: string | undefined;
  editing?: RepaymentDto | undefined;
  /** The message, and the loan and position as the API answered them (shown at once). */
  onSaved: (message: string, outcome: RepaymentOutcome) => void;
  onCancel?: () => void;
  idPrefix: string;
}) {
  const { api } = useApp();
  const [state, setState] = useState<RepaymentFormState>(() =>
    editing ? { amount: editing.amount, date: editing.date, notes: editing.notes } : { amount: suggested ?? '', date: loanStart && todayIso() < loanStart ? loanStart : todayIso(), notes: '' },
  );
  const [errors, setErrors] = useState<RepaymentErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs = checkRepayment(state, loanStart, currency);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const body = { amount: normalizeDecimal(state.amount) ?? state.amount, date: state.date, notes: state.notes.trim() };
      const outcome = editing ? await api.updateRepayment(editing.id, body) : await api.addRepayment({ loan_id: loanId, ...body });
      const t = outcome.transition;
      onSaved(t ? (t.to === 'paid' ? 'Repayment saved. The loan is now paid off.' : `Repayment saved. The loan is now ${t.to}.`) : 'Repayment saved.', outcome);
      if (!editing) setState({ amount: '', date: state.date, notes: '' });
    } catch (err) {
      setErrors(repaymentErrors(err, currency));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="repayment-form" aria-label={editing ? 'Edit repayment' : 'Record a repayment'}>
      <div className="grid-3">
        <TextField id={`${idPrefix}-amount`} label={`Amount (${currency})`} name="amount" inputMode="decimal" value={state.amount} onChange={(e) => setState({ ...state, amount: e.target.value })} error={errors.amount} required />
        <TextField id={`${idPrefix}-date`} label="Date paid" name="date" type="date" value={state.date} onChange={(e) => setState({ ...state, date: e.target.value })} error={errors.date} required />
        <TextField id={`${idPrefix}-notes`} label="Notes (optional)" name="notes" value={state.notes} onChange={(e) => setState({ ...state, notes: e.target.value })} error={errors.notes} />
      </div>
      {errors.form ? (
        <p className="error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save repayment' : 'Record repayment'}
        </button>
        {onCancel ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

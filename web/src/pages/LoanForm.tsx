// Add / edit a loan: the original form plus "more options"; payment, totals and a mini schedule
// computed as the user types (WASM, no round trip); errors next to their field, in words.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { LoanDto } from '../api/types';
import { SelectField, TextAreaField, TextField } from '../components/Field';
import { useApp } from '../context';
import { date, money, termText, todayIso } from '../lib/format';
import {
  checkForm,
  CURRENCIES,
  DAY_COUNTS,
  emptyForm,
  errorsFrom,
  formFromLoan,
  FREQUENCIES,
  hasMoreOptions,
  METHODS,
  toLoanInput,
  toTermsInput,
  type FieldErrors,
  type LoanForm,
} from '../lib/loanForm';
import { errorText, useAsync } from '../lib/useAsync';
import { Link, useRouter } from '../router';
import { useWasm } from '../wasm';
import { computePreview, type Preview } from '../lib/preview';

export function LoanFormPage({ id }: { id?: string }) {
  const { api } = useApp();
  const existing = useAsync<LoanDto | null>(() => (id ? api.loan(id) : Promise.resolve(null)), [api, id]);
  if (id && existing.error) {
    return (
      <main id="main" className="page">
        <h1>Edit loan</h1>
        <p className="error" role="alert">{errorText(existing.error)}</p>
      </main>
    );
  }
  if (id && !existing.data) {
    return (
      <main id="main" className="page">
        <p role="status">Loading…</p>
      </main>
    );
  }
  return <LoanFormView key={id ?? 'new'} loan={existing.data} />;
}

function LoanFormView({ loan }: { loan: LoanDto | null }) {
  const { api } = useApp();
  const { navigate } = useRouter();
  const wasm = useWasm();
  const [form, setForm] = useState<LoanForm>(() => (loan ? formFromLoan(loan) : emptyForm(todayIso())));
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [more, setMore] = useState(() => (loan ? hasMoreOptions(formFromLoan(loan)) : false));
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const checked = useMemo(() => checkForm(form), [form]);
  const preview = useMemo(() => computePreview(wasm, form, checked), [wasm, form, checked]);
  const wasmErrors = preview.kind === 'error' ? preview.errors : {};

  const visible = (k: string) => submitted || touched[k];
  const errorOf = (k: string): string | undefined => serverErrors[k] ?? (visible(k) ? (checked[k] ?? wasmErrors[k]) : undefined);

  // Errors show as the user types a field (not on blur: a message appearing on blur moves the
  // button under the pointer), and for every field once the form is submitted.
  function set<K extends keyof LoanForm>(k: K, v: LoanForm[K]) {
    setForm((f) => ({ ...f, [k]: v }));
    if (k === 'rate_changes') {
      const rows = v as LoanForm['rate_changes'];
      const touchedRows: Record<string, boolean> = {};
      rows.forEach((r, i) => {
        if (r.effective) touchedRows[`rate_changes.${i}.effective`] = true;
        if (r.rate) touchedRows[`rate_changes.${i}.rate`] = true;
      });
      setTouched((t) => ({ ...t, ...touchedRows }));
    } else setTouched((t) => ({ ...t, [k]: true }));
    setServerErrors((e) => {
      const { [k as string]: _drop, form: _f, ...rest } = e;
      return rest;
    });
  }

  useEffect(() => {
    if (!submitted) return;
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    first?.focus();
  }, [submitted, serverErrors]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    const errs = { ...checked, ...wasmErrors };
    if (Object.keys(errs).length) {
      if (Object.keys(errs).some((k) => !['title', 'amount', 'interest_rate', 'term_months', 'start_date', 'description'].includes(k))) setMore(true);
      // Refocus even when the same errors stay.
      setServerErrors((s) => ({ ...s }));
      return;
    }
    setBusy(true);
    try {
      const saved = loan ? await api.updateLoan(loan.id, toLoanInput(form)) : await api.createLoan(toLoanInput(form));
      navigate(`/loans/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.field) {
        const mapped = errorsFrom(err.field, err.message);
        if (Object.keys(mapped).some((k) => k !== 'form' && !['title', 'amount', 'interest_rate', 'term_months', 'start_date', 'description'].includes(k))) setMore(true);
        setServerErrors(mapped);
      } else {
        setServerErrors({ form: err instanceof ApiError && err.status !== 400 ? errorText(err) : 'The loan could not be saved. Check the values and retry.' });
      }
    } finally {
      setBusy(false);
    }
  }

  const currency = form.currency;
  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>{loan ? `Edit “${loan.title}”` : 'Add a loan'}</h1>
      </div>
      <div className="form-layout">
        <form ref={formRef} onSubmit={submit} noValidate className="loan-form" aria-label={loan ? 'Edit loan' : 'New loan'}>
          <TextField label="Title" name="title" value={form.title} onChange={(e) => set('title', e.target.value)} error={errorOf('title')} required maxLength={400} />
          <div className="grid-2">
            <TextField
              label={`Amount borrowed (${currency})`}
              name="amount"
              inputMode="decimal"
              value={form.amount}
              onChange={(e) => set('amount', e.target.value)}
             
              error={errorOf('amount')}
              required
            />
            <TextField
              label="Annual interest rate (%)"
              name="interest_rate"
              inputMode="decimal"
              value={form.interest_rate}
              onChange={(e) => set('interest_rate', e.target.value)}
             
              error={errorOf('interest_rate')}
              required
            />
            <TextField
              label={form.frequency === 'monthly' ? 'Term (months)' : 'Number of payments'}
              name="term_months"
              inputMode="numeric"
              value={form.term_months}
              onChange={(e) => set('term_months', e.target.value)}
             
              error={errorOf('term_months')}
              hint={/^\d+$/.test(form.term_months) && form.frequency === 'monthly' && Number(form.term_months) > 0 ? termText(Number(form.term_months)) : undefined}
              required
            />
            <TextField label="Start date" name="start_date" type="date" value={form.start_date} onChange={(e) => set('start_date', e.target.value)} error={errorOf('start_date')} required />
          </div>
          <TextAreaField label="Description (optional)" name="description" rows={2} value={form.description} onChange={(e) => set('description', e.target.value)} error={errorOf('description')} />

          <details open={more} onToggle={(e) => setMore(e.currentTarget.open)} className="more">
            <summary>More options</summary>
            <div className="grid-2">
              <SelectField label="Currency" name="currency" options={CURRENCIES} value={form.currency} onChange={(e) => set('currency', e.target.value)} error={errorOf('currency')} />
              <SelectField label="Payment frequency" name="frequency" options={FREQUENCIES} value={form.frequency} onChange={(e) => set('frequency', e.target.value)} error={errorOf('frequency')} />
              <SelectField label="Day count" name="day_count" options={DAY_COUNTS} value={form.day_count} onChange={(e) => set('day_count', e.target.value)} error={errorOf('day_count')} />
              <SelectField label="Method" name="method" options={METHODS} value={form.method} onChange={(e) => set('method', e.target.value)} error={errorOf('method')} />
            </div>
            <fieldset className="rate-changes">
              <legend>Rate changes (variable rate)</legend>
              {form.rate_changes.length === 0 ? <p className="hint">None: the rate stays fixed.</p> : null}
              {form.rate_changes.map((r, i) => (
                <div className="grid-3" key={i}>
                  <TextField
                    label={`Change ${i + 1}: from`}
                    type="date"
                    value={r.effective}
                    onChange={(e) => set('rate_changes', form.rate_changes.map((x, j) => (j === i ? { ...x, effective: e.target.value } : x)))}
                   
                    error={errorOf(`rate_changes.${i}.effective`)}
                  />
                  <TextField
                    label={`Change ${i + 1}: new rate (%)`}
                    inputMode="decimal"
                    value={r.rate}
                    onChange={(e) => set('rate_changes', form.rate_changes.map((x, j) => (j === i ? { ...x, rate: e.target.value } : x)))}
                   
                    error={errorOf(`rate_changes.${i}.rate`)}
                  />
                  <button type="button" className="secondary small" onClick={() => set('rate_changes', form.rate_changes.filter((_, j) => j !== i))} aria-label={`Remove rate change ${i + 1}`}>
                    Remove
                  </button>
                </div>
              ))}
              <button type="button" className="secondary small" onClick={() => set('rate_changes', [...form.rate_changes, { effective: '', rate: '' }])}>
                Add a rate change
              </button>
            </fieldset>
          </details>

          {serverErrors.form || wasmErrors.form ? (
            <p className="error form-error" role="alert">
              {serverErrors.form ?? wasmErrors.form}
            </p>
          ) : null}
          {preview.kind === 'ok' ? (
            // On a phone the preview panel is below the form: repeat the payment by the button.
            <p className="inline-preview" aria-hidden="true">
              Payment {money(preview.schedule.regular_payment, currency)}, total {money(preview.schedule.totals.paid, currency)}
            </p>
          ) : null}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : loan ? 'Save changes' : 'Add loan'}
            </button>
            <Link to={loan ? `/loans/${loan.id}` : '/loans'} className="button secondary">
              Cancel
            </Link>
          </div>
        </form>
        <PreviewPanel preview={preview} currency={currency} wasmReady={wasm !== null} />
      </div>
    </main>
  );
}

function PreviewPanel({ preview, currency, wasmReady }: { preview: Preview; currency: string; wasmReady: boolean }) {
  const s = preview.kind === 'ok' ? preview.schedule : null;
  const rows = s ? (s.installments.length > 4 ? [...s.installments.slice(0, 3), null, s.installments[s.installments.length - 1]!] : s.installments) : [];
  return (
    <aside className="preview" aria-label="Payment preview" aria-live="polite" data-testid="preview">
      <h2>Preview</h2>
      {!wasmReady ? <p className="hint">Loading the calculator…</p> : null}
      {wasmReady && !s ? (
        <p className="hint" data-testid="preview-empty">
          {preview.kind === 'error' ? 'Fix the highlighted values to see the payment.' : 'Enter the amount, rate, term and start date to see the payment.'}
        </p>
      ) : null}
      {s ? (
        <>
          <dl className="facts big">
            <div>
              <dt>Payment</dt>
              <dd data-testid="preview-payment">{money(s.regular_payment, currency)}</dd>
            </div>
            <div>
              <dt>Total paid</dt>
              <dd data-testid="preview-total">{money(s.totals.paid, currency)}</dd>
            </div>
            <div>
              <dt>Total interest</dt>
              <dd>{money(s.totals.interest, currency)}</dd>
            </div>
          </dl>
          <table className="mini">
            <caption className="sr-only">First and last payments</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Due</th>
                <th scope="col" className="num">Payment</th>
                <th scope="col" className="num">Balance</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) =>
                r ? (
                  <tr key={r.number}>
                    <td>{r.number}</td>
                    <td>{date(r.due_date)}</td>
                    <td className="num">{money(r.payment, currency)}</td>
                    <td className="num">{money(r.balance, currency)}</td>
                  </tr>
                ) : (
                  <tr key={`gap-${i}`} aria-hidden="true">
                    <td colSpan={4} className="gap">
                      ⋮
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </>
      ) : null}
    </aside>
  );
}

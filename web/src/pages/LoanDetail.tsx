// Loan detail: terms, position as of today, schedule (virtualized), charts, repayments, CSV
// download (computed client-side by the WASM package), delete with confirmation.
import { useMemo, useState } from 'react';
import type { LoanTerms as WasmTerms, Position } from 'loansyncro';
import type { LoanDto, RepaymentDto } from '../api/types';
import { Chart, type ChartSeries } from '../components/Chart';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProgressBar, StatusBadge } from '../components/Progress';
import { RepaymentForm } from '../components/RepaymentForm';
import { ScheduleTable } from '../components/ScheduleTable';
import { useApp } from '../context';
import { align, cumulative, fillForward, isoToSeconds, type Point } from '../lib/charts';
import { compareDecimal } from '../lib/decimal';
import { csvFileName } from '../lib/csv';
import { date, integer, money, percent, ratio, termText, todayIso } from '../lib/format';
import { DAY_COUNTS, FREQUENCIES, METHODS } from '../lib/loanForm';
import { errorText, useAsync } from '../lib/useAsync';
import { Link, useRouter } from '../router';
import { useWasm, type Wasm } from '../wasm';

interface Detail {
  loan: LoanDto;
  repayments: RepaymentDto[];
  position: Position;
}

export function LoanDetailPage({ id }: { id: string }) {
  const { api } = useApp();
  const { navigate } = useRouter();
  const wasm = useWasm();
  const detail = useAsync<Detail>(async () => {
    const [loan, repayments, position] = await Promise.all([api.loan(id), api.loanRepayments(id), api.position(id)]);
    return { loan, repayments, position };
  }, [api, id]);
  const [message, setMessage] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<RepaymentDto | null>(null);
  const [actionError, setActionError] = useState('');

  if (detail.error && !detail.data) {
    return (
      <main id="main" className="page">
        <h1>Loan</h1>
        <p className="error" role="alert">
          {errorText(detail.error)}
        </p>
        <Link to="/loans">Back to my loans</Link>
      </main>
    );
  }
  if (!detail.data) {
    return (
      <main id="main" className="page">
        <p role="status">Loading…</p>
      </main>
    );
  }
  const { loan, repayments, position } = detail.data;
  const c = loan.currency;

  async function doDelete() {
    setDeleting(true);
    try {
      await api.deleteLoan(loan.id);
      navigate('/loans');
    } catch (e) {
      setActionError(errorText(e));
      setConfirmDelete(false);
    } finally {
      setDeleting(false);
    }
  }

  async function doRemoveRepayment(r: RepaymentDto) {
    try {
      const out = await api.deleteRepayment(r.id);
      setMessage(out.transition ? `Repayment deleted. The loan is ${out.transition.to} again.` : 'Repayment deleted.');
      setRemoving(null);
      detail.set({ loan: out.loan, position: out.position, repayments: repayments.filter((x) => x.id !== r.id) });
      detail.reload();
    } catch (e) {
      setActionError(errorText(e));
      setRemoving(null);
    }
  }

  async function changeStatus(status: 'active' | 'defaulted') {
    try {
      const out = await api.setStatus(loan.id, status);
      setActionError('');
      setMessage(status === 'active' ? 'The loan is active again.' : 'The loan is marked defaulted.');
      detail.set({ loan: out.loan, position, repayments });
    } catch (e) {
      setActionError(errorText(e));
    }
  }

  function download() {
    if (!wasm) return;
    const csv = new wasm.LoanTerms(loan.terms).toCsv();
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = csvFileName(loan.title);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // Suggested repayment: what is due now, else the next installment, never more than the payoff.
  const due = compareDecimal(position.amount_due, '0') > 0 ? position.amount_due : position.next_due_amount;
  const suggested = position.closed ? undefined : compareDecimal(due, '0') > 0 && compareDecimal(due, position.payoff_amount) <= 0 ? due : position.payoff_amount;

  return (
    <main id="main" className="page">
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/loans">My loans</Link> /
          </p>
          <h1>
            {loan.title} <StatusBadge status={loan.status} />
          </h1>
          {loan.description ? <p className="muted">{loan.description}</p> : null}
        </div>
        <div className="actions">
          <Link to={`/loans/${loan.id}/edit`} className="button secondary">
            Edit
          </Link>
          <button type="button" className="secondary" onClick={download} disabled={!wasm}>
            Download CSV
          </button>
          {loan.status !== 'paid' ? (
            <button type="button" className="secondary" onClick={() => void changeStatus(loan.status === 'defaulted' ? 'active' : 'defaulted')}>
              {loan.status === 'defaulted' ? 'Mark as active' : 'Mark as defaulted'}
            </button>
          ) : null}
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        </div>
      </div>
      {message ? (
        <p className="notice" role="status" data-testid="loan-message">
          {message}
        </p>
      ) : null}
      {actionError ? (
        <p className="error" role="alert">
          {actionError}
        </p>
      ) : null}

      <div className="cards">
        <section className="card" aria-labelledby="terms-h">
          <h2 id="terms-h">Terms</h2>
          <dl className="facts">
            <div>
              <dt>Principal</dt>
              <dd>{money(loan.amount, c)}</dd>
            </div>
            <div>
              <dt>Rate</dt>
              <dd>{percent(loan.interest_rate)}</dd>
            </div>
            <div>
              <dt>Term</dt>
              <dd>{typeof loan.terms.frequency === 'string' && loan.terms.frequency === 'monthly' ? termText(loan.term_months) : `${loan.term_months} payments`}</dd>
            </div>
            <div>
              <dt>Payment</dt>
              <dd data-testid="payment">{money(loan.monthly_payment, c)}</dd>
            </div>
            <div>
              <dt>Total to repay</dt>
              <dd>{money(loan.total_amount, c)}</dd>
            </div>
            <div>
              <dt>Total interest</dt>
              <dd>{money(loan.total_interest, c)}</dd>
            </div>
            <div>
              <dt>Start</dt>
              <dd>{date(loan.start_date)}</dd>
            </div>
            <div>
              <dt>Frequency</dt>
              <dd>{typeof loan.terms.frequency === 'string' ? (FREQUENCIES[loan.terms.frequency] ?? loan.terms.frequency) : 'Custom'}</dd>
            </div>
            <div>
              <dt>Method</dt>
              <dd>{typeof loan.terms.method === 'string' ? (METHODS[loan.terms.method] ?? loan.terms.method) : 'Fixed installment'}</dd>
            </div>
            <div>
              <dt>Day count</dt>
              <dd>{DAY_COUNTS[loan.terms.day_count] ?? loan.terms.day_count}</dd>
            </div>
          </dl>
        </section>
        <section className="card" aria-labelledby="pos-h" data-testid="position">
          <h2 id="pos-h">Position today</h2>
          <ProgressBar value={Number(position.progress)} label="Share of the schedule repaid" />
          <p className="muted">{ratio(Number(position.progress))} of the schedule repaid</p>
          <dl className="facts">
            <div>
              <dt>Paid</dt>
              <dd data-testid="paid">{money(position.paid_total, c)}</dd>
            </div>
            <div>
              <dt>Principal outstanding</dt>
              <dd>{money(position.principal_outstanding, c)}</dd>
            </div>
            <div>
              <dt>Days past due</dt>
              <dd>{integer(position.days_past_due)}</dd>
            </div>
            <div>
              <dt>Next due</dt>
              <dd>{position.next_due_date ? `${date(position.next_due_date)}: ${money(position.next_due_amount, c)}` : '—'}</dd>
            </div>
            <div>
              <dt>Payoff today</dt>
              <dd>{money(position.payoff_amount, c)}</dd>
            </div>
            <div>
              <dt>Installments paid</dt>
              <dd>
                {integer(position.installments_paid)} of {integer(loan.term_months)}
              </dd>
            </div>
          </dl>
        </section>
      </div>

      <section aria-labelledby="rep-h" className="card">
        <h2 id="rep-h">Repayments</h2>
        {repayments.length === 0 ? <p className="muted">No repayment recorded yet.</p> : null}
        {repayments.length > 0 ? (
          <table className="list">
            <caption className="sr-only">Repayments of {loan.title}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col" className="num">Amount</th>
                <th scope="col">Notes</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {repayments.map((r) =>
                editing === r.id ? (
                  <tr key={r.id}>
                    <td colSpan={4}>
                      <RepaymentForm
                        idPrefix={`edit-${r.id}`}
                        loanId={loan.id}
                        loanStart={loan.start_date}
                        currency={c}
                        editing={r}
                        onSaved={(m, out) => {
                          setMessage(m);
                          setEditing(null);
                          detail.set({ loan: out.loan, position: out.position, repayments: repayments.map((x) => (x.id === out.repayment.id ? out.repayment : x)) });
                          detail.reload();
                        }}
                        onCancel={() => setEditing(null)}
                      />
                    </td>
                  </tr>
                ) : (
                  <tr key={r.id} data-testid="repayment-row">
                    <td>{date(r.date)}</td>
                    <td className="num">{money(r.amount, c)}</td>
                    <td>{r.notes}</td>
                    <td className="row-actions">
                      <button type="button" className="link" onClick={() => setEditing(r.id)} aria-label={`Edit the repayment of ${date(r.date)}`}>
                        Edit
                      </button>
                      <button type="button" className="link danger-text" onClick={() => setRemoving(r)} aria-label={`Delete the repayment of ${date(r.date)}`}>
                        Delete
                      </button>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        ) : null}
        {loan.status !== 'paid' ? (
          <>
            <h3>Record a repayment</h3>
            <RepaymentForm
              key={`${repayments.length}-${suggested}`}
              idPrefix="new-repayment"
              loanId={loan.id}
              loanStart={loan.start_date}
              currency={c}
              suggested={suggested}
              onSaved={(m, out) => {
                setMessage(m);
                detail.set({ loan: out.loan, position: out.position, repayments: [...repayments, out.repayment] });
                detail.reload();
              }}
            />
          </>
        ) : (
          <p className="notice">This loan is paid off.</p>
        )}
      </section>

      {wasm ? <ScheduleAndCharts wasm={wasm} loan={loan} repayments={repayments} /> : <p role="status">Loading the schedule…</p>}

      <ConfirmDialog
        open={confirmDelete}
        title={`Delete “${loan.title}”?`}
        confirmLabel="Delete the loan"
        onConfirm={doDelete}
        onCancel={() => setConfirmDelete(false)}
        busy={deleting}
      >
        <p>The loan and its {repayments.length} repayment(s) are deleted for good.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={removing !== null}
        title="Delete this repayment?"
        confirmLabel="Delete the repayment"
        onConfirm={() => removing && void doRemoveRepayment(removing)}
        onCancel={() => setRemoving(null)}
      >
        <p>{removing ? `${money(removing.amount, c)} paid on ${date(removing.date)}.` : ''}</p>
      </ConfirmDialog>
    </main>
  );
}

function ScheduleAndCharts({ wasm, loan, repayments }: { wasm: Wasm; loan: LoanDto; repayments: RepaymentDto[] }) {
  const c = loan.currency;
  const computed = useMemo(() => {
    const terms: WasmTerms = new wasm.LoanTerms(loan.terms);
    const cols = terms.scheduleColumns();
    const unit = 10 ** cols.scale;
    const start = isoToSeconds(loan.start_date);
    const scheduledBalance: Point[] = [[start, Number(loan.amount)]];
    const principal: Point[] = [];
    const interest: Point[] = [];
    const scheduledPaid: Point[] = [[start, 0]];
    let paid = 0;
    for (let i = 0; i < cols.length; i++) {
      const x = (cols.dueDate[i] ?? 0) * 86400;
      scheduledBalance.push([x, (cols.balance[i] ?? 0) / unit]);
      principal.push([x, (cols.principal[i] ?? 0) / unit]);
      interest.push([x, (cols.interest[i] ?? 0) / unit]);
      paid += cols.payment[i] ?? 0;
      scheduledPaid.push([x, paid / unit]);
    }
    // Actual balance after each repayment date (the core replays the repayments).
    const sorted = [...repayments].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const actualBalance: Point[] = [[start, Number(loan.amount)]];
    const dates = [...new Set(sorted.map((r) => r.date))];
    for (const d of dates) {
      const upTo = sorted.filter((r) => r.date <= d).map((r) => ({ date: r.date, amount: r.amount }));
      try {
        actualBalance.push([isoToSeconds(d), Number(terms.position(upTo, d).principal_outstanding)]);
      } catch {
        // A position the core refuses (e.g. a date before the start) is left out of the chart.
      }
    }
    const actualPaid = cumulative([[start, 0], ...sorted.map((r) => [isoToSeconds(r.date), Number(r.amount)] as Point)]);
    // Actual against scheduled up to a year past today (or the last repayment): readable on long loans.
    const lastPaid = actualPaid[actualPaid.length - 1]?.[0] ?? start;
    const horizon = Math.max(isoToSeconds(todayIso()), lastPaid) + 366 * 86400;
    const scheduledSoFar = scheduledPaid.filter((p) => p[0] <= horizon);
    const balance = align([scheduledBalance, actualBalance]);
    const split = align([principal, interest]);
    const paidA = align([scheduledSoFar, actualPaid]);
    return { cols, balance, split, paid: paidA };
  }, [wasm, loan, repayments]);

  const balanceSeries: ChartSeries[] = useMemo(
    () => [
      { label: 'Scheduled balance', values: fillForward(computed.balance.values[0] ?? []), color: '#1d4ed8', fill: 'rgba(29,78,216,0.08)' },
      { label: 'Actual balance', values: computed.balance.values[1] ?? [], color: '#b45309', stepped: true },
    ],
    [computed],
  );
  const splitSeries: ChartSeries[] = useMemo(
    () => [
      { label: 'Principal', values: computed.split.values[0] ?? [], color: '#047857' },
      { label: 'Interest', values: computed.split.values[1] ?? [], color: '#b91c1c' },
    ],
    [computed],
  );
  const paidSeries: ChartSeries[] = useMemo(
    () => [
      { label: 'Scheduled', values: fillForward(computed.paid.values[0] ?? []), color: '#1d4ed8', dash: [6, 4] },
      { label: 'Actual', values: computed.paid.values[1] ?? [], color: '#b45309', stepped: true },
    ],
    [computed],
  );

  return (
    <>
      <section className="card" aria-labelledby="charts-h">
        <h2 id="charts-h">Charts</h2>
        <div className="charts" data-testid="charts">
          <Chart title="Balance over time" description={`The scheduled balance falls from ${money(loan.amount, c)} to zero over ${loan.term_months} payments; the actual balance follows the repayments.`} x={computed.balance.x} series={balanceSeries} currency={c} />
          <Chart title="Principal and interest per payment" description="How each scheduled payment splits between principal and interest." x={computed.split.x} series={splitSeries} currency={c} />
          <Chart title="Paid: actual and scheduled, to next year" description={`Scheduled payments add up to ${money(loan.total_amount, c)}; repayments so far add up to ${money(loan.total_repaid, c)}.`} x={computed.paid.x} series={paidSeries} currency={c} />
        </div>
      </section>
      <section className="card" aria-labelledby="sched-h">
        <h2 id="sched-h">Schedule ({computed.cols.length} payments)</h2>
        <ScheduleTable rows={computed.cols} currency={c} caption={`Payment schedule of ${loan.title}`} />
      </section>
    </>
  );
}

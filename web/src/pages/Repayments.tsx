// Repayments grouped by loan: total repaid, remaining, progress; search by loan title;
// add / edit / delete; a status change (paid, back to active) shows at once.
import { useEffect, useState } from 'react';
import type { RepaymentDto, RepaymentGroup } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProgressBar, StatusBadge } from '../components/Progress';
import { RepaymentForm } from '../components/RepaymentForm';
import { useApp } from '../context';
import { date, money, ratio } from '../lib/format';
import { errorText, useAsync } from '../lib/useAsync';
import { Link } from '../router';

export function RepaymentsPage() {
  const { api } = useApp();
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [message, setMessage] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(t);
  }, [search]);
  const groups = useAsync(() => api.groups(debounced), [api, debounced]);

  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>Repayments</h1>
      </div>
      <div className="toolbar" role="search">
        <div className="field">
          <label htmlFor="rep-search">Search by loan title</label>
          <input id="rep-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
      </div>
      {message ? (
        <p className="notice" role="status" data-testid="repayments-message">
          {message}
        </p>
      ) : null}
      {groups.error ? (
        <p className="error" role="alert">
          {errorText(groups.error)}
        </p>
      ) : null}
      {groups.loading && !groups.data ? <p role="status">Loading…</p> : null}
      {groups.data && !groups.error && groups.data.length === 0 ? (
        <div className="empty">
          {debounced.trim() ? <p>No loan has “{debounced.trim()}” in its title.</p> : <p>No loans yet. <Link to="/loans/new">Add a loan</Link> to record its repayments.</p>}
        </div>
      ) : null}
      {(groups.error ? [] : (groups.data ?? [])).map((g) => (
        <Group
          key={g.loan_id}
          group={g}
          onChange={(m) => {
            setMessage(m);
            groups.reload();
          }}
        />
      ))}
    </main>
  );
}

function Group({ group: g, onChange }: { group: RepaymentGroup; onChange: (message: string) => void }) {
  const { api } = useApp();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<RepaymentDto | null>(null);
  const [error, setError] = useState('');
  const c = g.currency;
  const headingId = `group-${g.loan_id}`;

  async function remove(r: RepaymentDto) {
    try {
      const out = await api.deleteRepayment(r.id);
      setRemoving(null);
      onChange(out.transition ? `Repayment deleted: “${g.title}” is ${out.transition.to} again.` : 'Repayment deleted.');
    } catch (e) {
      setRemoving(null);
      setError(errorText(e));
    }
  }

  return (
    <section className="card group" aria-labelledby={headingId} data-testid="group">
      <div className="loan-card-head">
        <h2 id={headingId}>
          <Link to={`/loans/${g.loan_id}`}>{g.title}</Link>
        </h2>
        <StatusBadge status={g.status} />
      </div>
      <dl className="facts">
        <div>
          <dt>Repaid</dt>
          <dd>{money(g.total_repaid, c)}</dd>
        </div>
        <div>
          <dt>Remaining</dt>
          <dd>{money(g.remaining_balance, c)}</dd>
        </div>
        <div>
          <dt>Repayments</dt>
          <dd>{g.repayment_count}</dd>
        </div>
        <div>
          <dt>Last paid</dt>
          <dd>{date(g.last_payment_date)}</dd>
        </div>
      </dl>
      <div className="progress-row">
        <ProgressBar value={Number(g.progress)} label={`${g.title}: repaid`} />
        <span>{ratio(Number(g.progress))}</span>
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {g.repayments.length ? (
        <table className="list">
          <caption className="sr-only">Repayments of {g.title}</caption>
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
            {g.repayments.map((r) =>
              editing === r.id ? (
                <tr key={r.id}>
                  <td colSpan={4}>
                    <RepaymentForm
                      idPrefix={`edit-${r.id}`}
                      loanId={g.loan_id}
                      currency={c}
                      editing={r}
                      onSaved={(m) => {
                        setEditing(null);
                        onChange(m);
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={r.id}>
                  <td>{date(r.date)}</td>
                  <td className="num">{money(r.amount, c)}</td>
                  <td>{r.notes}</td>
                  <td className="row-actions">
                    <button type="button" className="link" onClick={() => setEditing(r.id)} aria-label={`Edit the repayment of ${date(r.date)} on ${g.title}`}>
                      Edit
                    </button>
                    <button type="button" className="link danger-text" onClick={() => setRemoving(r)} aria-label={`Delete the repayment of ${date(r.date)} on ${g.title}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : (
        <p className="muted">No repayment yet.</p>
      )}
      {g.status !== 'paid' ? (
        adding ? (
          <RepaymentForm
            idPrefix={`add-${g.loan_id}`}
            loanId={g.loan_id}
            currency={c}
            onSaved={(m) => {
              setAdding(false);
              onChange(m);
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <button type="button" className="secondary small" onClick={() => setAdding(true)} aria-label={`Add a repayment to ${g.title}`}>
            Add a repayment
          </button>
        )
      ) : null}
      <ConfirmDialog open={removing !== null} title="Delete this repayment?" confirmLabel="Delete the repayment" onConfirm={() => removing && void remove(removing)} onCancel={() => setRemoving(null)}>
        <p>{removing ? `${money(removing.amount, c)} paid on ${date(removing.date)} for ${g.title}.` : ''}</p>
      </ConfirmDialog>
    </section>
  );
}

// My Loans: title, principal, rate, payment, status, progress; search by title; sort; empty state.
import { useEffect, useMemo, useState } from 'react';
import { ProgressBar, StatusBadge } from '../components/Progress';
import { useApp } from '../context';
import { date, money, percent, ratio } from '../lib/format';
import { filterLoans, progress, SORT_LABELS, sortLoans, type SortDir, type SortKey } from '../lib/loans';
import { errorText, useAsync } from '../lib/useAsync';
import { Link, useRouter } from '../router';

export function LoansPage() {
  const { api } = useApp();
  const { query, navigate } = useRouter();
  const [search, setSearch] = useState(query.get('q') ?? '');
  const [debounced, setDebounced] = useState(search);
  const [sortKey, setSortKey] = useState<SortKey>('created');
  const [dir, setDir] = useState<SortDir>('desc');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(t);
  }, [search]);
  useEffect(() => {
    const q = debounced.trim();
    const url = q ? `/loans?q=${encodeURIComponent(q)}` : '/loans';
    if (`${window.location.pathname}${window.location.search}` !== url) navigate(url, { replace: true });
  }, [debounced, navigate]);
  const loans = useAsync(() => api.loans(debounced), [api, debounced]);
  const shown = useMemo(() => sortLoans(filterLoans(loans.data ?? [], search), sortKey, dir), [loans.data, search, sortKey, dir]);

  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>My loans</h1>
        <Link to="/loans/new" className="button">
          Add a loan
        </Link>
      </div>
      <div className="toolbar" role="search">
        <div className="field">
          <label htmlFor="loan-search">Search by title</label>
          <input id="loan-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. Car" />
        </div>
        <div className="field">
          <label htmlFor="loan-sort">Sort by</label>
          <select id="loan-sort" value={sortKey} onChange={(e) => setSortKey(e.target.value as SortKey)}>
            {Object.entries(SORT_LABELS).map(([k, l]) => (
              <option key={k} value={k}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="loan-dir">Order</label>
          <select id="loan-dir" value={dir} onChange={(e) => setDir(e.target.value as SortDir)}>
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        </div>
      </div>
      {loans.error ? (
        <p className="error" role="alert">
          {errorText(loans.error)} <button className="link" onClick={loans.reload}>Retry</button>
        </p>
      ) : null}
      {loans.loading && !loans.data ? <p role="status">Loading your loans…</p> : null}
      {loans.data && !loans.error && shown.length === 0 ? (
        <div className="empty" data-testid="empty">
          {search.trim() ? (
            <p>No loan has “{search.trim()}” in its title.</p>
          ) : (
            <>
              <h2>No loans yet</h2>
              <p>Add your first loan to see its schedule, track repayments and know what is left to pay.</p>
              <Link to="/loans/new" className="button">
                Add a loan
              </Link>
            </>
          )}
        </div>
      ) : null}
      {shown.length > 0 && !loans.error ? (
        <ul className="loan-list" aria-label="Loans" aria-busy={loans.loading}>
          {shown.map((l) => (
            <li key={l.id} className="loan-card" data-testid="loan-row">
              <div className="loan-card-head">
                <h2>
                  <Link to={`/loans/${l.id}`}>{l.title}</Link>
                </h2>
                <StatusBadge status={l.status} />
              </div>
              <dl className="facts">
                <div>
                  <dt>Principal</dt>
                  <dd>{money(l.amount, l.currency)}</dd>
                </div>
                <div>
                  <dt>Rate</dt>
                  <dd>{percent(l.interest_rate)}</dd>
                </div>
                <div>
                  <dt>Payment</dt>
                  <dd>{money(l.monthly_payment, l.currency)}</dd>
                </div>
                <div>
                  <dt>Started</dt>
                  <dd>{date(l.start_date)}</dd>
                </div>
              </dl>
              <div className="progress-row">
                <ProgressBar value={progress(l)} label={`${l.title}: repaid`} />
                <span>
                  {ratio(progress(l))} repaid ({money(l.total_repaid, l.currency)})
                </span>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </main>
  );
}

// Dashboard: per currency loans, borrowed, repaid, outstanding; payoff timeline; next payments;
// a what-if panel (extra monthly payment -> payments and interest saved), computed with WASM.
import { useMemo, useState } from 'react';
import type { LoanDto, RepaymentGroup, Summary } from '../api/types';
import { Chart, type ChartSeries } from '../components/Chart';
import { TextField, SelectField } from '../components/Field';
import { useApp } from '../context';
import { isoToSeconds, type Point } from '../lib/charts';
import { whatIfFor } from '../lib/whatif';
import { nextPayments, totalTimeline, type LoanTimeline, type NextPayment } from '../lib/dashboard';
import { date, integer, money, todayIso } from '../lib/format';
import { errorText, useAsync } from '../lib/useAsync';
import { Link } from '../router';
import { useWasm, type Wasm } from '../wasm';

interface Data {
  summary: Summary;
  loans: LoanDto[];
  groups: RepaymentGroup[];
}

export function DashboardPage() {
  const { api, session } = useApp();
  const wasm = useWasm();
  const data = useAsync<Data>(async () => {
    const [summary, loans, groups] = await Promise.all([api.summary(), api.loans(), api.groups()]);
    return { summary, loans, groups };
  }, [api]);

  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>{session?.name ? `Hello, ${session.name.split(' ')[0]}` : 'Dashboard'}</h1>
        <Link to="/loans/new" className="button">
          Add a loan
        </Link>
      </div>
      {data.error ? (
        <p className="error" role="alert">
          {errorText(data.error)}
        </p>
      ) : null}
      {!data.data ? <p role="status">Loading…</p> : <DashboardBody data={data.data} wasm={wasm} />}
    </main>
  );
}

function DashboardBody({ data, wasm }: { data: Data; wasm: Wasm | null }) {
  const { summary, loans } = data;
  if (loans.length === 0) {
    return (
      <div className="empty" data-testid="empty">
        <h2>Welcome to LoanSyncro</h2>
        <p>Add a loan to see what you owe, the next payments and how fast extra payments pay it off.</p>
        <Link to="/loans/new" className="button">
          Add your first loan
        </Link>
      </div>
    );
  }
  return (
    <>
      <section aria-labelledby="totals-h">
        <h2 id="totals-h">Totals</h2>
        <div className="cards">
          {summary.currencies.map((s) => (
            <div className="card stat" key={s.currency} data-testid={`totals-${s.currency}`}>
              <h3>{s.currency}</h3>
              <dl className="facts">
                <div>
                  <dt>Loans</dt>
                  <dd data-testid="loan-counts">
                    {s.counts.active} active, {s.counts.paid} paid{s.counts.defaulted ? `, ${s.counts.defaulted} defaulted` : ''}
                  </dd>
                </div>
                <div>
                  <dt>Borrowed</dt>
                  <dd>{money(s.total_borrowed, s.currency)}</dd>
                </div>
                <div>
                  <dt>Repaid</dt>
                  <dd data-testid="total-repaid">{money(s.total_repaid, s.currency)}</dd>
                </div>
                <div>
                  <dt>Outstanding</dt>
                  <dd data-testid="outstanding">{money(s.principal_outstanding, s.currency)}</dd>
                </div>
                <div>
                  <dt>Due now</dt>
                  <dd>{money(s.amount_due, s.currency)}</dd>
                </div>
              </dl>
            </div>
          ))}
        </div>
      </section>
      {wasm ? <Projections data={data} wasm={wasm} /> : <p role="status">Loading the calculator…</p>}
    </>
  );
}

function Projections({ data, wasm }: { data: Data; wasm: Wasm }) {
  const today = todayIso();
  const { loans, groups } = data;
  const computed = useMemo(() => {
    const byLoan = new Map(groups.map((g) => [g.loan_id, g.repayments.map((r) => ({ date: r.date, amount: r.amount }))]));
    const next: NextPayment[] = [];
    const timelines = new Map<string, LoanTimeline[]>();
    for (const l of loans) {
      if (l.status === 'paid') continue;
      try {
        const terms = new wasm.LoanTerms(l.terms);
        const asOf = today < l.start_date ? l.start_date : today;
        const p = terms.position(byLoan.get(l.id) ?? [], asOf);
        if (p.closed) continue;
        if (p.next_due_date) {
          next.push({ loanId: l.id, title: l.title, currency: l.currency, date: p.next_due_date, amount: p.next_due_amount, daysPastDue: p.days_past_due });
        }
        const points: Point[] = p.projected.map((i) => [isoToSeconds(i.due_date), Number(i.balance)]);
        const list = timelines.get(l.currency) ?? [];
        list.push({ outstanding: Number(p.principal_outstanding), points });
        timelines.set(l.currency, list);
      } catch {
        // A loan whose position cannot be computed is left out of the projections.
      }
    }
    const now = isoToSeconds(today);
    const charts = [...timelines.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, list]) => ({ currency, points: totalTimeline(now, list) }));
    return { next: nextPayments(next), charts };
  }, [wasm, loans, groups, today]);

  return (
    <>
      <div className="cards">
        <section className="card" aria-labelledby="next-h">
          <h2 id="next-h">Next payments</h2>
          {computed.next.length === 0 ? (
            <p className="muted">Nothing is due: every loan is paid.</p>
          ) : (
            <ul className="next-list" data-testid="next-payments">
              {computed.next.map((n) => (
                <li key={n.loanId}>
                  <Link to={`/loans/${n.loanId}`}>{n.title}</Link>
                  <span>
                    {money(n.amount, n.currency)} on {date(n.date)}
                    {n.daysPastDue > 0 ? <strong className="late"> ({integer(n.daysPastDue)} days late)</strong> : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <WhatIf loans={loans.filter((l) => l.status === 'active')} wasm={wasm} />
      </div>
      {computed.charts.map((c) => (
        <section className="card" key={c.currency} aria-label={`Payoff timeline in ${c.currency}`}>
          <TimelineChart currency={c.currency} points={c.points} />
        </section>
      ))}
    </>
  );
}

function TimelineChart({ currency, points }: { currency: string; points: Point[] }) {
  const x = useMemo(() => points.map((p) => p[0]), [points]);
  const series: ChartSeries[] = useMemo(() => [{ label: 'Outstanding', values: points.map((p) => p[1]), color: '#1d4ed8', fill: 'rgba(29,78,216,0.08)', stepped: true }], [points]);
  const last = points[points.length - 1];
  const end = last ? new Date(last[0] * 1000).toISOString().slice(0, 10) : '';
  return <Chart title={`Payoff timeline (${currency})`} description={`The balance of the open loans in ${currency} as scheduled, paid off by ${date(end)}.`} x={x} series={series} currency={currency} />;
}

function WhatIf({ loans, wasm }: { loans: LoanDto[]; wasm: Wasm }) {
  const [loanId, setLoanId] = useState(loans[0]?.id ?? '');
  const [extra, setExtra] = useState('100');
  const loan = loans.find((l) => l.id === loanId) ?? loans[0];
  const result = useMemo(() => whatIfFor(wasm, loan, extra), [wasm, loan, extra]);
  if (!loan) return null;
  const options = Object.fromEntries(loans.map((l) => [l.id, l.title]));
  return (
    <section className="card" aria-labelledby="whatif-h">
      <h2 id="whatif-h">What if I pay more?</h2>
      <SelectField label="Loan" options={options} value={loan.id} onChange={(e) => setLoanId(e.target.value)} />
      <TextField label={`Extra with every payment (${loan.currency})`} inputMode="decimal" value={extra} onChange={(e) => setExtra(e.target.value)} error={result.kind === 'error' ? result.message : undefined} />
      <div aria-live="polite" data-testid="whatif-result">
        {result.kind === 'ok' ? (
          <p className="whatif">
            Paid off <strong>{integer(result.months)}</strong> {result.months === 1 ? 'payment' : 'payments'} sooner, saving <strong>{money(result.interest, result.currency)}</strong> of interest.
          </p>
        ) : (
          <p className="muted">{result.kind === 'none' ? 'Enter an extra amount to see the savings.' : 'No result: fix the amount above.'}</p>
        )}
      </div>
    </section>
  );
}

// The schedule table, virtualized: only the rows in view are in the DOM (360+ rows stay cheap).
import { useState } from 'react';
import type { Installment } from 'loansyncro';
import { date, money } from '../lib/format';
import { visibleRange } from '../lib/virtual';

const ROW = 36;
const VIEWPORT = 396;

export function ScheduleTable({ rows, currency, caption }: { rows: { length: number; row(i: number): Readonly<Installment> }; currency: string; caption: string }) {
  const [top, setTop] = useState(0);
  const [first, last] = visibleRange(top, VIEWPORT, ROW, rows.length);
  const items = [];
  for (let i = first; i < last; i++) {
    const r = rows.row(i);
    items.push(
      <tr key={i} aria-rowindex={i + 2} style={{ height: ROW }}>
        <td>{r.number}</td>
        <td>{date(r.due_date)}</td>
        <td className="num">{money(r.payment, currency)}</td>
        <td className="num">{money(r.principal, currency)}</td>
        <td className="num">{money(r.interest, currency)}</td>
        <td className="num">{money(r.balance, currency)}</td>
      </tr>,
    );
  }
  return (
    <div
      className="schedule-scroll"
      style={{ maxHeight: VIEWPORT + ROW }}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
      tabIndex={0}
      role="region"
      aria-label={`${caption} (scrollable)`}
      data-testid="schedule"
    >
      <table className="schedule" aria-rowcount={rows.length + 1}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">#</th>
            <th scope="col">Due</th>
            <th scope="col" className="num">Payment</th>
            <th scope="col" className="num">Principal</th>
            <th scope="col" className="num">Interest</th>
            <th scope="col" className="num">Balance</th>
          </tr>
        </thead>
        <tbody>
          {first > 0 ? <tr aria-hidden="true" style={{ height: first * ROW }} /> : null}
          {items}
          {last < rows.length ? <tr aria-hidden="true" style={{ height: (rows.length - last) * ROW }} /> : null}
        </tbody>
      </table>
    </div>
  );
}

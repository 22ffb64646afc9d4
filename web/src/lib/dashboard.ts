// Dashboard figures computed in the browser from the loans, their repayments and the WASM core.
import type { Point } from './charts';

export interface LoanTimeline {
  /** Outstanding now (before the first projected point). */
  outstanding: number;
  /** Projected (due date seconds, balance after it), sorted. */
  points: readonly Point[];
}

/** Total projected balance of several loans over time: at each due date of any loan, the sum
 *  of each loan's latest balance (its current outstanding before its first due date). */
export function totalTimeline(now: number, loans: readonly LoanTimeline[]): Point[] {
  const xs = [...new Set(loans.flatMap((l) => l.points.map((p) => p[0])))].filter((x) => x > now).sort((a, b) => a - b);
  const cursor = loans.map(() => 0);
  const current = loans.map((l) => l.outstanding);
  const round = (v: number) => Math.round(v * 100) / 100;
  const out: Point[] = [[now, round(current.reduce((a, b) => a + b, 0))]];
  for (const x of xs) {
    loans.forEach((l, i) => {
      let c = cursor[i] ?? 0;
      while (c < l.points.length && (l.points[c]?.[0] ?? Infinity) <= x) {
        current[i] = l.points[c]?.[1] ?? 0;
        c++;
      }
      cursor[i] = c;
    });
    out.push([x, round(current.reduce((a, b) => a + b, 0))]);
  }
  return out;
}

export interface NextPayment {
  loanId: string;
  title: string;
  currency: string;
  date: string;
  amount: string;
  daysPastDue: number;
}

/** The next payments due, soonest first (past due first), at most `limit`. */
export function nextPayments(items: readonly NextPayment[], limit = 5): NextPayment[] {
  return [...items].sort((a, b) => b.daysPastDue - a.daysPastDue || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || a.title.localeCompare(b.title)).slice(0, limit);
}

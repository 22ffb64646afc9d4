// The My Loans list: sorting and progress (figures come from the API; nothing is recomputed).
import type { LoanDto } from '../api/types';
import { compareDecimal } from './decimal';

export type SortKey = 'created' | 'title' | 'amount' | 'interest_rate' | 'monthly_payment' | 'status' | 'progress';
export type SortDir = 'asc' | 'desc';

export const SORT_LABELS: Record<SortKey, string> = {
  created: 'Date added',
  title: 'Title',
  amount: 'Principal',
  interest_rate: 'Rate',
  monthly_payment: 'Payment',
  status: 'Status',
  progress: 'Progress',
};

/** Share of the scheduled total repaid, 0..1 (display only); a paid loan is 1. */
export function progress(loan: Pick<LoanDto, 'status' | 'total_repaid' | 'total_amount'>): number {
  if (loan.status === 'paid') return 1;
  const total = Number(loan.total_amount);
  if (!(total > 0)) return 0;
  return Math.min(1, Math.max(0, Number(loan.total_repaid) / total));
}

const STATUS_ORDER = { active: 0, defaulted: 1, paid: 2 } as const;

export function sortLoans(loans: readonly LoanDto[], key: SortKey, dir: SortDir): LoanDto[] {
  const cmp = (a: LoanDto, b: LoanDto): number => {
    switch (key) {
      case 'title':
        return a.title.localeCompare(b.title, undefined, { sensitivity: 'base', numeric: true });
      case 'amount':
      case 'interest_rate':
      case 'monthly_payment':
        return compareDecimal(a[key], b[key]);
      case 'status':
        return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
      case 'progress':
        return progress(a) - progress(b);
      case 'created':
        return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0;
    }
  };
  const sign = dir === 'asc' ? 1 : -1;
  // Stable: ties keep the title order.
  return [...loans].sort((a, b) => sign * cmp(a, b) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

/** Case-insensitive title filter (the API searches too; this keeps the list instant while typing). */
export function filterLoans(loans: readonly LoanDto[], search: string): LoanDto[] {
  const q = search.trim().toLocaleLowerCase();
  return q ? loans.filter((l) => l.title.toLocaleLowerCase().includes(q)) : [...loans];
}

import { describe, expect, it } from 'vitest';
import type { LoanDto } from '../api/types';
import { align, cumulative, fillForward, isoToSeconds } from './charts';
import { csvFileName } from './csv';
import { nextPayments, totalTimeline } from './dashboard';
import { compareDecimal, fractionToPercent, normalizeDecimal, percentToFraction } from './decimal';
import { date, money, percent, termText, todayIso } from './format';
import { filterLoans, progress, sortLoans } from './loans';
import { visibleRange } from './virtual';

describe('decimal', () => {
  it('normalizes what people type', () => {
    expect(normalizeDecimal('25,000.50')).toBe('25000.5');
    expect(normalizeDecimal(' 007.000 ')).toBe('7');
    expect(normalizeDecimal('.5')).toBe('0.5');
    expect(normalizeDecimal('-0.00')).toBe('0');
    expect(normalizeDecimal('1e5')).toBeNull();
    expect(normalizeDecimal('12abc')).toBeNull();
    expect(normalizeDecimal('')).toBeNull();
  });
  it('moves the decimal point exactly', () => {
    expect(percentToFraction('6.5')).toBe('0.065');
    expect(percentToFraction('100')).toBe('1');
    expect(percentToFraction('0.125')).toBe('0.00125');
    expect(fractionToPercent('0.065')).toBe('6.5');
    expect(fractionToPercent('0.07')).toBe('7');
    expect(fractionToPercent('1')).toBe('100');
    expect(fractionToPercent('0.00125')).toBe('0.125');
  });
  it('compares exactly', () => {
    expect(compareDecimal('10', '9.99')).toBe(1);
    expect(compareDecimal('0.10', '0.1')).toBe(0);
    expect(compareDecimal('-2', '1')).toBe(-1);
    expect(compareDecimal('-2', '-1.5')).toBe(-1);
    expect(compareDecimal('123456789012345678.01', '123456789012345678.001')).toBe(1);
  });
});

describe('format', () => {
  it('formats money by locale and currency from decimal strings', () => {
    expect(money('1580.17', 'USD', 'en-US')).toBe('$1,580.17');
    expect(money('1580.17', 'EUR', 'de-DE')).toBe('1.580,17\u00a0€');
    expect(money('1580', 'JPY', 'ja-JP')).toBe('￥1,580');
    expect(money('0.1', 'XXZ', 'en-US')).toBe('XXZ\u00a00.10');
    expect(money('0.1', 'X1', 'en-US')).toBe('0.10 X1');
    expect(money('12345678901234567.89', 'USD', 'en-US')).toBe('$12,345,678,901,234,567.89');
  });
  it('formats rates, dates and terms', () => {
    expect(percent('6.5', 'en-US')).toBe('6.5%');
    expect(date('2025-01-31', 'en-US')).toBe('Jan 31, 2025');
    expect(date(null)).toBe('—');
    expect(termText(360)).toBe('30 years');
    expect(termText(18)).toBe('1 year 6 months');
    expect(termText(1)).toBe('1 month');
    expect(todayIso(new Date(2025, 0, 5))).toBe('2025-01-05');
  });
});

function loan(over: Partial<LoanDto>): LoanDto {
  return {
    id: 'x',
    title: 'X',
    description: '',
    amount: '1000',
    interest_rate: '5',
    term_months: 12,
    start_date: '2025-01-01',
    monthly_payment: '85.61',
    total_amount: '1027.32',
    total_interest: '27.32',
    status: 'active',
    currency: 'USD',
    version: 1,
    total_repaid: '0',
    repayment_count: 0,
    last_payment_date: null,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    terms: {} as LoanDto['terms'],
    ...over,
  };
}

describe('loans list', () => {
  const a = loan({ id: 'a', title: 'Car', amount: '9000', created_at: '2025-01-02T00:00:00Z', total_repaid: '500', total_amount: '1000' });
  const b = loan({ id: 'b', title: 'boat', amount: '10000', created_at: '2025-01-01T00:00:00Z', status: 'paid' });
  const c = loan({ id: 'c', title: 'Mortgage 2', amount: '250000', created_at: '2025-01-03T00:00:00Z' });
  it('sorts by principal exactly, by title ignoring case, by date', () => {
    expect(sortLoans([c, a, b], 'amount', 'asc').map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(sortLoans([c, a, b], 'amount', 'desc').map((l) => l.id)).toEqual(['c', 'b', 'a']);
    expect(sortLoans([c, a, b], 'title', 'asc').map((l) => l.id)).toEqual(['b', 'a', 'c']);
    expect(sortLoans([a, b, c], 'created', 'desc').map((l) => l.id)).toEqual(['c', 'a', 'b']);
    expect(sortLoans([c, b, a], 'status', 'asc').map((l) => l.id)).toEqual(['a', 'c', 'b']);
  });
  it('filters by title and computes progress', () => {
    expect(filterLoans([a, b, c], 'MORT').map((l) => l.id)).toEqual(['c']);
    expect(filterLoans([a, b, c], '  ').length).toBe(3);
    expect(progress(a)).toBe(0.5);
    expect(progress(b)).toBe(1);
    expect(progress(loan({ total_amount: '0' }))).toBe(0);
  });
});

describe('charts', () => {
  it('aligns series on the union of x values', () => {
    expect(align([[[1, 10], [3, 30]], [[2, 20], [3, 31]]])).toEqual({ x: [1, 2, 3], values: [[10, null, 30], [null, 20, 31]] });
  });
  it('sums and fills', () => {
    expect(cumulative([[5, 0.1], [1, 0.2], [5, 0.3]])).toEqual([[1, 0.2], [5, 0.6]]);
    expect(fillForward([null, 1, null, 2, null])).toEqual([null, 1, 1, 2, 2]);
    expect(isoToSeconds('1970-01-02')).toBe(86400);
  });
  it('totals the projected balances of several loans', () => {
    const t = totalTimeline(0, [
      { outstanding: 100, points: [[10, 50], [20, 0]] },
      { outstanding: 30, points: [[15, 10], [25, 0]] },
    ]);
    expect(t).toEqual([[0, 130], [10, 80], [15, 60], [20, 10], [25, 0]]);
  });
  it('orders next payments: late first, then by date', () => {
    const n = nextPayments([
      { loanId: '1', title: 'A', currency: 'USD', date: '2025-03-01', amount: '1', daysPastDue: 0 },
      { loanId: '2', title: 'B', currency: 'USD', date: '2025-02-01', amount: '1', daysPastDue: 0 },
      { loanId: '3', title: 'C', currency: 'USD', date: '2025-01-01', amount: '1', daysPastDue: 12 },
    ], 2);
    expect(n.map((x) => x.loanId)).toEqual(['3', '2']);
  });
});

describe('virtual list and csv name', () => {
  it('renders only the rows in view plus overscan', () => {
    expect(visibleRange(0, 396, 36, 360)).toEqual([0, 17]);
    expect(visibleRange(3600, 396, 36, 360)).toEqual([94, 117]);
    expect(visibleRange(12960, 396, 36, 360)).toEqual([354, 360]);
    expect(visibleRange(0, 100, 36, 0)).toEqual([0, 0]);
  });
  it('slugs the title', () => {
    expect(csvFileName('Car loan (2025) — Ford')).toBe('car-loan-2025-ford-schedule.csv');
    expect(csvFileName('€€€')).toBe('loan-schedule.csv');
  });
});

// Every case of loansyncro-core/tests/data/vectors/conventions.json through the installed package.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const ls = require('loansyncro');
const D = require('./decimal.cjs');

const { cases } = JSON.parse(fs.readFileSync(path.join(process.env.LOANSYNCRO_VECTORS, 'conventions.json'), 'utf8'));
const START = '2024-01-01';

// A percent as an exact fraction string ("6.25" -> "0.0625"), and 1 + that fraction.
const fraction = (percent) => {
  const p = D.parse(percent);
  return D.toString({ mant: p.mant, scale: p.scale + 2 });
};
const onePlus = (percent) => {
  const p = D.parse(percent);
  return D.toString({ mant: p.mant + 10n ** BigInt(p.scale + 2), scale: p.scale + 2 });
};

// START + months (same day; the vectors' ARM dates never need clamping).
function plusMonths(iso, months) {
  const [y, m, d] = iso.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const pad = (n) => String(n).padStart(2, '0');
  return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}-${pad(d)}`;
}

// The vector's terms in the core's wire form (README names mapped to the core's).
function termsFrom(t, convention) {
  const input = {
    currency: t.currency,
    principal: t.principal,
    annual_rate_percent: t.annual_rate_percent,
    frequency: t.frequency,
    day_count: t.day_count,
    payment_rounding: t.rounding,
    interest_rounding: t.rounding,
    start: t.start || START,
  };
  if (t.installments !== undefined) input.installments = t.installments;
  if (t.first_due) input.first_due = t.first_due;
  if (t.balance_tracking === 'carry_precision') input.balance_precision = 'spreadsheet';
  if (t.payment !== undefined) input.method = { fixed_installment: { amount: t.payment } };
  if (convention === 'actual_360_amortizing_30_360') {
    input.installments = t.term_months;
    input.amortization_installments = t.amortization_months;
    input.payment_day_count = '30/360';
  }
  if (convention === 'arm_periodic_recast') {
    input.adjustment_payment_numbers = t.adjustment_payment_numbers;
    input.rate_changes = t.rate_changes.map((c) => ({
      effective: plusMonths(START, c.payment_number - 1),
      annual_rate: fraction(c.annual_rate_percent),
    }));
    if (t.payment_cap_percent !== undefined) {
      input.payment_cap = onePlus(t.payment_cap_percent);
    }
  }
  return new ls.LoanTerms(input);
}

const SCHEDULES = ['payment_tie', 'carry_precision', 'carry_precision_fixed_payment', 'actual_360_amortizing_30_360', 'arm_periodic_recast'];
const APRS = ['apr_year_unit_odd_days', 'apr_semimonth_week_odd_days'];

test('conventions.json: 35 cases of the 7 conventions', () => {
  assert.equal(cases.length, 35);
  assert.deepEqual([...new Set(cases.map((c) => c.convention))].sort(), [...SCHEDULES, ...APRS].sort());
});

for (const convention of SCHEDULES) {
  test(`conventions.json ${convention}: every listed row to the cent`, () => {
    const failures = [];
    for (const c of cases.filter((x) => x.convention === convention)) {
      const cols = termsFrom(c.terms, convention).scheduleColumns();
      const e = c.expected;
      const first = e.payment !== undefined ? e.payment : e.initial_payment;
      if (!D.eq(cols.regular_payment, first)) failures.push(`${c.id}: payment ${cols.regular_payment} != ${first}`);
      if (e.rows_complete && cols.length !== e.rows.length) failures.push(`${c.id}: ${cols.length} rows`);
      if (e.installments !== undefined && cols.length !== e.installments) failures.push(`${c.id}: ${cols.length} installments`);
      for (const row of e.rows) {
        const got = cols.row(row.n - 1);
        for (const k of ['payment', 'interest', 'principal', 'balance']) {
          if (!D.eq(got[k], row[k])) failures.push(`${c.id} row ${row.n} ${k}: ${got[k]} != ${row[k]}`);
        }
        if (row.date && got.due_date !== row.date) failures.push(`${c.id} row ${row.n}: date ${got.due_date}`);
      }
      const last = cols.row(cols.length - 1);
      const totals = [['total_interest', cols.totals.interest], ['total_paid', cols.totals.paid], ['final_payment', last.payment], ['principal_column_sum', cols.totals.principal]];
      for (const [k, v] of totals) {
        if (e[k] !== undefined && !D.eq(v, e[k])) failures.push(`${c.id}: ${k} ${v} != ${e[k]}`);
      }
      for (const a of e.adjustments || []) {
        if (!D.eq(cols.row(a.payment_number - 2).balance, a.balance_before)) failures.push(`${c.id}: balance before ${a.payment_number}`);
        if (!D.eq(cols.row(a.payment_number - 1).payment, a.payment)) failures.push(`${c.id}: payment from ${a.payment_number}`);
      }
    }
    assert.deepEqual(failures, []);
  });
}

for (const convention of APRS) {
  test(`conventions.json ${convention}: Appendix J unit-period fractions`, () => {
    for (const c of cases.filter((x) => x.convention === convention)) {
      const t = c.terms;
      const got = ls.apr({ advances: t.advances, payments: t.payments, unit_period: t.unit_period });
      const percent = D.mul(got, '100');
      assert.ok(D.withinAbs(percent, c.expected.apr_percent, c.expected.tolerance_pp), `${c.id}: ${percent}`);
      assert.ok(D.withinAbs(percent, c.expected.apr_percent_6dp, '0.0000005'), `${c.id}: ${percent} (6 dp)`);
    }
  });
}

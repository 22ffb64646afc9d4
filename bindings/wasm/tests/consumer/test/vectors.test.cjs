// Every public vector of loansyncro-core/tests/data/vectors through the installed package.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const ls = require('loansyncro');
const D = require('./decimal.cjs');

const DIR = process.env.LOANSYNCRO_VECTORS;
const load = (name) => JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8'));

function termsFrom(t) {
  const rounding = /half_even/.test(t.rounding || '') ? 'half_even' : 'half_up';
  const input = {
    currency: t.currency || 'USD',
    principal: t.principal,
    annual_rate_percent: t.annual_rate_percent,
    installments: t.installments,
    frequency: t.frequency,
    day_count: t.day_count,
    payment_rounding: rounding,
    interest_rounding: rounding,
    start: t.start || '2024-01-01',
  };
  if (t.first_due) input.first_due = t.first_due;
  if (t.method) input.method = t.method;
  if (t.accrual) input.accrual = t.accrual;
  return new ls.LoanTerms(input);
}

for (const file of ['schedules.json', 'schedules-generated.json']) {
  test(`${file}: every row to the cent (columns, row views and plain objects agree)`, () => {
    const { cases } = load(file);
    assert.ok(cases.length >= 5);
    for (const c of cases) {
      const terms = termsFrom(c.terms);
      const cols = terms.scheduleColumns();
      const plain = terms.schedule();
      const floats = {};
      for (const k of ['payment', 'interest', 'principal', 'balance']) floats[k] = cols.amounts(k);
      const e = c.expected;
      assert.ok(D.eq(cols.regular_payment, e.payment), `${c.id}: payment ${cols.regular_payment} != ${e.payment}`);
      assert.equal(cols.length, e.rows.length, `${c.id}: row count`);
      assert.equal(plain.installments.length, e.rows.length);
      e.rows.forEach((row, i) => {
        const view = cols.row(i);
        const obj = plain.installments[i];
        assert.equal(view.number, row.n, `${c.id} row ${row.n}`);
        for (const k of ['payment', 'interest', 'principal', 'balance']) {
          assert.ok(D.eq(view[k], row[k]), `${c.id} row ${row.n} ${k}: ${view[k]} != ${row[k]}`);
          assert.equal(obj[k], view[k]);
          assert.equal(cols[k][i], Number(view[k].replace('.', '')), 'minor units column');
          // The float column: the double nearest the vector's exact decimal (correctly rounded).
          assert.equal(floats[k][i], Number(row[k]), `${c.id} row ${row.n} ${k} as a float`);
        }
        assert.equal(obj.due_date, view.due_date);
      });
      if (e.total_interest) assert.ok(D.eq(cols.totals.interest, e.total_interest), `${c.id}: total interest`);
      if (e.total_paid) assert.ok(D.eq(cols.totals.paid, e.total_paid), `${c.id}: total paid`);
      if (e.final_payment) assert.ok(D.eq(cols.row(cols.length - 1).payment, e.final_payment), `${c.id}: final payment`);
      assert.ok(D.eq(cols.row(cols.length - 1).balance, '0'), `${c.id}: closes at zero`);
      assert.ok(D.eq(cols.totals.principal, c.terms.principal), `${c.id}: principal`);
      // The CSV carries the same strings.
      const csv = terms.toCsv().split('\r\n');
      const first = cols.row(0);
      assert.equal(csv[1], [first.number, first.due_date, first.payment, first.interest, first.principal, first.balance, first.deferred_interest, first.extra_principal].join(','));
    }
  });
}

function evaluate(fn, a, asNumber) {
  const v = (k) => (a[k] === undefined ? undefined : asNumber ? Number(a[k]) : a[k]);
  const w = a.when || 'end';
  switch (fn) {
    case 'pmt': return ls.pmt(v('rate'), a.nper, v('pv'), v('fv'), w);
    case 'fv': return ls.fv(v('rate'), a.nper, v('pmt'), v('pv'), w);
    case 'pv': return ls.pv(v('rate'), a.nper, v('pmt'), v('fv'), w);
    case 'nper': return ls.nper(v('rate'), v('pmt'), v('pv'), v('fv'), w);
    case 'rate': return ls.rate(a.nper, v('pmt'), v('pv'), v('fv'), w);
    case 'ipmt': return ls.ipmt(v('rate'), a.per, a.nper, v('pv'), v('fv'), w);
    case 'ppmt': return ls.ppmt(v('rate'), a.per, a.nper, v('pv'), v('fv'), w);
    case 'cumipmt': return ls.cumipmt(v('rate'), a.nper, v('pv'), a.start, a.end, w);
    case 'cumprinc': return ls.cumprinc(v('rate'), a.nper, v('pv'), a.start, a.end, w);
    default: throw new Error(`unknown function ${fn}`);
  }
}

for (const [file, asNumber, count] of [['finance.json', false, 68], ['finance-generated.json', true, 2000]]) {
  test(`${file}: every case within its tolerance${asNumber ? ' (inputs as JS numbers)' : ''}`, () => {
    const { cases } = load(file);
    assert.equal(cases.length, count);
    const failures = [];
    for (const c of cases) {
      if (c.expected_error) {
        try {
          const got = evaluate(c.fn, c.args, asNumber);
          failures.push(`${c.id}: expected error ${c.expected_error}, got ${got}`);
        } catch (e) {
          if (!(e instanceof ls.LoanSyncroError) || e.code !== c.expected_error) failures.push(`${c.id}: ${e}`);
        }
        continue;
      }
      let got;
      try {
        got = evaluate(c.fn, c.args, asNumber);
      } catch (e) {
        failures.push(`${c.id}: threw ${e.message}`);
        continue;
      }
      assert.equal(typeof got, 'string');
      const ok = c.tolerance_abs !== undefined
        ? D.withinAbs(got, c.expected, c.tolerance_abs)
        : D.withinRel(got, c.expected, c.tolerance_rel);
      if (!ok) failures.push(`${c.id}: ${got} vs ${c.expected}`);
    }
    assert.deepEqual(failures, []);
  });
}

test('apr.json: the 12 Reg Z Appendix J examples to two decimals', () => {
  const { cases } = load('apr.json');
  assert.equal(cases.length, 12);
  for (const c of cases) {
    const unit = c.unit_period.startsWith('day (single advance, single payment)') ? 'term' : c.unit_period;
    const got = ls.apr({ advances: c.advances, payments: c.payments, unit_period: unit });
    const percent = D.toString(D.roundDp(D.mul(got, '100'), 2));
    assert.ok(D.eq(percent, c.expected_apr_percent), `${c.id}: ${percent} != ${c.expected_apr_percent}`);
  }
});

test('ledger.json: payoff quotes and payable amounts to the cent', () => {
  const { cases } = load('ledger.json');
  assert.equal(cases.length, 3);
  for (const c of cases) {
    const terms = termsFrom(c.terms);
    assert.equal(terms.schedule().regular_payment, c.schedule_payment);
    if (c.payoff_on) {
      const q = terms.payoffQuote(c.repayments, c.payoff_on, c.payoff_rule);
      assert.ok(D.eq(q.total, c.expected_payoff), `${c.id}: payoff ${q.total}`);
      assert.ok(D.eq(q.principal, c.expected_principal), `${c.id}: principal ${q.principal}`);
      assert.ok(D.eq(q.interest, c.expected_interest), `${c.id}: interest ${q.interest}`);
    } else {
      const p = terms.payable(c.repayments, c.payable_on, c.for_due);
      assert.ok(D.eq(p.outstanding, c.expected_outstanding), `${c.id}: outstanding ${p.outstanding}`);
      assert.ok(D.eq(p.principal_due, c.expected_principal_due), `${c.id}: principal due`);
      assert.ok(D.eq(p.interest_due, c.expected_interest_due), `${c.id}: interest due`);
    }
  }
});

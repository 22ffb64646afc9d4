// loansyncro/books: real-life loan events (issue 20 §3) against the core's independent vectors,
// every case, to the cent: loans entered mid-term and renewals
// (loansyncro-core/tests/data/events/events.json, written by scripts/vectors/events.py), balance
// corrections and biweekly (loansyncro-core/tests/data/adjust/*.json, scripts/vectors/adjust.py).
// The same checks as bindings/python/tests/test_timeline.py and test_adjust.py.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ls = require('loansyncro');
const books = require('loansyncro/books');

const DATA = join(process.env.LOANSYNCRO_VECTORS, '..');
const load = (...p) => JSON.parse(readFileSync(join(DATA, ...p), 'utf8'));
const EVENTS = load('events', 'events.json').cases;
const cases = (kind) => EVENTS.filter((c) => c.kind === kind);
const adjust = (name) => {
  const doc = load('adjust', `${name}.json`);
  assert.match(doc.provenance, /scripts\/vectors\/adjust\.py/);
  return doc.cases;
};
const rows = (terms) =>
  ls.schedule(terms).installments.map((r) => [r.number, r.due_date, r.payment, r.interest, r.principal, r.balance]);
const original = (t) => {
  const o = { principal: t.principal, annual_rate_percent: t.annual_rate_percent, installments: t.installments, start: t.start };
  if (t.amortization_installments !== undefined) o.amortization_installments = t.amortization_installments;
  return o;
};
/** A fraction's decimal string in percent, exactly ('0.055' -> '5.5'). */
const percent = (fraction) => {
  const [whole, frac = ''] = fraction.split('.');
  const f = frac.padEnd(2, '0');
  const int = String(Number(whole + f.slice(0, 2)));
  return f.length > 2 ? `${int}.${f.slice(2)}` : int;
};
/**
 * A decimal string without trailing zeros: the core keeps an amount's scale (the original
 * principal '400000' is the first segment's balance_before; the vectors write '400000.00'), so
 * amounts are compared by value, exactly, as the Python tests compare `Decimal`s.
 */
const value = (s) => (typeof s === 'string' && s.includes('.') ? s.replace(/\.?0+$/, '') : s);
const validation = (field) => (e) => {
  assert.ok(e instanceof ls.ValidationError, String(e));
  assert.equal(e.field, field, e.message);
  return true;
};
const HISTORY_KEYS = [
  'original_start', 'original_principal', 'original_installments', 'installments', 'interest_paid',
  'principal_paid', 'scheduled_balance', 'difference', 'payment',
];

test('the event vectors hold every kind', () => {
  assert.deepEqual([cases('current').length, cases('mid_term').length, cases('renewal').length], [3, 3, 5]);
});

for (const c of cases('current')) {
  test(`enterFromCurrent: ${c.name}`, () => {
    const terms = books.enterFromCurrent(c.input);
    assert.equal(terms.start, c.expected.start);
    assert.equal(terms.opening.balance, c.input.balance);
    assert.deepEqual(rows(terms), c.expected.rows);
    const t = books.timeline(terms);
    assert.equal(t.history, 'unknown');
    assert.equal(t.opening.history, null);
    assert.equal(t.installments, c.expected.rows.length);
  });
}

for (const c of cases('mid_term')) {
  test(`enterMidTerm: ${c.name}`, () => {
    const entered = books.enterMidTerm(original(c.terms), c.input);
    assert.equal(entered.start, c.expected.start);
    assert.deepEqual(rows(entered), c.expected.rows);
    // The entered terms go back in as they came out (LoanTerms of the main entry too).
    assert.deepEqual(rows(new ls.LoanTerms(entered)), c.expected.rows);
    const t = books.timeline(entered);
    assert.equal(t.history, 'summarized');
    assert.deepEqual(Object.keys(t.opening), ['date', 'balance', 'history']);
    assert.equal(t.opening.date, c.input.date);
    assert.equal(t.opening.balance, c.input.balance);
    const h = t.opening.history;
    assert.deepEqual(Object.keys(h), HISTORY_KEYS);
    const want = c.expected.history;
    assert.equal(h.installments, want.installments);
    for (const key of ['interest_paid', 'principal_paid', 'scheduled_balance', 'difference', 'payment']) {
      assert.equal(value(h[key]), value(want[key]), key);
    }
    assert.equal(h.original_start, c.terms.start);
    assert.equal(h.original_installments, c.terms.installments);
  });
}

for (const c of cases('renewal')) {
  test(`renew: ${c.name}`, () => {
    let terms = original(c.terms);
    for (const r of c.terms.renewals) {
      const renewal = { effective: r.effective };
      // The vectors hold the core's wire form (a fraction); renew takes percent as Python does.
      if (r.annual_rate !== undefined) renewal.annual_rate_percent = percent(r.annual_rate);
      if (r.amortization_installments !== undefined) renewal.amortization_installments = r.amortization_installments;
      if (r.term_installments !== undefined) renewal.term_installments = r.term_installments;
      terms = books.renew(terms, renewal);
    }
    assert.deepEqual(terms.renewals, c.terms.renewals);
    assert.deepEqual(rows(terms), c.expected.rows);
    // The vectors' own terms (renewals in the wire form) give the same timeline.
    for (const given of [terms, c.terms]) {
      const t = books.timeline(given);
      assert.equal(t.history, 'complete');
      assert.equal(t.opening, null);
      assert.deepEqual(
        t.segments.map((s) => [s.index, s.first_installment, s.last_installment, s.annual_rate_percent, s.payment,
          s.balance_before, s.interest, s.principal, s.balance_after].map(value)),
        c.expected.segments.map((s) => [s.index, s.first_installment, s.last_installment, s.rate_percent, s.payment,
          s.balance_before, s.interest, s.principal, s.balance_after].map(value)),
      );
      assert.deepEqual(
        t.recasts.map((a) => [a.payment_number, a.balance_before, a.remaining_installments, a.payment].map(value)),
        c.expected.adjustments.map((a) => [a.payment_number, a.balance_before, a.remaining_installments, a.payment].map(value)),
      );
    }
  });
}

test('renew: a Canadian renewal in one timeline; LoanTerms in, the dates option', () => {
  const mortgage = new ls.LoanTerms(
    { principal: '400000', annual_rate_percent: 4.5, installments: 300, start: '2020-01-01' },
    { dates: 'date' },
  );
  const renewed = books.renew(mortgage, { effective: new Date(Date.UTC(2025, 0, 1)), annual_rate_percent: 6, term_installments: 60 });
  assert.deepEqual(renewed.renewals, [{ effective: '2025-01-01', annual_rate: '0.06', term_installments: 60 }]);
  const t = books.timeline(renewed);
  assert.deepEqual(Object.keys(t), ['history', 'opening', 'installments', 'segments', 'recasts']);
  assert.equal(t.installments, 120);
  assert.deepEqual(t.recasts, [
    { payment_number: 61, annual_rate_percent: '6', balance_before: '351431.61', remaining_installments: 60, payment: '2517.77' },
  ]);
  assert.equal(t.segments[1].interest, '97998.26');
  const dated = books.timeline(new ls.LoanTerms(renewed, { dates: 'date' }));
  assert.equal(dated.segments[1].last_due.toISOString(), '2030-01-01T00:00:00.000Z');
});

test('events: errors name the field', () => {
  const mortgage = { principal: '400000', annual_rate_percent: '4.5', installments: 300, start: '2020-01-01' };
  assert.throws(() => books.renew(mortgage, { effective: '2046-01-01' }), validation('effective'));
  assert.throws(() => books.renew(mortgage, { effective: '2025-01-01', term_installments: 250 }), validation('term_installments'));
  assert.throws(() => books.renew(mortgage, { effective: '2025-01-01', annual_rate_percent: '101' }), validation('annual_rate_percent'));
  assert.throws(() => books.renew(mortgage, { annual_rate_percent: '5' }), validation('effective'));
  assert.throws(() => books.renew(mortgage, { effective: '2025-02-30' }), validation('renewal.effective'));
  assert.throws(() => books.renew(mortgage, null), validation('renewal'));
  assert.throws(
    () => books.enterFromCurrent({ balance: '1000', annual_rate_percent: '12', payment: '10', next_due: '2025-02-01' }),
    validation('payment'),
  );
  assert.throws(
    () => books.enterFromCurrent({ balance: '1000', annual_rate_percent: '12', payment: '100' }),
    validation('next_due'),
  );
  assert.throws(() => books.enterMidTerm(mortgage, { date: '2060-01-01', balance: '1' }), validation('date'));
  assert.throws(() => books.enterMidTerm(mortgage, { date: '2022-01-01', balance: 'abc' }), validation('entry.balance'));
  assert.throws(() => books.timeline({ ...mortgage, principal: '-1' }), validation('principal'));
});

for (const c of adjust('corrections')) {
  test(`correctedPosition: ${c.name}`, () => {
    const statement = { date: c.correction.date, stated_balance: c.correction.stated_balance };
    const e = c.expected;
    const onDate = books.correctedPosition(c.terms, c.payments, [statement], statement.date);
    assert.deepEqual(onDate.adjustments, [{ ...statement, adjustment: e.adjustment }]);
    assert.equal(onDate.position.principal_outstanding, e.at_correction.principal_outstanding);
    const later = books.correctedPosition(c.terms, c.payments, [statement], e.as_of);
    const p = later.position;
    assert.deepEqual(
      {
        principal_outstanding: p.principal_outstanding,
        paid_interest: p.paid_interest,
        paid_principal: p.paid_principal,
        paid_total: p.paid_total,
        adjustments: later.adjustments_total,
      },
      e.position,
    );
  });
}

for (const c of adjust('biweekly')) {
  test(`compareBiweekly: ${c.name}`, () => {
    assert.deepEqual(books.compareBiweekly(c.terms), c.expected);
  });
}

test('corrections: booked in date order; errors name the field', () => {
  const t = { principal: '1200', annual_rate_percent: '0', installments: 12, start: '2025-01-01' };
  const paid = [{ date: '2025-02-01', amount: '100' }];
  const r = books.correctedPosition(
    t,
    paid,
    [{ date: '2025-03-05', stated_balance: '1000' }, { date: new Date(Date.UTC(2025, 1, 10)), stated_balance: 1050 }],
    '2025-03-05',
  );
  assert.deepEqual(r.adjustments.map((a) => [a.date, a.adjustment]), [['2025-02-10', '-50.00'], ['2025-03-05', '-50.00']]);
  assert.equal(r.position.principal_outstanding, '1000.00');
  assert.equal(r.position.paid_total, '100.00');
  assert.equal(r.adjustments_total, '-100.00');
  const stated = (s) => books.correctedPosition(t, paid, [s], '2025-03-05');
  assert.throws(() => stated({ date: '2025-03-05', stated_balance: '-1' }), validation('statements[0].stated_balance'));
  assert.throws(() => stated({ date: '2024-12-01', stated_balance: '10' }), validation('statements[0].date'));
  assert.throws(() => stated({ date: '2025-03-05', stated_balance: 'x' }), validation('statements[0].stated_balance'));
  assert.throws(() => books.correctedPosition(t, paid, 'x', '2025-03-05'), validation('statements'));
  assert.throws(() => books.correctedPosition(t, paid, [], '2025-13-05'), validation('as_of'));
  assert.throws(() => books.correctedPosition(t, paid, []), validation('as_of'));
  const weekly = { ...t, frequency: 'weekly' };
  assert.throws(() => books.compareBiweekly(weekly), validation('frequency'));
  assert.throws(() => books.compareBiweekly(t, { day_count: 'lunar' }), validation('day_count'));
  assert.equal(books.compareBiweekly(t, { day_count: '30/360' }).day_count, '30/360');
  assert.equal(books.compareBiweekly(t, { dates: 'date' }).monthly.payoff_date.toISOString(), '2026-01-01T00:00:00.000Z');
});

test('correctedPostings: the adjustment is its own balanced transaction', () => {
  const t = { principal: '1200', annual_rate_percent: '0', installments: 12, start: '2025-01-01' };
  const paid = [{ date: '2025-02-01', amount: '100' }];
  const text = books.correctedPostings(t, paid, [{ date: '2025-02-10', stated_balance: '1050' }], { format: 'csv', name: 'Car' });
  const lines = text.trim().split('\n');
  const adjustment = lines.filter((l) => l.startsWith('2025-02-10,'));
  assert.equal(adjustment.length, 2, text);
  assert.ok(adjustment.some((l) => l.includes(',Liabilities:Loans:Car,50.00,')), text);
  assert.ok(adjustment.some((l) => l.includes(',Equity:Adjustments:Car,-50.00,')), text);
  const ledger = books.correctedPostings(t, paid, [{ date: '2025-02-10', stated_balance: '1050' }], {
    format: 'ledger', name: 'Car', adjustments_account: 'Equity:Lender:Car',
  });
  assert.match(ledger, /Equity:Lender:Car/);
  assert.throws(() => books.correctedPostings(t, paid, [], { scope: 'planned' }), validation('scope'));
  assert.throws(() => books.correctedPostings(t, [{ date: '2025-02-01', amount: '-1' }], []), validation('repayments[0].amount'));
  assert.throws(() => books.postings(t, paid, { adjustments_account: 'X' }), validation('adjustments_account'));
});

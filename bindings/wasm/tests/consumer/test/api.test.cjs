// The package's surface from a fresh project (CommonJS): quickstart figures, what-if, position,
// planner, CSV, columnar form, batch, and the errors (classes, code, field, reason).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const ls = require('loansyncro');

const QUICK = { principal: 250000, annual_rate_percent: 6.5, installments: 360, start: '2025-01-01' };

test('quickstart: 250000 at 6.5% over 360 months', () => {
  const terms = new ls.LoanTerms(QUICK);
  const s = terms.schedule();
  assert.equal(s.currency, 'USD');
  assert.equal(s.regular_payment, '1580.17');
  assert.deepEqual(s.totals, { interest: '318861.58', principal: '250000.00', paid: '568861.58', extra_principal: '0.00' });
  assert.deepEqual(s.installments[0], {
    number: 1, due_date: '2025-02-01', payment: '1580.17', interest: '1354.17', principal: '226.00',
    balance: '249774.00', deferred_interest: '0.00', extra_principal: '0.00', negative_amortization: false,
  });
  assert.equal(s.installments[359].balance, '0.00');
  const wire = terms.toJSON();
  assert.equal(wire.principal, '250000');
  assert.equal(wire.frequency, 'monthly');
  assert.equal(wire.day_count, '30/360');
  assert.equal(terms.with({ installments: 180 }).schedule().regular_payment, '2177.77');
});

test('columnar form: typed arrays of minor units, lazy row views, iteration', () => {
  const c = ls.scheduleColumns(QUICK);
  assert.equal(c.length, 360);
  assert.equal(c.scale, 2);
  assert.ok(c.exact);
  assert.ok(c.payment instanceof Float64Array);
  assert.equal(c.payment[0], 158017);
  assert.equal(c.dueDate[0], Date.UTC(2025, 1, 1) / 86400000);
  assert.equal(ls.formatDays(c.dueDate[0]), '2025-02-01');
  assert.equal(ls.formatDays(c.dueDate[359]), '2055-01-01');
  assert.equal(c.balance[359], 0);
  assert.equal(ls.formatMinor(c.interest[0], c.scale), '1354.17');
  assert.equal(c.row(0).interest, '1354.17');
  assert.equal(JSON.stringify(c.row(1)), JSON.stringify(c.record(1)));
  let n = 0;
  for (const row of c) n += row.number;
  assert.equal(n, (360 * 361) / 2);
  assert.throws(() => c.row(360), RangeError);
  const sum = c.interest.reduce((a, b) => a + b, 0);
  assert.equal(ls.formatMinor(sum, 2), c.totals.interest);
});

test('scheduleColumns(input): the direct path (simple terms) and the JSON path agree', () => {
  const same = (a, b) => {
    assert.equal(a.length, b.length);
    assert.equal(a.scale, b.scale);
    assert.equal(a.currency, b.currency);
    assert.deepEqual(a.toSchedule(), b.toSchedule());
    for (const k of ['dueDate', 'payment', 'interest', 'principal', 'balance']) assert.deepEqual(a[k], b[k], k);
  };
  // `frequency` (at its default) is not a direct-path field: the same terms through JSON.
  same(ls.scheduleColumns(QUICK), ls.scheduleColumns({ ...QUICK, frequency: 'monthly' }));
  same(ls.scheduleColumns(QUICK), new ls.LoanTerms(QUICK).scheduleColumns());
  const yen = { currency: 'JPY', principal: '1000000', annual_rate_percent: '1.5', installments: 12, start: '2025-01-31' };
  same(ls.scheduleColumns(yen), ls.scheduleColumns({ ...yen, day_count: '30/360' }));
  assert.equal(ls.scheduleColumns(yen).scale, 0);
  assert.equal(ls.scheduleColumns({ principal: '1200', installments: 12, start: '2025-01-01' }).payment[0], 10000);
  // Errors are the JSON path's: parse failures fall back to it, term errors are the core's
  // (and what one path accepts, the other does: 'usd ' is USD on both).
  const outcome = (input) => {
    try {
      const c = ls.scheduleColumns(input);
      return ['ok', c.currency, c.payment[0]];
    } catch (e) {
      assert.ok(e instanceof ls.ValidationError, String(e));
      return [e.field, e.reason];
    }
  };
  for (const bad of [
    { principal: 'abc' },
    { principal: '0' },
    { principal: '1.001' },
    { annual_rate_percent: '6.5.1' },
    { annual_rate_percent: '101' },
    { installments: 360.5 },
    { installments: 0 },
    { installments: 5000 },
    { start: '2025-02-30' },
    { start: '' },
    { currency: 'XYZ' },
    { currency: '' },
    { currency: null },
    { principal: 1e21 },
    { principal: -0 },
    { annual_rate_percent: undefined },
    { currency: 'usd ' },
  ]) {
    const input = { ...QUICK, ...bad };
    assert.deepEqual(outcome(input), outcome({ ...input, frequency: 'monthly' }), JSON.stringify(bad));
  }
  assert.equal(outcome({ ...QUICK, principal: 'abc' })[0], 'principal');
  assert.equal(outcome({ ...QUICK, principal: '1.001' })[0], 'principal');
  assert.equal(outcome({ ...QUICK, installments: 360.5 })[0], 'installments');
  assert.equal(outcome({ ...QUICK, installments: 0 })[0], 'installments');
  assert.equal(outcome({ ...QUICK, start: '2025-02-30' })[0], 'start');
  assert.equal(outcome({ ...QUICK, currency: 'XYZ' })[0], 'currency');
  assert.equal(outcome({ ...QUICK, currency: '' })[0], 'currency');
  assert.deepEqual(outcome({ ...QUICK, currency: 'usd ' }), ['ok', 'USD', 158017]);
});

test('scheduleColumns(input): the numeric path reads decimals as the wire form does', () => {
  const same = (a, b) => {
    assert.deepEqual(a.toJSON(), b.toJSON());
    for (const k of ['dueDate', 'payment', 'interest', 'principal', 'balance']) assert.deepEqual(a[k], b[k], k);
  };
  for (const changes of [
    { principal: '250000.00', annual_rate_percent: '6.50' },
    { principal: '0250000', annual_rate_percent: '06.5' },
    { principal: '1234567890.12', annual_rate_percent: '0.000001' },
    // 16 digits: past the exact float mantissa, taken through JSON (still exact).
    { principal: '250000', annual_rate_percent: '6.123456789012345' },
    { principal: 100000.5, annual_rate_percent: 6.25 },
    { currency: 'jpy', principal: '1000000' },
    { currency: 'BHD', principal: '1000.125' },
    { start: new Date(Date.UTC(2024, 1, 29)) },
    { start: '1901-01-31', installments: 1 },
  ]) {
    const input = { ...QUICK, ...changes };
    same(ls.scheduleColumns(input), ls.scheduleColumns({ ...input, frequency: 'monthly' }));
  }
  assert.equal(ls.scheduleColumns({ ...QUICK, currency: 'BHD', principal: '1000.125' }).balance[0] % 1, 0);
  assert.equal(ls.scheduleColumns({ ...QUICK, principal: 100000.5 }).principal.reduce((a, b) => a + b, 0), 10000050);
});

test('scheduleColumns(input, { view: true }): the same columns without the copy, valid until the next call', () => {
  const copy = ls.scheduleColumns(QUICK);
  const view = ls.scheduleColumns(QUICK, { view: true });
  assert.deepEqual(view.toJSON(), copy.toJSON());
  assert.deepEqual(view.payment, copy.payment);
  assert.notEqual(view.payment.buffer, copy.payment.buffer);
  // The next call reuses the memory: a view taken earlier now shows the new schedule.
  const kept = view.payment.slice();
  ls.scheduleColumns({ ...QUICK, principal: '100000' }, { view: true });
  assert.deepEqual(kept, copy.payment);
  assert.ok(view.payment.length === 0 || view.payment[0] !== copy.payment[0]);
  // Terms beyond the direct fields are copied whatever the option.
  const other = ls.scheduleColumns({ ...QUICK, frequency: 'monthly' }, { view: true });
  ls.scheduleColumns({ ...QUICK, principal: '100000' }, { view: true });
  assert.deepEqual(other.payment, copy.payment);
  assert.throws(() => ls.scheduleColumns(QUICK, { view: 'yes' }), (e) => e instanceof ls.ValidationError && e.field === 'view');
});

test('amounts(column): floats equal to Number() of the exact decimal strings', () => {
  const c = ls.scheduleColumns(QUICK);
  const pay = c.amounts('payment');
  assert.ok(pay instanceof Float64Array);
  assert.equal(pay[0], 1580.17);
  assert.equal(c.amounts('interest')[0], 1354.17);
  assert.equal(c.amounts('balance')[359], 0);
  for (const col of ['payment', 'interest', 'principal', 'balance', 'deferredInterest', 'extraPrincipal']) {
    const field = { deferredInterest: 'deferred_interest', extraPrincipal: 'extra_principal' }[col] || col;
    const a = c.amounts(col);
    for (let i = 0; i < c.length; i++) assert.equal(a[i], Number(c.row(i)[field]), `${col}[${i}]`);
  }
  assert.throws(() => c.amounts('dueDate'), RangeError);
});

test('what-if: 200 extra a month saves 95 installments and 97618.44 interest', () => {
  const w = ls.whatIf(QUICK, { recurring: '200' });
  assert.equal(w.installments_saved, 95);
  assert.equal(w.interest_saved, '97618.44');
  assert.equal(w.base_installments, 360);
  assert.equal(w.schedule.length, 265);
  assert.equal(w.schedule.row(0).extra_principal, '200.00');
  assert.equal(w.schedule.row(0).payment, '1780.17');
  const lump = new ls.LoanTerms(QUICK).whatIf({ lump_sums: [{ date: '2026-01-01', amount: 10000 }], policy: 'reduce_payment' });
  assert.equal(lump.schedule.length, 360);
});

test('APR, effective rate, CSV and the chart series', () => {
  const terms = new ls.LoanTerms(QUICK);
  assert.equal(terms.apr().slice(0, 4), '6.50');
  assert.ok(Number(terms.apr(3000)) > 6.6);
  assert.ok(terms.effectiveAnnualRate().startsWith('6.697'));
  const csv = terms.toCsv();
  assert.ok(csv.startsWith('number,due_date,payment,interest,principal,balance,deferred_interest,extra_principal\r\n'));
  assert.equal(csv.split('\r\n')[1], '1,2025-02-01,1580.17,1354.17,226.00,249774.00,0.00,0.00');
  const series = terms.series();
  assert.equal(series.length, 361);
  assert.deepEqual(series[0], { date: '2025-01-01', balance: '250000', cumulative_interest: '0', cumulative_principal: '0' });
  assert.equal(series[360].cumulative_interest, '318861.58');
});

test('position, payoff quote, check of a repayment', () => {
  const terms = new ls.LoanTerms({ principal: 1200, annual_rate_percent: 0, installments: 12, start: '2025-01-01' });
  const paid = [{ date: '2025-02-01', amount: 100 }, { date: '2025-03-01', amount: '40' }];
  const pos = terms.position(paid, '2025-03-11');
  assert.equal(pos.amount_due, '60.00');
  assert.equal(pos.days_past_due, 10);
  assert.equal(pos.principal_outstanding, '1060.00');
  assert.equal(pos.next_due_date, '2025-04-01');
  assert.equal(pos.closed, false);
  assert.ok(Array.isArray(pos.projected));
  assert.deepEqual(ls.position({ principal: 1200, annual_rate_percent: 0, installments: 12, start: '2025-01-01' }, paid, '2025-03-11'), pos);
  const q = terms.payoffQuote(paid, '2025-03-11');
  assert.equal(q.total, '1060.00');
  assert.throws(() => terms.checkPayment(paid, { date: '2025-03-15', amount: '5000' }), (e) => {
    assert.ok(e instanceof ls.OverpaymentError);
    assert.ok(e instanceof ls.LoanSyncroError);
    assert.equal(e.code, 'overpayment');
    assert.equal(e.payoff, '1060.00');
    assert.equal(e.attempted, '5000.00');
    assert.equal(e.date, '2025-03-15');
    return true;
  });
  assert.throws(() => terms.position(paid, '2024-12-31'), { name: 'ValidationError', field: 'as_of' });
});

test('payoff planner: avalanche vs snowball vs minimums only', () => {
  const input = {
    currency: 'USD', monthly_budget: 300, strategy: 'avalanche', start: '2025-01-31',
    debts: [
      { id: 'card', name: 'Card', balance: 1000, annual_rate: 0.24, minimum_payment: 50 },
      { id: 'car', name: 'Car', balance: 500, annual_rate: 0.06, minimum_payment: 50 },
    ],
  };
  const a = ls.plan(input);
  assert.equal(a.months_to_debt_free, 6);
  assert.equal(a.debt_free_date, '2025-06-30');
  assert.deepEqual(a.months[0].balances, ['770.00', '452.50']);
  assert.equal(a.baseline.kind, 'paid_off');
  assert.ok(Number(a.interest_saved) > 0);
  const s = ls.plan({ ...input, strategy: 'snowball' });
  assert.ok(Number(s.total_interest) >= Number(a.total_interest));
  assert.throws(() => ls.plan({ ...input, monthly_budget: 10 }), { code: 'validation', field: 'monthly_budget' });
});

test('batch: scheduleSummaries over many loans, errors name the loan', () => {
  const list = [QUICK, { ...QUICK, principal: 100000, installments: 180 }];
  const b = ls.scheduleSummaries(list);
  assert.equal(b.length, 2);
  assert.deepEqual(b.row(0), { installments: 360, regular_payment: '1580.17', total_interest: '318861.58', total_paid: '568861.58' });
  assert.equal(b.installments[1], 180);
  assert.throws(() => ls.scheduleSummaries([QUICK, { ...QUICK, installments: 0 }]), { name: 'ValidationError', field: '[1].installments' });
});

test('errors: classes, code, field and reason', () => {
  const cases = [
    [{ ...QUICK, principal: -1 }, 'principal', 'must be greater than zero'],
    [{ ...QUICK, principal: 'abc' }, 'principal', null],
    [{ ...QUICK, installments: 0 }, 'installments', 'must be between 1 and 1200'],
    [{ ...QUICK, annual_rate_percent: 101 }, 'annual_rate', null],
    [{ ...QUICK, start: '2025-02-30' }, 'start', null],
    [{ ...QUICK, start: undefined }, 'start', 'is required'],
    [{ ...QUICK, frequency: 'hourly' }, 'frequency', null],
    [{ ...QUICK, principal: '100.001' }, 'principal', null],
    [{ ...QUICK, rate_changes: [{ effective: '2024-01-01', annual_rate: 0.05 }] }, 'rate_changes[0].effective', 'must be after the start date'],
  ];
  for (const [input, field, reason] of cases) {
    assert.throws(() => new ls.LoanTerms(input), (e) => {
      assert.ok(e instanceof ls.ValidationError, `${field}: ${e}`);
      assert.ok(e instanceof ls.LoanSyncroError);
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'ValidationError');
      assert.equal(e.code, 'validation');
      assert.equal(e.field, field, e.message);
      if (reason) assert.equal(e.reason, reason);
      assert.equal(e.message, `invalid ${e.field}: ${e.reason}`);
      return true;
    });
  }
  assert.throws(() => new ls.LoanTerms({ ...QUICK, surprise: 1 }), { code: 'validation' });
  assert.throws(() => ls.pmt('0.1', 0, 100), { name: 'ValidationError', field: 'nper' });
  assert.throws(() => ls.pmt('0.1', 1.5, 100), { field: 'nper' });
  assert.throws(() => ls.pmt('x', 10, 100), { field: 'rate' });
  assert.throws(() => ls.pmt(NaN, 10, 100), { field: 'rate' });
  assert.throws(() => ls.pmt(0.1, 10, 100, 0, 'sometimes'), { field: 'when' });
  assert.throws(() => ls.rate(10, 100, 100), (e) => e instanceof ls.NoSolutionError && e.code === 'no_solution');
  assert.throws(() => ls.whatIf(QUICK, { recurring: -5 }), { field: 'recurring' });
});

test('numbers are read as their shortest decimal, never as binary expansions', () => {
  assert.equal(new ls.LoanTerms({ ...QUICK, principal: 1000.1 }).toJSON().principal, '1000.1');
  assert.equal(new ls.LoanTerms({ ...QUICK, annual_rate_percent: 0.1 }).toJSON().annual_rate_percent, '0.1');
  assert.equal(ls.pmt(0, 4, 100), '-25');
  assert.equal(ls.pmt('0', 4, '100', '0', 'begin'), '-25');
  assert.ok(ls.coreVersion().length > 0);
});

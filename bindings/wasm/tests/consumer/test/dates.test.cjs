// JS Dates (issue 18 §3): a Date is accepted wherever a date is (its UTC calendar date, midnight
// UTC only), and results give dates as ISO strings (default) or Dates (`{ dates: 'date' }`).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const ls = require('loansyncro');

const utc = (y, m, d) => new Date(Date.UTC(y, m - 1, d));
const QUICK = { principal: 250000, annual_rate_percent: 6.5, installments: 360, start: '2025-01-01' };

test('a midnight-UTC Date is the same input as its ISO string, everywhere a date is', () => {
  const iso = new ls.LoanTerms(QUICK);
  const dated = new ls.LoanTerms({ ...QUICK, start: utc(2025, 1, 1) });
  assert.deepEqual(dated.toJSON(), iso.toJSON());
  assert.equal(dated.toJSON().start, '2025-01-01');
  // new Date('YYYY-MM-DD') is midnight UTC too (ECMAScript parses a bare date as UTC).
  assert.deepEqual(ls.scheduleColumns({ ...QUICK, start: new Date('2025-01-01') }).toSchedule(), ls.schedule(QUICK));
  // The direct path and the JSON path (a field outside the direct set) both read Dates.
  const viaJson = ls.schedule({ ...QUICK, start: utc(2025, 1, 1), first_due: utc(2025, 2, 15) });
  assert.equal(viaJson.installments[0].due_date, '2025-02-15');
  assert.equal(viaJson.installments[1].due_date, '2025-03-15');
  const changes = new ls.LoanTerms({ ...QUICK, rate_changes: [{ effective: utc(2026, 1, 1), annual_rate: '0.07' }] });
  assert.deepEqual(changes.toJSON().rate_changes, [{ effective: '2026-01-01', annual_rate: '0.07' }]);

  const terms = new ls.LoanTerms({ principal: 1200, annual_rate_percent: 0, installments: 12, start: '2025-01-01' });
  const paidIso = [{ date: '2025-02-01', amount: 100 }, { date: '2025-03-01', amount: '40' }];
  const paidDates = [{ date: utc(2025, 2, 1), amount: 100 }, { date: utc(2025, 3, 1), amount: '40' }];
  assert.deepEqual(terms.position(paidDates, utc(2025, 3, 11)), terms.position(paidIso, '2025-03-11'));
  assert.equal(terms.position(paidDates, utc(2025, 3, 11)).amount_due, '60.00');
  assert.equal(terms.payoffQuote(paidDates, utc(2025, 3, 11)).total, '1060.00');
  assert.deepEqual(terms.payable(paidDates, utc(2025, 4, 1), utc(2025, 4, 1)), terms.payable(paidIso, '2025-04-01', '2025-04-01'));
  assert.throws(() => terms.checkPayment(paidDates, { date: utc(2025, 3, 15), amount: '5000' }), { name: 'OverpaymentError', date: '2025-03-15' });
  const w = terms.whatIf({ lump_sums: [{ date: utc(2025, 6, 1), amount: 300 }] });
  assert.equal(w.installments_saved, 3);
  assert.equal(ls.apr({ advances: [{ date: utc(2025, 1, 1), amount: 1000 }], payments: [{ date: utc(2025, 7, 1), amount: 1050 }], unit_period: 'term' }),
    ls.apr({ advances: [{ date: '2025-01-01', amount: 1000 }], payments: [{ date: '2025-07-01', amount: 1050 }], unit_period: 'term' }));
  const debts = [{ id: 'card', name: 'Card', balance: 1000, annual_rate: 0.24, minimum_payment: 50 }];
  assert.equal(ls.plan({ currency: 'USD', monthly_budget: 300, strategy: 'avalanche', start: utc(2025, 1, 31), debts }).debt_free_date, '2025-04-30');
  assert.deepEqual(ls.scheduleSummaries([{ ...QUICK, start: utc(2025, 1, 1) }]).row(0).regular_payment, '1580.17');

  const p = new ls.Portfolio({ today: utc(2025, 1, 1) });
  assert.equal(p.today, '2025-01-01');
  const v = p.addLoan({ title: 'Car', terms: { ...QUICK, start: utc(2025, 1, 1) } });
  assert.equal(v.loan.terms.start, '2025-01-01');
  p.setToday(utc(2025, 2, 2));
  const r = p.recordRepayment(v.loan.id, { amount: '1580.17', date: utc(2025, 2, 1) });
  assert.equal(r.repayment.date, '2025-02-01');
  assert.equal(p.position(v.loan.id, utc(2025, 2, 2)).installments_paid, 1);
  assert.equal(p.summary(utc(2025, 2, 2)).currencies[0].repayment_count, 1);
});

test('a Date at another time of day, or an invalid Date, is a ValidationError naming the field', () => {
  const berlinMidnight = new Date(Date.UTC(2024, 11, 31, 23)); // new Date(2025, 0, 1) at UTC+1
  assert.throws(() => new ls.LoanTerms({ ...QUICK, start: berlinMidnight }), (e) => {
    assert.ok(e instanceof ls.ValidationError);
    assert.equal(e.field, 'start');
    assert.equal(e.reason, "a Date must be midnight UTC (its UTC calendar date is the date), got 2024-12-31T23:00:00.000Z; use new Date(Date.UTC(year, monthIndex, day)) or a 'YYYY-MM-DD' string");
    return true;
  });
  assert.throws(() => ls.scheduleColumns({ ...QUICK, start: new Date('not a date') }), { name: 'ValidationError', field: 'start', reason: 'is an invalid Date' });
  assert.throws(() => ls.schedule({ ...QUICK, start: new Date(NaN), frequency: 'monthly' }), { name: 'ValidationError', field: 'start', reason: 'is an invalid Date' });
  assert.throws(() => new ls.LoanTerms({ ...QUICK, rate_changes: [{ effective: '2026-01-01', annual_rate: '0.07' }, { effective: new Date(NaN), annual_rate: '0.08' }] }),
    { name: 'ValidationError', field: 'rate_changes[1].effective', reason: 'is an invalid Date' });
  const terms = new ls.LoanTerms(QUICK);
  assert.throws(() => terms.position([{ date: new Date(Date.UTC(2025, 1, 1, 12)), amount: 1 }], '2025-03-01'), { name: 'ValidationError', field: 'payments[0].date' });
  assert.throws(() => terms.position([], new Date(NaN)), { name: 'ValidationError', field: 'as_of', reason: 'is an invalid Date' });
  assert.throws(() => terms.payoffQuote([], new Date(Date.UTC(2025, 1, 1, 0, 0, 0, 1))), { name: 'ValidationError', field: 'on' });
  assert.throws(() => terms.whatIf({ lump_sums: [{ date: new Date(NaN), amount: 1 }] }), { name: 'ValidationError', field: 'extra.lump_sums[0].date' });
  assert.throws(() => ls.scheduleSummaries([QUICK, { ...QUICK, start: new Date(NaN) }]), { name: 'ValidationError', field: '[1].start' });
  assert.throws(() => new ls.Portfolio({ today: new Date(NaN) }), { name: 'ValidationError', field: 'today' });
  assert.throws(() => terms.position([], 20250101), { name: 'ValidationError', field: 'as_of', reason: 'expected an ISO date string (YYYY-MM-DD) or a Date, got number' });
});

test("{ dates: 'date' }: results give Dates at midnight UTC; 'iso' (default) gives strings", () => {
  const terms = new ls.LoanTerms(QUICK, { dates: 'date' });
  const s = terms.schedule();
  assert.ok(s.installments[0].due_date instanceof Date);
  assert.equal(s.installments[0].due_date.getTime(), Date.UTC(2025, 1, 1));
  assert.equal(s.installments[359].due_date.toISOString(), '2055-01-01T00:00:00.000Z');
  assert.deepEqual(s.installments[0], {
    number: 1, due_date: utc(2025, 2, 1), payment: '1580.17', interest: '1354.17', principal: '226.00',
    balance: '249774.00', deferred_interest: '0.00', extra_principal: '0.00', negative_amortization: false,
  });
  const c = terms.scheduleColumns();
  assert.deepEqual(c.row(11).due_date, utc(2026, 1, 1));
  assert.deepEqual(c.record(11).due_date, utc(2026, 1, 1));
  assert.equal(c.dueDate[0], Date.UTC(2025, 1, 1) / 86400000); // the column stays epoch days
  // JSON is the wire form whatever the option.
  assert.equal(JSON.parse(JSON.stringify(c)).installments[0].due_date, '2025-02-01');
  assert.equal(JSON.parse(JSON.stringify(c.row(0))).due_date, '2025-02-01');
  assert.equal(terms.toJSON().start, '2025-01-01');
  assert.deepEqual(terms.with({ installments: 12 }).schedule().installments[11].due_date, utc(2026, 1, 1));
  assert.deepEqual(terms.series()[0], { date: utc(2025, 1, 1), balance: '250000', cumulative_interest: '0', cumulative_principal: '0' });
  const pos = terms.position([{ date: '2025-02-01', amount: '1580.17' }], utc(2025, 2, 15));
  assert.deepEqual(pos.as_of, utc(2025, 2, 15));
  assert.deepEqual(pos.next_due_date, utc(2025, 3, 1));
  assert.deepEqual(terms.payoffQuote([], '2025-01-15').date, utc(2025, 1, 15));
  assert.deepEqual(terms.whatIf({ recurring: 200 }).schedule.row(0).due_date, utc(2025, 2, 1));

  // Free functions: the option as the last argument; LoanTerms keep their own unless overridden.
  assert.deepEqual(ls.schedule(QUICK, { dates: 'date' }).installments[0].due_date, utc(2025, 2, 1));
  assert.equal(ls.schedule(QUICK, { dates: 'iso' }).installments[0].due_date, '2025-02-01');
  assert.equal(ls.schedule(QUICK).installments[0].due_date, '2025-02-01');
  assert.deepEqual(ls.schedule(terms).installments[0].due_date, utc(2025, 2, 1));
  assert.equal(ls.schedule(terms, { dates: 'iso' }).installments[0].due_date, '2025-02-01');
  assert.deepEqual(ls.scheduleColumns({ ...QUICK, frequency: 'monthly' }, { dates: 'date' }).row(0).due_date, utc(2025, 2, 1));
  assert.deepEqual(ls.whatIf(QUICK, { recurring: 200 }, { dates: 'date' }).schedule.record(0).due_date, utc(2025, 2, 1));
  assert.deepEqual(ls.position(QUICK, [], '2025-02-15', { dates: 'date' }).next_due_date, utc(2025, 3, 1));
  const debts = [{ id: 'card', name: 'Card', balance: 1000, annual_rate: 0.24, minimum_payment: 50 }];
  const plan = ls.plan({ currency: 'USD', monthly_budget: 300, strategy: 'avalanche', start: '2025-01-31', debts }, { dates: 'date' });
  assert.deepEqual(plan.debt_free_date, utc(2025, 4, 30));
  assert.deepEqual(plan.months[0].date, utc(2025, 1, 31));
  assert.deepEqual(plan.debts[0].payoff_date, utc(2025, 4, 30));
  assert.deepEqual(plan.baseline.debt_free_date, utc(2027, 2, 28));
  assert.equal(plan.debts[0].name, 'Card');

  const p = new ls.Portfolio({ today: '2025-02-02', dates: 'date' });
  assert.deepEqual(p.today, utc(2025, 2, 2));
  const v = p.addLoan({ title: '2025-01-01', terms: QUICK });
  assert.deepEqual(v.loan.terms.start, utc(2025, 1, 1));
  assert.equal(v.loan.title, '2025-01-01'); // only date fields become Dates
  assert.equal(typeof v.loan.created_at, 'string');
  const r = p.recordRepayment(v.loan.id, { amount: '1580.17', date: '2025-02-01' });
  assert.deepEqual(r.repayment.date, utc(2025, 2, 1));
  assert.deepEqual(r.loan.aggregates.last_payment_date, utc(2025, 2, 1));
  assert.deepEqual(p.listRepayments()[0].date, utc(2025, 2, 1));
  assert.deepEqual(p.position(v.loan.id).next_due_date, utc(2025, 3, 1));

  assert.throws(() => new ls.LoanTerms(QUICK, { dates: 'Date' }), { name: 'ValidationError', field: 'dates', reason: `must be 'iso' or 'date', got "Date"` });
  assert.throws(() => ls.schedule(QUICK, 'date'), { name: 'ValidationError', field: 'options' });
  assert.throws(() => new ls.Portfolio({ dates: true }), { name: 'ValidationError', field: 'dates' });
});

// Portfolio: the in-memory service (embedded facade) through the installed package.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const ls = require('loansyncro');

const car = { title: 'Car', terms: { principal: 1200, annual_rate_percent: 12, installments: 12, start: '2025-01-01' } };

test('loans, repayments, positions, summary, grouped repayments, plan', () => {
  const p = new ls.Portfolio({ today: '2025-01-01' });
  assert.equal(p.today, '2025-01-01');
  const v = p.addLoan(car);
  assert.equal(v.installment, '106.62');
  assert.equal(v.loan.status, 'active');
  const id = v.loan.id;
  const card = p.addLoan({ title: 'Card', terms: { principal: '3000', annual_rate_percent: '24', installments: 24, start: '2025-01-01' } });
  p.setToday('2025-02-01');
  const out = p.recordRepayment(id, { amount: '106.62', date: '2025-02-01', idempotency_key: 'feb' });
  assert.equal(out.position.paid_interest, '12.00');
  assert.equal(out.loan.aggregates.total_repaid, '106.62');
  assert.equal(out.replayed, false);
  assert.equal(p.recordRepayment(id, { amount: '106.62', date: '2025-02-01', idempotency_key: 'feb' }).replayed, true);
  assert.throws(() => p.recordRepayment(id, { amount: 5000, date: '2025-02-01' }), (e) => e instanceof ls.OverpaymentError && e.payoff === '1105.38');
  assert.equal(p.position(id).principal_outstanding, '1105.38');
  const usd = p.summary().currencies[0];
  assert.equal(usd.currency, 'USD');
  assert.deepEqual(usd.counts, { active: 2, paid: 0, defaulted: 0 });
  assert.equal(usd.total_borrowed, '4200');
  assert.equal(usd.total_repaid, '106.62');
  const grouped = p.groupedRepayments();
  assert.equal(grouped.length, 2);
  assert.equal(grouped.find((g) => g.loan_id === id).repayment_count, 1);
  assert.equal(p.listRepayments(id).length, 1);
  assert.equal(p.listLoans({ search: 'card' }).items.length, 1);
  assert.equal(p.listLoans().items.length, 2);
  const a = p.plan({ currency: 'USD', monthly_budget: 400, strategy: 'avalanche' });
  const s = p.plan({ currency: 'USD', monthly_budget: 400, strategy: 'snowball' });
  assert.ok(a.months_to_debt_free > 0);
  assert.equal(a.debts.length, 2);
  assert.ok(Number(a.total_interest) <= Number(s.total_interest));
  assert.equal(p.setDefaulted(card.loan.id).change.to, 'defaulted');
  assert.equal(p.cure(card.loan.id).change.to, 'active');
  assert.ok(p.takeNotifications().some((n) => n.type === 'repayment_recorded'));
  const rid = out.repayment.id;
  assert.equal(p.deleteRepayment(rid).loan.aggregates.repayment_count, 0);
  p.deleteLoan(card.loan.id);
  assert.throws(() => p.getLoan(card.loan.id), (e) => e instanceof ls.NotFoundError && e.code === 'not_found');
});

test('portfolio validation names the field, stale versions conflict', () => {
  const p = new ls.Portfolio({ today: '2025-01-01', user: 'ada' });
  assert.throws(() => p.addLoan({ ...car, title: '  ' }), { name: 'ValidationError', field: 'title' });
  assert.throws(() => p.addLoan({ ...car, terms: { ...car.terms, principal: 0 } }), { name: 'ValidationError', field: 'terms.principal' });
  assert.throws(() => p.addLoan({ ...car, terms: { ...car.terms, start: 'soon' } }), { name: 'ValidationError', field: 'terms.start' });
  const v = p.addLoan(car);
  assert.throws(() => p.recordRepayment(v.loan.id, { amount: 0, date: '2025-02-01' }), { field: 'amount' });
  const updated = p.updateLoan(v.loan.id, { ...car, title: 'Car (blue)' }, v.loan.version);
  assert.equal(updated.loan.title, 'Car (blue)');
  assert.throws(() => p.updateLoan(v.loan.id, car, v.loan.version), (e) => e instanceof ls.ConflictError);
  assert.throws(() => new ls.Portfolio({ today: '2025-13-01' }), { field: 'today' });
});

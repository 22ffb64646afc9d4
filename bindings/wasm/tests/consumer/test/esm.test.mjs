// The ESM entry point (node/index.mjs) exposes the same API with named exports.
import test from 'node:test';
import assert from 'node:assert/strict';
import ls, { LoanTerms, ValidationError, pmt, scheduleColumns } from 'loansyncro';
import { createRequire } from 'node:module';

test('ESM named and default exports', () => {
  const cjs = createRequire(import.meta.url)('loansyncro');
  assert.equal(ls.LoanTerms, cjs.LoanTerms);
  assert.deepEqual(Object.keys(ls).sort(), Object.keys(cjs).sort());
  const terms = new LoanTerms({ principal: '250000', annual_rate_percent: '6.5', installments: 360, start: '2025-01-01' });
  assert.equal(terms.scheduleColumns().regular_payment, '1580.17');
  assert.equal(scheduleColumns(terms).payment[0], 158017);
  assert.equal(pmt('0', 60, '15000'), '-250');
  assert.throws(() => new LoanTerms({ principal: 0, annual_rate_percent: 1, installments: 1, start: '2025-01-01' }), ValidationError);
});

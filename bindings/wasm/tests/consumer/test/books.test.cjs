// loansyncro/books, the optional second module: statement reconciliation, the importers (CSV,
// OFX/QFX, Plaid) on the core's statement fixtures, and postings. Exact values throughout; the
// fixtures hold the first four lines of 10,000.00 at 6% over 12 months from 2025-01-01 with
// interest on Actual/365F, half-up (loansyncro-core/tests/data/statements/README.md).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const ls = require('loansyncro');
const books = require('loansyncro/books');

const STATEMENTS = join(process.env.LOANSYNCRO_VECTORS, '..', 'statements');
const fixture = (name) => readFileSync(join(STATEMENTS, name), 'utf8');
const TERMS = { principal: '10000', annual_rate_percent: '6', installments: 12, start: '2025-01-01' };
const LINES = [
  { date: '2025-02-01', amount: '860.55', interest: '50.96', principal: '809.59', balance: '9190.41' },
  { date: '2025-03-01', amount: '860.55', interest: '42.30', principal: '818.25', balance: '8372.16' },
  { date: '2025-04-01', amount: '860.55', interest: '42.66', principal: '817.89', balance: '7554.27' },
  { date: '2025-05-01', amount: '860.55', interest: '37.25', principal: '823.30', balance: '6730.97' },
];
const validation = (field) => (e) => {
  assert.ok(e instanceof ls.ValidationError, String(e));
  assert.equal(e.field, field, e.message);
  return true;
};

test('reconcile: the lender accrues Actual/365F; every line explained', () => {
  const r = books.reconcile(TERMS, LINES);
  assert.deepEqual(r.convention, {
    day_count: 'actual/365F',
    payment_day_count: null,
    accrual: 'scheduled',
    compounding: 'nominal',
    rounding: 'half_up',
    balance_precision: 'round_each_balance',
  });
  assert.equal(r.explained, true);
  assert.equal(r.lines_matched, 4);
  assert.equal(r.lines_total, 4);
  assert.equal(r.first_unexplained_line, null);
  assert.equal(r.conventions_tried, 224);
  assert.deepEqual(r.lines[1], {
    line: 2,
    date: '2025-03-01',
    amount: '860.55',
    interest: { expected: '42.30', stated: '42.30', difference: '0.00' },
    principal: { expected: '818.25', stated: '818.25', difference: '0.00' },
    balance: { expected: '8372.16', stated: '8372.16', difference: '0.00' },
    matches: true,
  });
  assert.match(r.summary, /reproduces all 4 lines exactly/);
  // LoanTerms objects, numbers and Dates are accepted; the `dates` option applies.
  const dated = books.reconcile(new ls.LoanTerms(TERMS, { dates: 'date' }), LINES.map((l) => ({ ...l, amount: 860.55 })));
  assert.ok(dated.lines[0].date instanceof Date);
  assert.equal(dated.lines[0].date.toISOString(), '2025-02-01T00:00:00.000Z');
  assert.equal(dated.lines_matched, 4);
});

test('reconcile: a perturbed line is the first unexplained one', () => {
  const lines = LINES.map((l) => ({ ...l }));
  lines[2] = { ...lines[2], interest: '42.67', principal: '817.88', balance: '7554.28' };
  const r = books.reconcile(TERMS, lines);
  assert.equal(r.explained, false);
  assert.equal(r.first_unexplained_line, 3);
  // Line 4 matches again: the lender's balance there is the contract's.
  assert.equal(r.lines_matched, 3);
  assert.equal(r.convention.day_count, 'actual/365F');
  assert.deepEqual(r.lines[2].interest, { expected: '42.66', stated: '42.67', difference: '0.01' });
  assert.match(r.summary, /line 3 is the first that cannot be explained/);
});

test('reconcile: errors name the line and field', () => {
  assert.throws(() => books.reconcile(TERMS, [{ date: '2025-02-01', amount: 'x' }]), validation('lines[0].amount'));
  assert.throws(() => books.reconcile(TERMS, [{ date: '2024-12-01', amount: '1' }]), validation('lines[0].date'));
  assert.throws(() => books.reconcile(TERMS, [{ amount: '1' }]), validation('lines[0]'));
  assert.throws(() => books.reconcile(TERMS, []), validation('lines'));
  assert.throws(() => books.reconcile(TERMS, 'x'), validation('lines'));
  assert.throws(() => books.reconcile({ ...TERMS, principal: '-1' }, LINES), validation('principal'));
  assert.throws(() => books.reconcile(null, LINES), validation('terms'));
});

test('importers: CSV, OFX (SGML and XML) and Plaid read the same four lines', () => {
  const csv = books.statementFromCsv(fixture('lender.csv'), {
    date: 'Posting Date', amount: 'Payment', interest: 'Interest', principal: 'Principal',
    balance: 'Principal Balance', date_format: '%m/%d/%Y',
  });
  assert.deepEqual(csv, LINES);
  const sgml = books.statementFromOfx(fixture('lender-sgml.ofx'));
  assert.deepEqual(sgml, LINES);
  assert.deepEqual(books.statementFromOfx(fixture('lender-xml.qfx')), LINES);
  const plaid = books.statementFromPlaid(fixture('plaid-transactions.json'), JSON.parse(fixture('plaid-liabilities.json')));
  assert.deepEqual(plaid.map((l) => [l.date, l.amount]), [
    ['2025-02-01', '860.55'], ['2025-03-01', '860.55'], ['2025-04-01', '860.55'], ['2025-05-01', '860.55'],
  ]);
  assert.equal(books.reconcile(TERMS, csv).explained, true);
  const dated = books.statementFromOfx(fixture('lender-sgml.ofx'), { dates: 'date' });
  assert.equal(dated[0].date.toISOString(), '2025-02-01T00:00:00.000Z');
});

test('importers: errors name the file line, the column or the element', () => {
  const m = { date: 'date', amount: 'paid', interest: 'interest' };
  assert.throws(() => books.statementFromCsv('date,paid,interest\n2025-02-01,100,x1\n', m), validation('csv line 2: interest'));
  assert.throws(() => books.statementFromCsv('date,paid\n2025-02-01,100\n', m), validation('csv line 1: interest'));
  assert.throws(() => books.statementFromCsv('a\n', { date: 'a', colour: 'x' }), validation('mapping'));
  assert.throws(() => books.statementFromCsv('a\n', null), validation('mapping'));
  assert.throws(() => books.statementFromOfx('<OFX><BANKMSGSRSV1></BANKMSGSRSV1></OFX>'), validation('ofx'));
  assert.throws(() => books.statementFromPlaid('{}'), validation('plaid transactions'));
  assert.throws(() => books.statementFromPlaid(7), validation('transactions'));
});

test('postings: balanced legs, escrow on its own leg, the journal as text', () => {
  const terms = { principal: '1000', annual_rate_percent: '12', installments: 12, start: '2025-01-01' };
  const paid = [{ date: '2025-02-01', amount: '88.85', escrow: '25', memo: 'February' }];
  const t = books.postingsRecords(terms, paid, { name: 'Car' });
  assert.equal(t.length, 2);
  assert.deepEqual(t[0], {
    date: '2025-01-01', kind: 'disbursement', pending: false, payee: 'Car', narration: 'Loan disbursement',
    postings: [{ account: 'Assets:Checking', amount: '1000.00' }, { account: 'Liabilities:Loans:Car', amount: '-1000.00' }],
  });
  assert.deepEqual(t[1], {
    date: '2025-02-01', kind: 'repayment', pending: false, payee: 'Car', narration: 'Repayment: February',
    postings: [
      { account: 'Liabilities:Loans:Car', amount: '78.85' },
      { account: 'Expenses:Interest:Car', amount: '10.00' },
      { account: 'Assets:Escrow:Car', amount: '25.00' },
      { account: 'Assets:Checking', amount: '-113.85' },
    ],
  });
  const bean = books.postings(new ls.LoanTerms(terms), paid, { name: 'Car' });
  assert.equal(bean, [
    'option "operating_currency" "USD"',
    '',
    '2025-01-01 open Liabilities:Loans:Car USD',
    '2025-01-01 open Assets:Checking USD',
    '2025-01-01 open Expenses:Interest:Car USD',
    '2025-01-01 open Assets:Escrow:Car USD',
    '',
    '2025-01-01 * "Car" "Loan disbursement"',
    '  Assets:Checking           1000.00 USD',
    '  Liabilities:Loans:Car    -1000.00 USD',
    '',
    '2025-02-01 * "Car" "Repayment: February"',
    '  Liabilities:Loans:Car       78.85 USD',
    '  Expenses:Interest:Car       10.00 USD',
    '  Assets:Escrow:Car           25.00 USD',
    '  Assets:Checking           -113.85 USD',
    '',
    '2025-02-02 balance Liabilities:Loans:Car -921.15 ~ 0.00 USD',
    '',
  ].join('\n'));
  const ledger = books.postings(terms, paid, { name: 'Car', format: 'hledger', accounts: { cash: 'Assets:Bank' } });
  assert.match(ledger, /\n    Assets:Bank {15}-113\.85 USD\n/);
  assert.match(ledger, /\n2025-02-02 \* Car \| Closing balance\n    Liabilities:Loans:Car {8}0\.00 USD = -921\.15 USD\n/);
  const csv = books.postings(terms, paid, { format: 'csv' });
  assert.equal(csv.split('\n')[0], 'date,transaction,status,account,amount,currency,payee,narration');
  // The planned schedule: 13 transactions (disbursement + 12 installments), all pending.
  const planned = books.postingsRecords(terms, [], { scope: 'planned', dates: 'date' });
  assert.equal(planned.length, 13);
  assert.ok(planned.slice(1).every((x) => x.pending && x.kind === 'planned'));
  assert.ok(planned[12].date instanceof Date);
});

test('postings: errors name the repayment, the account, the option', () => {
  const terms = { principal: '1000', annual_rate_percent: '12', installments: 12, start: '2025-01-01' };
  assert.throws(() => books.postings(terms, [{ date: '2025-02-01', amount: '88.85', fees: '-1' }]), validation('repayments[0].fees'));
  assert.throws(() => books.postings(terms, [{ date: '2025-02-01', amount: 'x' }]), validation('repayments[0].amount'));
  assert.throws(() => books.postings(terms, [], { accounts: { cash: 'Checking' } }), validation('accounts.cash'));
  assert.throws(() => books.postings(terms, [], { format: 'xls' }), validation('format'));
  assert.throws(() => books.postings(terms, [], { scope: 'someday' }), validation('scope'));
  assert.throws(() => books.postings(terms, [], { colour: 'red' }), validation('options'));
  assert.throws(() => books.postings(terms, [{ date: '2025-03-01', amount: '5000' }]), ls.OverpaymentError);
});

test('ESM: loansyncro/books has the same named exports', async () => {
  const esm = await import('loansyncro/books');
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), Object.keys(books).sort());
  assert.equal(esm.default.reconcile, books.reconcile);
});

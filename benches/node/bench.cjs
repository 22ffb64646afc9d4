// Side-by-side Node benchmarks (one run, interleaved rounds, medians):
//   loansyncro (Rust core in WASM, exact)  vs  loanjs (floats)  vs  a hand-written decimal.js loop.
// Workloads: one 360-row monthly schedule (250000 at 6.5%), and 10,000 schedules with varied
// principals and rates. Usage: node bench.cjs [--rounds 7] [--quick | --smoke] [--tsv FILE]
//   --smoke: a few hundred calls per contender (seconds; the test suite runs it to keep this
//   file working, its figures are not meaningful); --tsv FILE: also write the summary rows
//   (call, ours in us, peer, peer in us, target) for benches/compare.sh.
'use strict';
const ls = require('loansyncro');
const { Loan } = require('loanjs');
const Decimal = require('decimal.js');

const args = process.argv.slice(2);
const ROUNDS = Number(args[args.indexOf('--rounds') + 1]) || 7;
const SMOKE = args.includes('--smoke');
const QUICK = SMOKE || args.includes('--quick');
const BATCH = SMOKE ? 100 : QUICK ? 1000 : 10000;
const TSV = args.includes('--tsv') ? args[args.indexOf('--tsv') + 1] : null;
const ROUNDS_USED = SMOKE ? 1 : ROUNDS;
const now = () => process.hrtime.bigint();
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// ------------------------------------------------------------ the contenders

const QUICKSTART = { principal: '250000', annual_rate_percent: '6.5', installments: 360, start: '2025-01-01' };

/** Hand-written exact loop with decimal.js: PMT rounded half-up to cents, interest per row
 *  rounded, principal = payment - interest, the last row closes the balance. */
Decimal.set({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
function decimalSchedule(principal, annualPercent, n) {
  const P = new Decimal(principal);
  const r = new Decimal(annualPercent).div(1200);
  const payment = r.isZero() ? P.div(n).toDecimalPlaces(2) : P.mul(r).div(Decimal.sub(1, r.add(1).pow(-n))).toDecimalPlaces(2);
  const rows = new Array(n);
  let balance = P;
  for (let k = 1; k <= n; k++) {
    const interest = balance.mul(r).toDecimalPlaces(2);
    let principalPart = payment.sub(interest);
    if (k === n || principalPart.gt(balance)) principalPart = balance;
    balance = balance.sub(principalPart);
    rows[k - 1] = { number: k, payment: principalPart.add(interest), interest, principal: principalPart, balance };
  }
  return rows;
}

// The view option: columns over the module's memory, valid until the next call (no copy).
const VIEW = { view: true };
const contenders = {
  'loanjs (floats)': (i) => Loan(i.p, i.n, i.r, 'annuity'),
  'decimal.js loop (exact)': (i) => decimalSchedule(i.ps, i.rs, i.n),
  'loansyncro scheduleColumns(input)': (i) => ls.scheduleColumns(i.terms),
  'loansyncro scheduleColumns(input, {view: true})': (i) => ls.scheduleColumns(i.terms, VIEW),
  'loansyncro scheduleColumns(input) (JSON path)': (i) => ls.scheduleColumns(i.termsJson),
  'loansyncro terms.scheduleColumns() (terms prebuilt)': (i) => i.built.scheduleColumns(),
  'loansyncro schedule() (360 plain objects)': (i) => ls.schedule(i.terms),
};

function input(k) {
  // Varied loans: principal 100000..199999, rate 3.00%..8.99%, 360 months.
  const p = 100000 + ((k * 7919) % 100000);
  const cents = 300 + ((k * 37) % 600);
  const r = cents / 100;
  const terms = { principal: String(p), annual_rate_percent: (cents / 100).toFixed(2), installments: 360, start: '2025-01-01' };
  return { p, r, n: 360, ps: String(p), rs: terms.annual_rate_percent, terms };
}

// ------------------------------------------------------------ agreement check (exactness)

// `frequency` at its default is not a field of the direct path: the same terms through JSON.
const base = { p: 250000, r: 6.5, n: 360, ps: '250000', rs: '6.5', terms: QUICKSTART, termsJson: { ...QUICKSTART, frequency: 'monthly' }, built: new ls.LoanTerms(QUICKSTART) };
const cols = ls.scheduleColumns(QUICKSTART);
const dj = decimalSchedule('250000', '6.5', 360);
const lj = Loan(250000, 360, 6.5, 'annuity');
const djInterest = dj.reduce((a, r) => a.add(r.interest), new Decimal(0)).toFixed(2);
console.log('Agreement on 250000 at 6.5% over 360 months:');
console.log(`  loansyncro : payment ${cols.regular_payment}, total interest ${cols.totals.interest}, last balance ${cols.row(359).balance}`);
console.log(`  decimal.js : payment ${dj[0].payment.toFixed(2)}, total interest ${djInterest}, last balance ${dj[359].balance.toFixed(2)}`);
console.log(`  loanjs     : payment ${lj.installments[0].installment}, total interest ${lj.interestSum}, last remain ${lj.installments[359].remain}`);
let mismatches = 0;
const AGREE = SMOKE ? 20 : 200;
for (let k = 0; k < AGREE; k++) {
  const i = input(k);
  const a = ls.scheduleColumns(i.terms);
  const b = decimalSchedule(i.ps, i.rs, i.n);
  for (let j = 0; j < 360; j++) if (ls.formatMinor(a.interest[j], 2) !== b[j].interest.toFixed(2)) { mismatches++; break; }
}
console.log(`  loansyncro vs decimal.js on ${AGREE} varied loans: ${mismatches} schedules differ\n`);

// ------------------------------------------------------------ one schedule

function perSchedule(name, f, n) {
  for (let k = 0; k < Math.min(n, 300); k++) f(base);
  const t0 = now();
  for (let k = 0; k < n; k++) f(base);
  return Number(now() - t0) / n / 1000; // microseconds
}
const ITER = { 'loanjs (floats)': 3000, 'decimal.js loop (exact)': 200, 'loansyncro scheduleColumns(input)': 3000, 'loansyncro scheduleColumns(input, {view: true})': 3000, 'loansyncro scheduleColumns(input) (JSON path)': 3000, 'loansyncro terms.scheduleColumns() (terms prebuilt)': 3000, 'loansyncro schedule() (360 plain objects)': 500 };
const single = {};
for (let round = 0; round < ROUNDS_USED; round++) {
  for (const [name, f] of Object.entries(contenders)) {
    (single[name] ||= []).push(perSchedule(name, f, SMOKE ? 20 : QUICK ? Math.ceil(ITER[name] / 5) : ITER[name]));
  }
}
console.log(`One 360-row schedule (median of ${ROUNDS_USED} rounds):`);
const lj1 = median(single['loanjs (floats)']);
for (const [name, xs] of Object.entries(single)) {
  const m = median(xs);
  console.log(`  ${name.padEnd(52)} ${m.toFixed(2).padStart(9)} us   ${(lj1 / m).toFixed(2)}x loanjs`);
}

// ------------------------------------------------------------ 10,000 schedules

const inputs = Array.from({ length: BATCH }, (_, k) => input(k));
const termsList = inputs.map((i) => i.terms);
const batch = {
  'loanjs (floats)': () => { for (const i of inputs) Loan(i.p, i.n, i.r, 'annuity'); },
  'decimal.js loop (exact)': () => { for (const i of inputs) decimalSchedule(i.ps, i.rs, i.n); },
  'loansyncro scheduleColumns(input) loop': () => { for (const i of inputs) ls.scheduleColumns(i.terms); },
  'loansyncro scheduleSummaries(list) (one call)': () => ls.scheduleSummaries(termsList),
};
const BATCH_ROUNDS = SMOKE ? 1 : QUICK ? 3 : Math.max(3, Math.min(ROUNDS, 5));
const times = {};
for (let round = 0; round < BATCH_ROUNDS; round++) {
  for (const [name, f] of Object.entries(batch)) {
    if (name.startsWith('decimal.js') && round > 0 && !QUICK) continue; // seconds per run: once is enough
    const t0 = now();
    f();
    (times[name] ||= []).push(Number(now() - t0) / 1e6);
  }
}
console.log(`\n${BATCH.toLocaleString('en-US')} schedules of 360 rows (median of ${BATCH_ROUNDS} rounds; decimal.js: 1 round):`);
const ljB = median(times['loanjs (floats)']);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`  ${name.padEnd(52)} ${m.toFixed(1).padStart(9)} ms   ${(ljB / m).toFixed(2)}x loanjs`);
}
if (TSV) {
  // call, loansyncro (us), peer, peer (us), target (us): the rows benches/compare.sh tabulates.
  const us = (ms) => ms * 1000;
  const rows = [
    ['WASM scheduleColumns 360 rows', median(single['loansyncro scheduleColumns(input)']), 'loanjs', lj1, 5],
    ['WASM scheduleColumns 360 rows, view: true', median(single['loansyncro scheduleColumns(input, {view: true})']), 'loanjs', lj1, 5],
    ['WASM scheduleColumns 360 rows, JSON path', median(single['loansyncro scheduleColumns(input) (JSON path)']), 'loanjs', lj1, ''],
    ['WASM terms.scheduleColumns() prebuilt', median(single['loansyncro terms.scheduleColumns() (terms prebuilt)']), 'loanjs', lj1, ''],
    [`WASM ${BATCH} schedules, scheduleSummaries`, us(median(times['loansyncro scheduleSummaries(list) (one call)'])), 'loanjs', us(ljB), ''],
  ];
  require('node:fs').writeFileSync(TSV, rows.map((r) => r.join('\t')).join('\n') + '\n');
}
console.log(`\nNode ${process.version}, ${require('node:os').cpus().length} CPUs, load average ${require('node:os').loadavg().map((x) => x.toFixed(1)).join(' ')}`);

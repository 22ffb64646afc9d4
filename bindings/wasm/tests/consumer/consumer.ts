// A small TypeScript consumer: must compile with `tsc --noEmit --strict` against the package's
// declarations (no `any` leaks: every value below has a precise type).
import {
  LoanTerms,
  LoanSyncroError,
  ValidationError,
  OverpaymentError,
  pmt,
  cumipmt,
  apr,
  plan,
  scheduleSummaries,
  schedule,
  Portfolio,
  type PortfolioSummary,
  type RepaymentOutcome,
  type Decimal,
  type Installment,
  type LoanTermsInput,
  type LoanTermsWire,
  type PlanResult,
  type Position,
  type ScheduleColumns,
  type WhatIf,
  scheduleColumns,
} from 'loansyncro';
import {
  reconcile,
  statementFromCsv,
  postings,
  postingsRecords,
  type Reconciliation,
  type StatementLine,
  type JournalTransaction,
  enterFromCurrent,
  enterMidTerm,
  renew,
  timeline,
  correctedPosition,
  compareBiweekly,
  correctedPostings,
  type Timeline,
  type BiweeklyComparison,
} from 'loansyncro/books';

const input: LoanTermsInput = {
  principal: 250000,
  annual_rate_percent: '6.5',
  installments: 360,
  start: '2025-01-01',
  frequency: 'monthly',
  day_count: '30/360',
  method: 'equal_installments',
};
const terms = new LoanTerms(input);
const columns: ScheduleColumns = terms.scheduleColumns();
const firstPaymentCents: number = columns.payment[0];
const paymentsAsFloats: Float64Array = columns.amounts('payment');
// @ts-expect-error: due dates are not a money column
columns.amounts('dueDate');
const first: Readonly<Installment> = columns.row(0);
const due: string = first.due_date;
const payment: Decimal = terms.schedule().regular_payment;
const rows: Installment[] = terms.schedule().installments;
const faster: WhatIf = terms.whatIf({ recurring: 200, lump_sums: [{ date: '2026-01-01', amount: '5000' }] });
const saved: number = faster.installments_saved;
const pos: Position = terms.position([{ date: '2025-02-01', amount: '1580.17' }], '2025-02-15');
const next: string | null = pos.next_due_date;
const aprPercent: Decimal = terms.apr(3000);
const payment2: Decimal = pmt(0.065 / 12, 360, 250000);
const interest: Decimal = cumipmt('0.0075', 360, 125000, 13, 24, 'end');
const flowsApr: Decimal = apr({
  advances: [{ date: '2025-01-01', amount: 1000 }],
  payments: [{ date: '2025-07-01', amount: 1050 }],
  unit_period: 'term',
});
const p: PlanResult = plan({
  currency: 'USD',
  monthly_budget: 300,
  strategy: 'avalanche',
  start: '2025-01-31',
  debts: [{ id: 'card', name: 'Card', balance: 1000, annual_rate: 0.24, minimum_payment: 50 }],
});
const months: number = p.months_to_debt_free;
const baselineMonths: number | null = p.baseline.kind === 'paid_off' ? p.baseline.months : null;
const batch = scheduleSummaries([input, { ...input, principal: 100000 }]);
const totalInterestCents: number = batch.totalInterest[1];

const portfolio = new Portfolio({ today: '2025-01-01' });
const view = portfolio.addLoan({ title: 'Car', terms: input });
const outcome: RepaymentOutcome = portfolio.recordRepayment(view.loan.id, { amount: '1580.17', date: '2025-02-01' });
const summary: PortfolioSummary = portfolio.summary();
const outstanding: string | undefined = summary.currencies[0]?.principal_outstanding;
console.log(outcome.replayed, outstanding, portfolio.plan({ currency: 'USD', monthly_budget: 2000, strategy: { custom: [view.loan.id] } }).months_to_debt_free);

try {
  new LoanTerms({ ...input, principal: -1 });
} catch (e) {
  if (e instanceof ValidationError) {
    const field: string = e.field;
    const reason: string = e.reason;
    console.log(field, reason);
  } else if (e instanceof OverpaymentError) {
    const payoff: Decimal = e.payoff;
    console.log(payoff);
  } else if (e instanceof LoanSyncroError) {
    const code: 'validation' | 'no_solution' | 'overflow' | 'not_found' | 'conflict' | 'invalid_transition' | 'overpayment' | 'storage' | 'internal' = e.code;
    console.log(code);
  }
}

// Dates: a JS Date is accepted wherever a date is; `{ dates: 'date' }` gives Dates in results.
const datedTerms = new LoanTerms({ ...input, start: new Date(Date.UTC(2025, 0, 1)) }, { dates: 'date' });
const dueAsDate: Date = datedTerms.schedule().installments[0].due_date;
const rowDue: Date = datedTerms.scheduleColumns().row(0).due_date;
const nextDue: Date | null = datedTerms.position([{ date: new Date('2025-02-01'), amount: 1580.17 }], new Date('2025-02-15')).next_due_date;
const freeDue: Date = schedule(input, { dates: 'date' }).installments[0].due_date;
const isoDue: string = schedule(input).installments[0].due_date;
const inherited: Date = schedule(datedTerms).installments[0].due_date;
const planDate: Date = plan({ currency: 'USD', monthly_budget: 300, strategy: 'avalanche', start: new Date('2025-01-31'), debts: [] }, { dates: 'date' }).debt_free_date;
const datedPortfolio = new Portfolio({ today: new Date('2025-01-01'), dates: 'date' });
const todayDate: Date = datedPortfolio.today;
const wireStart: string = datedTerms.toJSON().start;
// @ts-expect-error: 'iso' results have string dates
const notADate: Date = terms.schedule().installments[0].due_date;
// @ts-expect-error: only 'iso' or 'date'
new LoanTerms(input, { dates: 'string' });
console.log(dueAsDate, rowDue, nextDue, freeDue, isoDue, inherited, planDate, todayDate, wireStart, notADate);

// @ts-expect-error: rows are read-only views
first.payment = '1';
// @ts-expect-error: an unknown frequency is a type error
new LoanTerms({ ...input, frequency: 'hourly' });

console.log(firstPaymentCents, paymentsAsFloats[0], due, payment, rows.length, saved, next, aprPercent, payment2, interest, flowsApr, months, baselineMonths, totalInterestCents);

// The view option of scheduleColumns.
const viewed: Float64Array = scheduleColumns(input, { view: true }).payment;
// @ts-expect-error: view is a boolean
scheduleColumns(input, { view: 'yes' });

// loansyncro/books: statement reconciliation, importers, postings.
const lines: StatementLine[] = statementFromCsv('Date,Paid\n2025-02-01,1580.17\n', { date: 'Date', amount: 'Paid' });
const report: Reconciliation = reconcile(terms, lines);
const firstUnexplained: number | null = report.first_unexplained_line;
const dayCount: string = report.convention.day_count;
const lineDate: Date = reconcile(datedTerms, [{ date: new Date(Date.UTC(2025, 1, 1)), amount: 1580.17 }]).lines[0].date;
const journal: string = postings(terms, [{ date: '2025-02-01', amount: '1580.17', escrow: '250' }], { format: 'hledger', name: 'Home' });
const legs: JournalTransaction[] = postingsRecords(input, [], { scope: 'planned' });
// @ts-expect-error: an unknown postings format
postings(terms, [], { format: 'xls' });
console.log(viewed[0], firstUnexplained, dayCount, lineDate, journal, legs[0].postings[0].amount);

// loansyncro/books: real-life events (entered mid-term, renewals, corrections, biweekly).
const entered: LoanTermsWire = enterFromCurrent({ balance: '182450.17', annual_rate_percent: 5.25, payment: '1325.00', next_due: '2026-03-01' });
const renewed: LoanTermsWire = renew(enterMidTerm(input, { date: '2026-01-15', balance: '9000' }), { effective: '2027-01-01', annual_rate_percent: '7', term_installments: 12 });
const line: Timeline<'date'> = timeline(datedTerms, { dates: 'date' });
const segmentEnd: Date | undefined = line.segments[0]?.last_due;
const history: string = timeline(renewed).history;
const corrected: string = correctedPosition(entered, [{ date: '2026-03-01', amount: '1325.00' }], [{ date: '2026-03-10', stated_balance: '181000' }], '2026-04-01').adjustments_total;
const biweekly: BiweeklyComparison = compareBiweekly(terms, { day_count: '30/360' });
const adjusted: string = correctedPostings(terms, [], [], { format: 'csv', adjustments_account: 'Equity:Lender' });
// @ts-expect-error: renew takes the effective date
renew(terms, { annual_rate_percent: '6' });
console.log(entered.opening?.balance, segmentEnd, history, corrected, biweekly.accelerated.interest_saved, adjusted);

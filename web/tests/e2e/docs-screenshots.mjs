// Screenshots of the main pages for the README (web/docs/*.png), on realistic data seeded through
// the API. Not a test: run it by hand against a running preview/dev server and local server:
//   BASE_URL=http://127.0.0.1:5173 node tests/e2e/docs-screenshots.mjs
import { join } from 'node:path';
import { LoanTerms } from 'loansyncro';
import { launch, newPage } from './helpers.mjs';

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:5173').replace(/\/$/, '');
const OUT = process.env.OUT ?? join(process.cwd(), 'docs');
const api = `${BASE_URL}/api`;

async function post(path, body, token) {
  const res = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(`${path}: ${JSON.stringify(data)}`);
  return data;
}

function monthsBack(n, day) {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - n);
  d.setUTCDate(day);
  return d.toISOString().slice(0, 10);
}

const email = `demo-${Date.now()}@example.com`;
const password = 'Correct-Horse-9';
const signUp = await post('/dev/auth/sign-up', { name: 'Grace Hopper', email, password });
await post('/dev/auth/confirm', { email, code: signUp.dev_code });
const { id_token: token } = await post('/dev/auth/sign-in', { email, password });

async function loan(input, payments) {
  const l = await post('/loans', input, token);
  for (const [date, amount] of payments) await post('/repayments', { loan_id: l.id, date, amount }, token);
  return l;
}
// Every installment due by today is paid (the amounts come from the WASM core).
function paid(input, count) {
  const terms = new LoanTerms({ principal: input.amount, annual_rate_percent: input.interest_rate, installments: input.term_months, start: input.start_date, ...(input.terms ?? {}) });
  return terms.schedule().installments.slice(0, count).map((i) => [i.due_date, i.payment]);
}
const mortgageInput = { title: 'Home mortgage', amount: '250000', interest_rate: '6.5', term_months: 360, start_date: monthsBack(14, 1), description: 'Fixed rate, 30 years' };
const mortgage = await loan(mortgageInput, paid(mortgageInput, 14));
const car = { title: 'Car loan', amount: '18000', interest_rate: '4.9', term_months: 60, start_date: monthsBack(5, 15) };
await loan(car, paid(car, 4));
const student = { title: 'Student loan', amount: '12000', interest_rate: '3.2', term_months: 120, start_date: monthsBack(30, 10), terms: { currency: 'EUR' } };
await loan(student, paid(student, 29));
const laptop = { title: 'Laptop', amount: '1500', interest_rate: '0', term_months: 3, start_date: monthsBack(4, 20) };
await loan(laptop, paid(laptop, 3));

const browser = await launch();
async function page(width, height) {
  const p = await newPage(browser, width, height);
  await p.page.goto(`${BASE_URL}/login`);
  await p.page.evaluate((t) => localStorage.setItem('loansyncro.dev.idToken', t), token);
  return p;
}
const shots = [];
async function snap(p, name, full = false) {
  const path = join(OUT, `${name}.png`);
  await p.screenshot({ path, fullPage: full });
  shots.push(path);
}

{
  const { context, page: p } = await newPage(browser, 1280, 800);
  await p.goto(`${BASE_URL}/register`);
  await p.getByLabel('Full name').fill('Grace Hopper');
  await p.getByLabel('E-mail').fill('grace@example.com');
  await p.getByLabel('Password', { exact: true }).fill('Cobol-1959');
  await snap(p, 'register');
  await context.close();
}
{
  const { context, page: p } = await page(1280, 900);
  await p.goto(`${BASE_URL}/`);
  await p.getByTestId('whatif-result').getByText(/sooner/).waitFor();
  await p.waitForTimeout(300);
  await snap(p, 'dashboard');
  await p.goto(`${BASE_URL}/loans`);
  await p.getByTestId('loan-row').nth(3).waitFor();
  await snap(p, 'loans');
  await p.goto(`${BASE_URL}/loans/${mortgage.id}`);
  await p.getByTestId('charts').locator('canvas').nth(2).waitFor();
  await p.waitForTimeout(300);
  await snap(p, 'loan-detail');
  await p.getByTestId('charts').scrollIntoViewIfNeeded();
  await p.evaluate(() => window.scrollBy(0, -80));
  await snap(p, 'loan-charts');
  await p.goto(`${BASE_URL}/loans/new`);
  await p.getByLabel('Title').fill('Boat');
  await p.getByLabel(/Amount borrowed/).fill('45000');
  await p.getByLabel('Annual interest rate (%)').fill('7.25');
  await p.getByLabel('Term (months)').fill('84');
  await p.getByText('More options').click();
  await p.getByTestId('preview-payment').waitFor();
  await snap(p, 'loan-form');
  await p.goto(`${BASE_URL}/repayments`);
  await p.getByTestId('group').nth(3).waitFor();
  await snap(p, 'repayments');
  await context.close();
}
{
  const { context, page: p } = await page(390, 844);
  await p.goto(`${BASE_URL}/`);
  await p.getByTestId('whatif-result').getByText(/sooner/).waitFor();
  await snap(p, 'dashboard-390');
  await p.goto(`${BASE_URL}/loans/${mortgage.id}`);
  await p.getByTestId('position').waitFor();
  await snap(p, 'loan-detail-390');
  await context.close();
}
await browser.close();
console.log(shots.join('\n'));

// The app end to end in headless Chromium against the local server (memory store, development
// identity): register -> verify -> log in -> add a loan -> schedule and charts -> repayments until
// paid (status and dashboard update) -> delete a repayment (active again) -> search -> log out,
// at 1280 px and at 390 px; a form with bad input shows field errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { amountOf, assertNoHorizontalScroll, axe, BASE_URL, isoDaysAgo, launch, newPage, shot, SHOTS } from './helpers.mjs';

const PASSWORD = 'Correct-Horse-9';
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function nav(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
}

async function register(page, email, name, tag) {
  await page.goto(`${BASE_URL}/register`);
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('short');
  assert.match(await page.locator('#policy').innerText(), /At least 12 characters/);
  await page.getByRole('button', { name: 'Create account' }).click();
  assert.match(await page.locator('[data-field-error]').first().innerText(), /does not meet every requirement/);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await axe(page, `register ${tag}`);
  await shot(page, `register-${tag}`);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/verify\?email=/);
  const notice = await page.getByTestId('notice').innerText();
  const code = /code is (\d{6})/.exec(notice)?.[1];
  assert.ok(code, `no development code in "${notice}"`);
  await page.getByLabel('Verification code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByText('This code is not valid').waitFor();
  await page.getByLabel('Verification code').fill(code);
  await shot(page, `verify-${tag}`);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(/\/login/);
  assert.match(await page.getByTestId('notice').innerText(), /verified/);
}

async function logInWithKeyboard(page, email, tag) {
  // Keyboard only: the e-mail is prefilled from the verify step; tab to the password, Enter submits.
  assert.equal(await page.getByLabel('E-mail').inputValue(), email);
  await page.getByLabel('E-mail').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.type('wrong-Password-1');
  await page.keyboard.press('Enter');
  await page.getByText('Incorrect e-mail or password.').waitFor();
  await page.getByLabel('Password').fill('');
  await page.getByLabel('Password').focus();
  await page.keyboard.type(PASSWORD);
  await axe(page, `login ${tag}`);
  await shot(page, `login-${tag}`);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${BASE_URL}/`);
  await page.getByTestId('empty').waitFor();
}

async function addLoan(page, { title, amount, rate, term, start }, tag, shots = true) {
  await page.goto(`${BASE_URL}/loans/new`);
  await page.getByLabel('Title').fill(title);
  await page.getByLabel(/Amount borrowed/).fill(amount);
  await page.getByLabel('Annual interest rate (%)').fill(rate);
  await page.getByLabel('Term (months)').fill(term);
  await page.getByLabel('Start date').fill(start);
  // The payment is computed as the user types (WASM): no request is needed.
  const payment = await page.getByTestId('preview-payment').innerText();
  assert.match(payment, /^\$[\d,]+\.\d\d$/);
  if (shots) {
    if (page.viewportSize().width < 500) await assertNoHorizontalScroll(page, `loan form ${tag}`);
    await axe(page, `loan form ${tag}`);
    await shot(page, `loan-form-${tag}`);
  }
  await page.getByRole('button', { name: 'Add loan' }).click();
  await page.waitForURL(/\/loans\/[^/]+$/);
  await page.getByRole('heading', { name: new RegExp(title) }).waitFor();
  return payment;
}

async function flow(width, height, tag) {
  const { context, page, errors } = await newPage(browser, width, height);
  try {
    await steps(page, errors, width, tag);
  } catch (e) {
    await page.screenshot({ path: `${SHOTS}/failure-${tag}.png`, fullPage: true });
    throw e;
  } finally {
    await context.close();
  }
}

async function steps(page, errors, width, tag) {
  const email = `e2e-${tag}-${Date.now()}@example.com`;
  await register(page, email, 'Ada Lovelace', tag);
  await logInWithKeyboard(page, email, tag);
  if (width < 500) await assertNoHorizontalScroll(page, `dashboard ${tag}`);

  // Add a loan that started two months ago: three monthly payments of 1000 at 6 %.
  const payment = await addLoan(page, { title: 'Car loan', amount: '3000', rate: '6', term: '3', start: isoDaysAgo(62) }, tag);
  assert.equal(await page.getByTestId('payment').innerText(), payment);
  await page.getByTestId('schedule').locator('tbody tr[aria-rowindex]').first().waitFor();
  assert.equal(await page.getByTestId('schedule').locator('tbody tr[aria-rowindex]').count(), 3);
  assert.equal(await page.getByTestId('charts').locator('canvas').count(), 3);
  await axe(page, `loan detail ${tag}`);
  await shot(page, `loan-detail-${tag}`);
  await page.getByTestId('charts').scrollIntoViewIfNeeded();
  await shot(page, `loan-charts-${tag}`);

  if (width > 500) {
    // Edit: the form opens with the loan's values; the new title is saved.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.waitForURL(/\/edit$/);
    assert.equal(await page.getByLabel(/Amount borrowed/).inputValue(), '3000');
    await page.getByLabel('Title').fill('Car loan (Ford)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: /Car loan \(Ford\)/ }).waitFor();
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Title').fill('Car loan');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: /^Car loan/ }).waitFor();
    await page.waitForURL(/\/loans\/[^/]+$/);
    // Status by hand: defaulted, then active again (cured).
    await page.getByRole('button', { name: 'Mark as defaulted' }).click();
    await page.locator('h1 [data-status="defaulted"]').waitFor();
    await page.getByRole('button', { name: 'Mark as active' }).click();
    await page.locator('h1 [data-status="active"]').waitFor();
  }

  // CSV download computed in the browser.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  assert.equal(download.suggestedFilename(), 'car-loan-schedule.csv');

  // Repayment 1: the suggested amount (what is due).
  await page.getByRole('button', { name: 'Record repayment' }).click();
  await page.getByTestId('loan-message').getByText('Repayment saved').waitFor();
  await page.getByTestId('repayment-row').first().waitFor();
  // Repayment 2: more than the payoff is refused next to the amount, in words.
  const payoff = amountOf(await page.getByTestId('position').locator('dt:text-is("Payoff today") + dd').innerText());
  await page.locator('#new-repayment-amount').fill((Number(payoff) + 100).toFixed(2));
  await page.getByRole('button', { name: 'Record repayment' }).click();
  await page.getByText(/This is more than the \$[\d,.]+ needed to pay the loan off/).waitFor();
  // Repayment 2: the payoff amount -> paid.
  await page.locator('#new-repayment-amount').fill(payoff);
  await page.getByRole('button', { name: 'Record repayment' }).click();
  await page.getByText('The loan is now paid off.').waitFor();
  assert.equal(await page.locator('h1 [data-status]').getAttribute('data-status'), 'paid');
  assert.equal(await page.getByTestId('repayment-row').count(), 2);
  await shot(page, `loan-paid-${tag}`);
  if (width < 500) await assertNoHorizontalScroll(page, `loan detail ${tag}`);

  // Dashboard: the loan counts as paid, everything repaid.
  await nav(page, 'Dashboard').click();
  await page.getByTestId('totals-USD').waitFor();
  assert.equal(await page.getByTestId('loan-counts').innerText(), '0 active, 1 paid');
  assert.equal(await page.getByTestId('outstanding').innerText(), '$0.00');
  await axe(page, `dashboard ${tag}`);
  await shot(page, `dashboard-paid-${tag}`);

  // Repayments page: delete the last repayment -> active again.
  await nav(page, 'Repayments').click();
  await page.getByTestId('group').first().waitFor();
  await axe(page, `repayments ${tag}`);
  await page.getByRole('button', { name: /Delete the repayment of .* on Car loan/ }).last().click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete the repayment' }).click();
  await page.getByTestId('repayments-message').getByText('“Car loan” is active again').waitFor();
  await page.getByTestId('group').locator('[data-status="active"]').waitFor();
  await shot(page, `repayments-${tag}`);
  if (width < 500) await assertNoHorizontalScroll(page, `repayments ${tag}`);

  // Dashboard again: active, something outstanding; the what-if answers.
  await nav(page, 'Dashboard').click();
  await page.getByTestId('totals-USD').waitFor();
  assert.equal(await page.getByTestId('loan-counts').innerText(), '1 active, 0 paid');
  assert.notEqual(await page.getByTestId('outstanding').innerText(), '$0.00');
  await page.getByTestId('next-payments').waitFor();
  await page.getByTestId('whatif-result').getByText(/sooner, saving/).waitFor();
  await shot(page, `dashboard-${tag}`);
  if (width < 500) await assertNoHorizontalScroll(page, `dashboard ${tag}`);

  // A second loan (360 payments: the schedule table is virtualized), then search.
  await addLoan(page, { title: 'House mortgage', amount: '250000', rate: '6.5', term: '360', start: '2025-01-01' }, tag, false);
  assert.equal(await page.getByTestId('payment').innerText(), '$1,580.17');
  const rendered = await page.getByTestId('schedule').locator('tbody tr[aria-rowindex]').count();
  assert.ok(rendered > 5 && rendered < 60, `virtualized: ${rendered} rows in the DOM of 360`);
  await page.getByTestId('schedule').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await page.getByTestId('schedule').locator('tr[aria-rowindex="361"]').waitFor();
  await nav(page, 'My loans').click();
  await page.getByTestId('loan-row').nth(1).waitFor();
  await axe(page, `my loans ${tag}`);
  await shot(page, `loans-${tag}`);
  await page.getByLabel('Search by title').fill('car');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="loan-row"]').length === 1);
  assert.match(await page.getByTestId('loan-row').innerText(), /Car loan/);
  await page.getByLabel('Search by title').fill('zzz');
  await page.getByTestId('empty').getByText('No loan has “zzz” in its title.').waitFor();
  if (width < 500) await assertNoHorizontalScroll(page, `loans ${tag}`);

  // Log out: back to the log-in screen; the app is closed until the next log-in.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/login/);
  await page.getByTestId('notice').getByText('You are logged out.').waitFor();
  await page.goto(`${BASE_URL}/loans`);
  await page.waitForURL(/\/login\?next=%2Floans/);
  assert.deepEqual(errors, []);
}

describe('LoanSyncro web app', () => {
  it('paints the first screen in under a second', async () => {
    const { context, page } = await newPage(browser, 1280, 900);
    await page.goto(`${BASE_URL}/login`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    const ready = await page.evaluate(() => performance.getEntriesByName('loansyncro:first-screen')[0]?.startTime ?? -1);
    console.log(`first contentful paint ${Math.round(fcp)} ms; log-in screen rendered at ${Math.round(ready)} ms`);
    assert.ok(fcp > 0 && fcp < 1000, `first contentful paint ${fcp} ms`);
    assert.ok(ready > 0 && ready < 1000, `log-in screen rendered at ${ready} ms`);
    await context.close();
  });

  it('full flow at 1280 px', async () => {
    await flow(1280, 900, '1280');
  });

  it('full flow at 390 px', async () => {
    await flow(390, 844, '390');
  });

  it('a form with bad input shows field errors, in words', async () => {
    const { context, page } = await newPage(browser, 1280, 900);
    const email = `e2e-bad-${Date.now()}@example.com`;
    await register(page, email, 'Bad Input', 'bad');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${BASE_URL}/`);
    await page.goto(`${BASE_URL}/loans/new`);
    await page.getByLabel(/Amount borrowed/).fill('12abc');
    await page.getByLabel('Annual interest rate (%)').fill('6.5');
    await page.getByLabel('Term (months)').fill('12.5');
    await page.getByRole('button', { name: 'Add loan' }).click();
    await page.locator('[data-field-error]').getByText('Enter a title.').waitFor();
    const errs = await page.locator('[data-field-error]').allInnerTexts();
    assert.deepEqual(errs, ['Enter a title.', 'Enter an amount such as 25000 or 25000.50.', 'Enter a whole number of payments, such as 360.']);
    assert.equal(await page.locator(':focus').getAttribute('name'), 'title');
    await page.getByTestId('preview-empty').waitFor();
    await axe(page, 'loan form with errors');
    await shot(page, 'loan-form-errors');
    // A value the core refuses (rate above 100 %) is shown on its field as the user types.
    await page.getByLabel('Title').fill('Bad');
    await page.getByLabel(/Amount borrowed/).fill('1000');
    await page.getByLabel('Term (months)').fill('12');
    await page.getByLabel('Annual interest rate (%)').fill('150');
    await page.getByText('Enter the rate in percent (at most 100).').waitFor();
    // An API validation error (here a parser message) is shown next to its field in words.
    await page.route('**/api/loans', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'validation', message: 'invalid type: string "x", expected u32 at line 1 column 40', field: 'term_months' } }),
      }),
    );
    await page.getByLabel('Annual interest rate (%)').fill('5');
    await page.getByRole('button', { name: 'Add loan' }).click();
    await page.locator('[data-field-error]').getByText('Enter a whole number of payments, such as 360.').waitFor();
    assert.equal(await page.getByText('expected u32').count(), 0);
    await context.close();
  });
});

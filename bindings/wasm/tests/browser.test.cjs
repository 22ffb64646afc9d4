// Browser test of examples/web against the packed package: Debian's Chromium driven headless
// by playwright-core (never downloads a browser). Expects the static server to run already:
//   BASE_URL=http://127.0.0.1:PORT/ SCREENSHOT=path.png node bindings/wasm/tests/browser.test.cjs
// (scripts/suites/30-wasm.sh starts examples/web/serve.mjs and stops it by PID.)
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');

const BASE_URL = process.env.BASE_URL;
const SCREENSHOT = process.env.SCREENSHOT || 'web-page.png';

test('the example page computes the core numbers and shows validation messages', async () => {
  assert.ok(BASE_URL, 'BASE_URL is required');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    await page.goto(BASE_URL);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });

    // Fill the form: 250000 at 6.5% over 360 months.
    await page.fill('#principal', '250000');
    await page.fill('#rate', '6.5');
    await page.fill('#term', '360');
    await page.fill('#start', '2025-01-01');
    await page.fill('#extra', '0');
    await page.click('#calculate');
    assert.equal(await page.textContent('#payment'), '1,580.17');
    assert.equal(await page.textContent('#total-interest'), '318,861.58');
    assert.equal(await page.textContent('#total-paid'), '568,861.58');
    const first = await page.$$eval('#schedule tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(first, ['1', '2025-02-01', '1,580.17', '1,354.17', '226.00', '0.00', '249,774.00']);
    assert.equal(await page.$$eval('#schedule tbody tr', (trs) => trs.length), 360);
    const last = await page.$$eval('#schedule tbody tr:last-child td', (tds) => tds.map((td) => td.textContent));
    assert.equal(last[6], '0.00');
    assert.equal(await page.$$eval('#chart svg path', (ps) => ps.length), 3);

    // The payoff-plan comparison rendered avalanche, snowball and minimums only.
    const plans = await page.$$eval('#plans tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(plans, ['avalanche', 'snowball', 'minimums only']);

    // An extra payment: the what-if line and the shorter schedule.
    await page.fill('#extra', '200');
    await page.click('#calculate');
    assert.match(await page.textContent('#what-if'), /^95 installments sooner, 97,618\.44 less interest/);
    assert.equal(await page.$$eval('#schedule tbody tr', (trs) => trs.length), 265);
    assert.equal(await page.$$eval('#chart svg path', (ps) => ps.length), 4);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Validation: the library's message next to the field.
    await page.fill('#principal', '-5');
    await page.click('#calculate');
    assert.equal(await page.textContent('[data-error-for="principal"]'), 'must be greater than zero');
    assert.equal(await page.getAttribute('#principal', 'aria-invalid'), 'true');
    await page.fill('#principal', '250000');
    await page.fill('#term', '0');
    await page.click('#calculate');
    assert.equal(await page.textContent('[data-error-for="principal"]'), '');
    assert.equal(await page.textContent('[data-error-for="term"]'), 'must be between 1 and 1200');
    await page.fill('#term', '360');
    await page.fill('#rate', '120');
    await page.click('#calculate');
    assert.match(await page.textContent('[data-error-for="rate"]'), /at most 100%/);
    await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-validation.png'), fullPage: false });

    // The optional loansyncro/books module in the browser: reconciliation, postings, its errors
    // being the main entry's classes.
    const books = await page.evaluate(async () => {
      const b = await import('/loansyncro/web/books.js');
      const main = await import('/loansyncro/web/index.js');
      const terms = { principal: '10000', annual_rate_percent: '6', installments: 12, start: '2025-01-01' };
      const line = (date, interest, principal, balance) => ({ date, amount: '860.55', interest, principal, balance });
      const r = b.reconcile(terms, [
        line('2025-02-01', '50.96', '809.59', '9190.41'),
        line('2025-03-01', '42.30', '818.25', '8372.16'),
        line('2025-04-01', '42.66', '817.89', '7554.27'),
      ]);
      const journal = b.postings(terms, [{ date: '2025-02-01', amount: '860.55' }], { format: 'ledger', name: 'Car' });
      let error = null;
      try {
        b.reconcile(terms, []);
      } catch (e) {
        error = [e instanceof main.ValidationError, e.field];
      }
      // A real-life event: a Canadian renewal (5 years at 6%) in the mortgage's timeline.
      const mortgage = { principal: '400000', annual_rate_percent: '4.5', installments: 300, start: '2020-01-01' };
      const renewed = b.timeline(b.renew(mortgage, { effective: '2025-01-01', annual_rate_percent: '6', term_installments: 60 }));
      return [r.convention.day_count, r.explained, r.lines[1].interest.expected, journal.split('\n')[0], error, renewed.recasts[0].payment];
    });
    assert.deepEqual(books, ['actual/365F', true, '42.30', 'commodity 1000.00 USD', [true, 'lines'], '2517.77']);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

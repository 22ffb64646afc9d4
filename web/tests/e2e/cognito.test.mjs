// The same account screens with "auth": "cognito": amazon-cognito-identity-js against moto's
// Cognito emulation (sign-up, confirmation, SRP sign-in), and the API (a server configured with
// the moto pool) accepting the id token. Runs when COGNITO_POOL_ID, COGNITO_CLIENT_ID, MOTO_URL and
// COGNITO_API_URL are set (scripts/suites/70-web.sh sets them); skipped otherwise.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { axe, BASE_URL, launch, newPage, shot } from './helpers.mjs';

const env = process.env;
const ready = Boolean(env.COGNITO_POOL_ID && env.COGNITO_CLIENT_ID && env.MOTO_URL && env.COGNITO_API_URL);

describe('Cognito (moto)', { skip: ready ? false : 'moto not configured' }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('register -> verify -> log in (SRP) -> the API accepts the token -> log out', async () => {
    const { context, page, errors } = await newPage(browser, 1280, 900);
    await page.route('**/config.json', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          auth: 'cognito',
          apiBaseUrl: env.COGNITO_API_URL,
          region: env.COGNITO_REGION ?? 'us-east-1',
          userPoolId: env.COGNITO_POOL_ID,
          userPoolClientId: env.COGNITO_CLIENT_ID,
          cognitoEndpoint: `${env.MOTO_URL.replace(/\/$/, '')}/`,
        }),
      }),
    );
    const email = `cognito-${Date.now()}@example.com`;
    await page.goto(`${BASE_URL}/register`);
    await page.getByLabel('Full name').fill('Katherine Johnson');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('Orbit-1962-Glenn');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/verify\?email=/);
    assert.match(await page.getByTestId('notice').innerText(), /We sent a verification code to/);
    await page.getByLabel('Verification code').fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('Password').fill('Orbit-1962-Glenn');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${BASE_URL}/`);
    // The dashboard's API calls succeed with the pool's id token (an empty account).
    await page.getByTestId('empty').waitFor();
    // (moto's id token does not carry the name attribute as Cognito's does: only check one is shown.)
    assert.ok((await page.locator('.user-name').innerText()).length > 0);
    await axe(page, 'dashboard (cognito)');
    await shot(page, 'cognito-dashboard');
    // The SDK keeps the session: a reload stays logged in.
    await page.reload();
    await page.getByTestId('empty').waitFor();
    assert.deepEqual(errors, []);
    // Log out: the SDK clears its tokens, then revokes the refresh token, which moto has not
    // implemented (its 500 answer has no CORS header): errors after this point are not checked.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.reload();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await context.close();
  });
});

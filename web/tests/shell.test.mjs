// The app shell in a real Chromium against a real `kclinic serve --demo`: the API's refusals on the login page,
// role-aware navigation, sign-out, reload, the live status, the progress indicator, and axe-core on the login page
// and the layout. Each role landing on its area is demo.test.mjs's; the front desk kept from a patient's notes is
// journey.test.mjs's.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appConsoleErrors, browserFor, checkA11y, login, screenshot, serverForFile } from './harness.mjs';

const server = serverForFile({ demo: true });

describe('signing in', () => {
  test('the navigation offers each role only what it may open', async (t) => {
    const { page } = await browserFor(t);
    const expected = {
      admin: ['Admin'],
      prescriber: ['Board', 'Patients', 'Schedule', 'Standing orders', 'Safe'],
      nurse: ['Board', 'Patients', 'Schedule', 'Standing orders', 'Safe'],
      therapist: ['Board', 'Patients', 'Schedule'],
      front_desk: ['Patients', 'Schedule'],
      patient: ['My care'],
    };
    for (const [role, names] of Object.entries(expected)) {
      const { email, password } = server.logins[role];
      await login(page, email, password, server.url);
      const nav = page.getByRole('navigation', { name: 'Main' });
      const links = await nav.getByRole('link').allTextContents();
      assert.deepEqual(links, names, `navigation of ${role}`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You are signed out.').waitFor();
    }
  });

  test('the login page passes axe-core and says why it refuses, in the words of the API', async (t) => {
    const { page, consoleErrors } = await browserFor(t);
    await page.goto(`${server.url}/login`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to kclinic' }).waitFor();
    await checkA11y(page, 'login');
    await screenshot(page, 'shell-login');

    await page.getByLabel('Email').fill(server.logins.nurse.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // docs/api.md "Logging in with a second factor": without a code, every refusal asks for one and says that
    // without an authenticator the email or password is wrong; the form keeps the password and offers the code field.
    await page.getByRole('alert').getByText('email or password is wrong').waitFor();
    await page.getByLabel('Authenticator code or recovery code').waitFor();
    assert.equal(await page.getByLabel('Password').inputValue(), 'not the password at all');
    await checkA11y(page, 'login-refused');
    await screenshot(page, 'shell-login-refused');
    // With a code, the refusal names no part, and the password and code are cleared.
    await page.getByLabel('Authenticator code or recovery code').fill('123456');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('email, password or code is wrong').waitFor();
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the refused password is cleared');
    assert.equal(await page.getByLabel('Authenticator code or recovery code').inputValue(), '');
    assert.deepEqual(appConsoleErrors(consoleErrors, [401]), []);
  });

  test('from the third failure the login page shows the wait the API asks for, then lets the user try again', async (t) => {
    const { page } = await browserFor(t);
    await page.goto(`${server.url}/login`);
    // An address of its own, so the throttle touches no other test.
    const email = 'someone.else@demo.kclinic.example';
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(`wrong guess number ${attempt}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('email or password is wrong').waitFor();
      if (attempt < 3) await page.getByRole('button', { name: 'Sign in' }).waitFor({ state: 'visible' });
    }
    // docs/security.md: the third failure in a row makes the next attempt wait 1 s (Retry-After: 1).
    const alert = page.getByRole('alert');
    await alert.getByText('You can try again in 1 second.').waitFor();
    await alert.getByText('ask your clinic administrator to unlock your account', { exact: false }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).isDisabled(), true);
    await screenshot(page, 'shell-login-throttled');
    // The button comes back when the wait is over.
    await page.waitForFunction(() => !document.querySelector('button[type=submit]')?.disabled, null, {
      timeout: 5000,
    });
  });

  test('a signed-in user who reloads stays signed in, on the same page', async (t) => {
    const { page, consoleErrors } = await browserFor(t);
    const { email, password } = server.logins.nurse;
    await login(page, email, password, server.url);
    await page.getByRole('link', { name: 'Patients' }).click();
    await page.waitForURL(`${server.url}/patients`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Patients' }).waitFor();
    await page.getByText(`Signed in as ${email}`).waitFor();
    // The reloaded page learnt its CSRF token again (GET /api/v1/auth/me): a state-changing request works.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/login`);
    await page.getByText('You are signed out.').waitFor();
    assert.deepEqual(appConsoleErrors(consoleErrors), []);
  });

  test('after signing out, the session is gone on the server too', async (t) => {
    const { page, context } = await browserFor(t);
    const { email, password } = server.logins.prescriber;
    await login(page, email, password, server.url);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    const me = await context.request.get(`${server.url}/api/v1/auth/me`);
    assert.equal(me.status(), 401);
    await page.goto(`${server.url}/board`);
    await page.waitForURL(/\/login\?next=%2Fboard$/);
  });

  test('an address opened while signed out returns there after signing in', async (t) => {
    const { page } = await browserFor(t);
    await page.goto(`${server.url}/patients/1`);
    await page.waitForURL(/\/login\?next=%2Fpatients%2F1$/);
    await login(page, server.logins.therapist.email, server.logins.therapist.password);
    await page.waitForURL(`${server.url}/patients/1`);
    await page.getByRole('heading', { level: 1, name: /\(DEMO-\d{4}\)$/ }).waitFor();  // the chart, loaded: the patient by name and MRN
  });
});

describe('what a role may open', () => {
  test('a nurse is offered the notes of a patient', async (t) => {
    const { page } = await browserFor(t);
    await login(page, server.logins.nurse.email, server.logins.nurse.password, server.url);
    await page.goto(`${server.url}/patients/1`);
    const sections = page.getByRole('navigation', { name: 'Patient record' });
    await sections.getByRole('link', { name: 'Notes' }).click();
    await page.waitForURL(`${server.url}/patients/1/notes`);
    await page.getByRole('heading', { level: 1, name: /^Notes: Demo, \w+ \(DEMO-\d{4}\)$/ }).waitFor();
  });

  test('an address that is no page says so', async (t) => {
    const { page } = await browserFor(t);
    await login(page, server.logins.nurse.email, server.logins.nurse.password, server.url);
    await page.goto(`${server.url}/no/such/page`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to your start page' }).click();
    await page.waitForURL(`${server.url}/board`);
  });
});

describe('feedback', () => {
  test('a request slower than 300 ms shows the progress indicator until it is answered', async (t) => {
    const { page } = await browserFor(t);
    await page.goto(`${server.url}/login`);
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    await page.route('**/api/v1/auth/login', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel('Email').fill(server.logins.nurse.email);
    await page.getByLabel('Password').fill(server.logins.nurse.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('progress').waitFor();
    await page.getByRole('button', { name: 'Signing in…' }).waitFor();
    release();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByTestId('progress').waitFor({ state: 'detached' });
  });

  test('the live status shows a lost connection, and recovers when the server is back', async (t) => {
    const { page, consoleErrors } = await browserFor(t);
    await login(page, server.logins.nurse.email, server.logins.nurse.password, server.url);
    await page.waitForURL(`${server.url}/board`);
    await page.getByText('Live updates on').waitFor();

    await server.halt();
    await page.getByText(/Live connection lost, reconnecting/).waitFor();
    await screenshot(page, 'shell-live-reconnecting');
    await checkA11y(page, 'live-reconnecting');

    await server.start();
    // Backoff reaches at most 15 s between attempts.
    await page.getByText('Live updates on').waitFor({ timeout: 30_000 });
    await page.getByText(`Signed in as ${server.logins.nurse.email}`).waitFor();
    // While the server is down the browser logs the refused connections (WebSocket and the app's /auth/me probe);
    // nothing else may appear.
    const outage = /WebSocket connection to .* failed|net::ERR_CONNECTION_REFUSED/;
    assert.deepEqual(
      appConsoleErrors(consoleErrors).filter((line) => !outage.test(line)),
      [],
    );
  });
});

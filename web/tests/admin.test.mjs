// The administration in a real Chromium against a real `kclinic serve` (issue 12 §2 "Admin: users and roles,
// API tokens (shown once), clinic settings (each threshold with its bounds and source), the audit log with
// filters"): an admin adds a nurse, unlocks their failed sign-ins, gives them an API token that is shown once and
// works as a Bearer token until revoked, disables the nurse; adds a patient's portal login; changes a setting within
// its bounds and is refused outside them in the API's words; filters the audit log; and a nurse is offered none of
// it. axe-core on every admin screen; screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { appConsoleErrors, checkA11y, login, openBrowser, screenshot, startServer } from './harness.mjs';
import { apiClient } from './clinic-api.mjs';

let server;
let admin;
let patient;

// No demo clinic (its seeding costs seconds): an admin, a nurse, and one patient the nurse registers.
before(async () => {
  server = await startServer({
    users: [
      { email: 'admin@clinic.example', role: 'admin', password: 'admin password for tests' },
      { email: 'nurse@clinic.example', role: 'nurse', password: 'nurse password for tests' },
    ],
  });
  admin = await apiClient(server, server.logins.admin);
  const nurse = await apiClient(server, server.logins.nurse);
  patient = await nurse.must('POST', '/api/v1/patients', {
    mrn: 'MRN-ADMIN-1',
    given_name: 'Ada',
    family_name: 'Portalson',
    birth_date: '1980-01-02',
    sex: 'female',
  });
});

after(async () => {
  await server?.stop();
});

async function browserFor(t) {
  const browser = await openBrowser();
  t.after(() => browser.close());
  return browser;
}

async function signInAsAdmin(page) {
  await login(page, server.logins.admin.email, server.logins.admin.password, server.url);
  await page.waitForURL(`${server.url}/admin`);
  await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
}

async function bearerMe(token) {
  const answer = await fetch(`${server.url}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: answer.status, body: answer.ok ? await answer.json() : undefined };
}

// Everything the page shows or keeps that could hold a secret: its text, every field's value, and browser storage.
async function pageHolds(page, secret) {
  return page.evaluate((text) => {
    const fields = [...document.querySelectorAll('input, textarea')].map((field) => field.value);
    const stored = [localStorage, sessionStorage].flatMap((storage) =>
      Object.keys(storage).map((key) => `${key}=${storage.getItem(key)}`),
    );
    return [document.body.innerText, document.documentElement.outerHTML, ...fields, ...stored, window.location.href].some(
      (place) => place.includes(text),
    );
  }, secret);
}

describe('users and API tokens', () => {
  test('an admin adds a nurse, gives them a token shown once, revokes it, and disables the nurse', async (t) => {
    const { page, consoleErrors } = await browserFor(t);
    await signInAsAdmin(page);
    await page.getByRole('heading', { level: 2, name: 'Users' }).waitFor();
    await checkA11y(page, 'admin-users');
    await screenshot(page, 'admin-users');

    // Adding a user: the password policy's refusal is shown at the field, in the API's words.
    await page.getByRole('link', { name: 'Add a user' }).click();
    await page.waitForURL(`${server.url}/admin/users/new`);
    await page.getByRole('heading', { level: 1, name: 'Add a user' }).waitFor();
    const email = 'nora.newnurse@clinic.example';
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Display name').fill('Nora Newnurse');
    await page.getByLabel('Role').selectOption('nurse');
    await page.getByLabel('First password').fill('too-short');
    await page.getByRole('button', { name: 'Add the user' }).click();
    await page.getByRole('alert').getByText('must have at least 15 characters').waitFor();
    assert.equal(await page.getByLabel('First password').getAttribute('aria-invalid'), 'true');
    await checkA11y(page, 'admin-add-user-refused');
    await screenshot(page, 'admin-add-user-refused');
    const password = 'a long and calm infusion day';
    await page.getByLabel('First password').fill(password);
    await page.getByRole('button', { name: 'Add the user' }).click();
    await page.waitForURL(`${server.url}/admin?added=${encodeURIComponent(email)}`);
    await page.getByText(`${email} was added.`).waitFor();
    const row = page.getByRole('row').filter({ hasText: email });
    await row.getByText('Active').waitFor();
    await row.getByText('nurse', { exact: true }).waitFor();

    // Failed sign-ins show in the list; unlocking forgets them, and the nurse may sign in at once.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const wrong = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: `not it, try ${attempt}` }),
      });
      assert.equal(wrong.status, 401);
    }
    await page.reload();
    await row.getByText('3 failed sign-ins').waitFor();
    await page.getByRole('button', { name: `Manage ${email}` }).click();
    await page.getByRole('button', { name: 'Unlock sign-in' }).click();
    await page.getByText(`${email} can sign in again`, { exact: false }).waitFor();
    assert.equal(await row.getByText('failed sign-in', { exact: false }).count(), 0);

    // The nurse signs in (a browser session of theirs that disabling must end).
    const nurse = await apiClient(server, { email, password });
    assert.equal((await nurse.request('GET', '/api/v1/auth/me')).status, 200);

    // A token, shown once.
    await page.getByRole('heading', { level: 2, name: 'Account of Nora Newnurse' }).waitFor();
    await page.getByText('This user has no API tokens.').waitFor();
    await page.getByLabel('New token name').fill('monitor-bridge');
    await page.getByRole('button', { name: 'Create a token' }).click();
    const dialog = page.getByRole('dialog', { name: 'The new token monitor-bridge' });
    await dialog.waitFor();
    await dialog.getByText('you will not see it again', { exact: false }).waitFor();
    const token = await dialog.getByLabel('Token').inputValue();
    assert.ok(token.length >= 20, `a token: ${token}`);
    await checkA11y(page, 'admin-token-shown');
    await screenshot(page, 'admin-token-shown');
    await dialog.getByRole('button', { name: 'I have copied it, close' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await pageHolds(page, token), false, 'the token is gone when its dialog closes');
    const me = await bearerMe(token);
    assert.equal(me.status, 200);
    assert.equal(me.body.user.email, email);

    // After reopening the user's account (a reload), the token is listed but cannot be seen again.
    await page.reload();
    await page.getByRole('button', { name: `Manage ${email}` }).click();
    const tokenRow = page.getByRole('row').filter({ hasText: 'monitor-bridge' });
    await tokenRow.getByText('Live').waitFor();
    assert.equal(await pageHolds(page, token), false, 'the token is not shown again');

    // Revoking asks first, then the token is refused.
    await page.getByRole('button', { name: 'Revoke token monitor-bridge' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke the token monitor-bridge?' });
    await revoke.getByRole('button', { name: 'Revoke the token' }).click();
    await revoke.waitFor({ state: 'detached' });
    await tokenRow.getByText(/^Revoked /).waitFor();
    assert.equal((await bearerMe(token)).status, 401);

    // Disabling says what it does, asks, and then the nurse's session ends and their login is refused.
    await page.getByRole('button', { name: 'Disable…' }).click();
    const disable = page.getByRole('dialog', { name: `Disable ${email}?` });
    await disable.getByText('Their open sessions end at once, and their API tokens and calendar feed are revoked.', { exact: false }).waitFor();
    await checkA11y(page, 'admin-disable-confirm');
    await screenshot(page, 'admin-disable-confirm');
    await disable.getByRole('button', { name: 'Disable this user' }).click();
    await disable.waitFor({ state: 'detached' });
    await page.getByText(`${email} is disabled`, { exact: false }).waitFor();
    await row.getByText('Disabled').waitFor();
    assert.equal((await nurse.request('GET', '/api/v1/auth/me')).status, 401, 'the nurse’s session ended');
    const refused = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(refused.status, 401);
    assert.deepEqual(appConsoleErrors(consoleErrors, [400]), []);
  });

  test('a patient user is the portal login of a patient the admin finds by name or MRN', async (t) => {
    const { page, consoleErrors } = await browserFor(t);
    await signInAsAdmin(page);
    await page.goto(`${server.url}/admin/users/new`);
    await page.getByLabel('Email').fill('portal.person@clinic.example');
    await page.getByLabel('Role').selectOption('patient');
    await page.getByLabel('First password').fill('my own calm password');
    // Without a patient the API refuses, naming the patient record.
    await page.getByRole('button', { name: 'Add the user' }).click();
    await page.getByRole('alert').getByText('is required for role patient', { exact: false }).waitFor();
    await page.getByLabel('Find a patient').fill(patient.mrn);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('radio', { name: new RegExp(`\\(${patient.mrn}\\)`) }).check();
    await page.getByText(`patient #${patient.id}`, { exact: false }).first().waitFor();
    await checkA11y(page, 'admin-add-patient-user');
    await screenshot(page, 'admin-add-patient-user');
    await page.getByRole('button', { name: 'Add the user' }).click();
    await page.getByText('portal.person@clinic.example was added.').waitFor();
    const users = await admin.must('GET', '/api/v1/users?limit=500');
    const added = users.items.find((user) => user.email === 'portal.person@clinic.example');
    assert.equal(added.role, 'patient');
    assert.equal(added.patient_id, patient.id);
    assert.deepEqual(appConsoleErrors(consoleErrors, [400]), []);
  });
});

describe('clinic settings', () => {
  test('an admin changes a threshold within its bounds and is refused outside them in the API’s words', async (t) => {
    const { page, consoleErrors } = await browserFor(t);
    const name = 'monitoring.systolic_alert_at_or_above';
    await signInAsAdmin(page);
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Clinic settings' }).click();
    await page.waitForURL(`${server.url}/admin/settings`);
    await page.getByRole('heading', { level: 1, name: 'Clinic settings' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByText(name, { exact: true }) });
    // Value with its unit, default, allowed range and source.
    await row.getByText('180 mmHg').first().waitFor();
    await row.getByText('140..180 mmHg').waitFor();
    await row.getByText('Spravato trial outlier', { exact: false }).waitFor();
    assert.equal(await row.getByText('Changed from default').count(), 0);
    await checkA11y(page, 'admin-settings');
    await screenshot(page, 'admin-settings');

    await page.getByRole('button', { name: `Change ${name}` }).click();
    const field = page.getByLabel(`New value of ${name}`);
    await field.fill('250');
    await page.getByRole('button', { name: 'Save' }).click();
    await row.getByRole('alert').getByText('must be between 140 and 180 mmHg (got 250 mmHg)').waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await checkA11y(page, 'admin-settings-refused');
    await screenshot(page, 'admin-settings-refused');
    const unchanged = await admin.must('GET', '/api/v1/settings');
    assert.equal(unchanged.settings.find((s) => s.name === name).value, '180', 'nothing changed on refusal');

    await field.fill('170');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText(`${name} is now 170 mmHg.`).waitFor();
    await row.getByText('170 mmHg').waitFor();
    await row.getByText('Changed from default').waitFor();
    const changed = await admin.must('GET', '/api/v1/settings');
    assert.equal(changed.settings.find((s) => s.name === name).value, '170');

    // The clinic's time zone is offered from the browser's IANA zones; once changed, times show in it.
    await page.getByRole('button', { name: 'Change clinic.time_zone' }).click();
    const zone = page.getByLabel('New value of clinic.time_zone');
    assert.ok((await page.locator('datalist option').count()) > 300, 'the IANA zones are offered');
    await zone.fill('America/New_York');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('clinic.time_zone is now America/New_York.').waitFor();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('columnheader', { name: 'Time (America/New_York)' }).waitFor();
    await admin.must('PUT', '/api/v1/settings/clinic.time_zone', { value: 'UTC' });
    assert.deepEqual(appConsoleErrors(consoleErrors, [422]), []);
  });
});

// Applies the audit filters and waits for the API's answer to them, the request with `wanted` (a filter's name and
// value): the table of the previous filters is gone by then, as the screen clears it before it asks.
async function showEntries(page, wanted) {
  const answered = page.waitForResponse((response) => {
    const url = new URL(response.url());
    return url.pathname === '/api/v1/audit' && url.searchParams.get(wanted.name) === wanted.value;
  });
  await page.getByRole('button', { name: 'Show entries' }).click();
  return answered;
}

describe('audit log', () => {
  test('an admin filters the audit log by actor, action and patient; a refused filter is shown at its field', async (t) => {
    const { page, consoleErrors } = await browserFor(t);
    await admin.must('PUT', '/api/v1/settings/records.clock_skew_minutes', { value: 7 });
    await signInAsAdmin(page);
    await page.goto(`${server.url}/admin/audit`);
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByRole('heading', { level: 2, name: /entries, oldest first$/ }).waitFor();

    await page.getByLabel('Actor').fill(server.logins.admin.email);
    await page.getByLabel('Action').fill('setting.change');
    await showEntries(page, { name: 'action', value: 'setting.change' });
    await page.waitForURL(/\/admin\/audit\?actor=.*&action=setting\.change$/);
    const rows = page.locator('table.admin-audit tbody tr');
    await rows.first().waitFor();
    const texts = await rows.allInnerTexts();
    assert.ok(texts.length >= 1);
    for (const text of texts) {
      assert.match(text, new RegExp(server.logins.admin.email.replace(/\./g, '\\.')));
      assert.match(text, /setting\.change/);
    }
    await page.getByText('name=records.clock_skew_minutes from=5 to=7').waitFor();
    await checkA11y(page, 'admin-audit');
    await screenshot(page, 'admin-audit');

    // A filter the API refuses is shown at its field.
    await page.getByLabel('Action').fill('Not An Action');
    await showEntries(page, { name: 'action', value: 'Not An Action' });
    await page.getByRole('alert').getByText('must be an audit action', { exact: false }).waitFor();
    assert.equal(await page.getByLabel('Action').getAttribute('aria-invalid'), 'true');
    await checkA11y(page, 'admin-audit-refused');
    // A span that ends before it starts, typed in the clinic's time: refused at Until.
    await page.getByLabel('Action').fill('setting.change');
    await page.getByLabel('From').fill('2026-12-07T10:00');
    await page.getByLabel('Until (not including)').fill('2026-12-07T09:00');
    // The clinic's zone is UTC here: 09:00 on the wall is 09:00Z.
    const refused = await showEntries(page, { name: 'to', value: '2026-12-07T09:00:00.000Z' });
    assert.equal(refused.status(), 400);
    assert.match(page.url(), /from=2026-12-07T10%3A00&to=2026-12-07T09%3A00$/);
    await page.locator('#audit-to[aria-invalid="true"]').waitFor();
    await screenshot(page, 'admin-audit-refused');

    // By patient, found by MRN: every entry names that patient.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'Look up a patient by name or MRN' }).click();
    await page.getByLabel('Find a patient', { exact: true }).fill(patient.mrn);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    // Picking a match fills the filter and closes the search.
    await page.getByRole('radio', { name: new RegExp(`\\(${patient.mrn}\\)`) }).click();
    assert.equal(await page.getByLabel('Patient', { exact: true }).inputValue(), String(patient.id));
    await showEntries(page, { name: 'patient_id', value: String(patient.id) });
    await page.waitForURL(new RegExp(`patient_id=${patient.id}$`));
    await rows.first().waitFor();
    for (const text of await rows.allInnerTexts()) assert.match(text, new RegExp(`#${patient.id}\\b`));
    assert.deepEqual(appConsoleErrors(consoleErrors, [400]), []);
  });
});

describe('who may administer', () => {
  test('a nurse is offered no administration, and its addresses say not permitted', async (t) => {
    const { page } = await browserFor(t);
    await login(page, server.logins.nurse.email, server.logins.nurse.password, server.url);
    const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    assert.ok(!links.includes('Admin'), `navigation of a nurse: ${links}`);
    for (const path of ['/admin', '/admin/users/new', '/admin/settings', '/admin/audit']) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1, name: 'Not permitted' }).waitFor();
    }
    await screenshot(page, 'admin-nurse-not-permitted');
    // And the API refuses it too.
    const status = await page.evaluate(async () => (await fetch('/api/v1/users')).status);
    assert.equal(status, 403);
  });
});

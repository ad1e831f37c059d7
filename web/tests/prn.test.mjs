// Standing orders and PRN doses in a real Chromium against a real `kclinic serve` (issue 14 §1): the medical director
// signs the clinic's standing orders in the editor; a nurse gives a PRN dose from the session screen by choosing the
// order, sees the server refuse a second dose too soon with the rule it broke, and records the response later.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addUser, apiClient, patientWithCourse } from './clinic-api.mjs';
import { appConsoleErrors, checkA11y, login, openBrowser, screenshot, startServer } from './harness.mjs';

let server;
let users;
let api;

before(async () => {
  server = await startServer({ testClock: true });
  users = {
    admin: addUser(server, 'admin@clinic.example', 'admin', 'admin-pass-12345'),
    nurse: addUser(server, 'nurse@clinic.example', 'nurse', 'nurse-pass-12345'),
    prescriber: addUser(server, 'prescriber@clinic.example', 'prescriber', 'prescriber-pass-12345'),
  };
  api = {
    admin: await apiClient(server, users.admin),
    nurse: await apiClient(server, users.nurse),
    prescriber: await apiClient(server, users.prescriber),
  };
});

after(async () => {
  await server?.stop();
});

async function pageAs(t, user, path) {
  const browser = await openBrowser();
  t.after(() => browser.close());
  const { page } = browser;
  await page.goto(`${server.url}${path}`);
  await login(page, user.email, user.password);
  await page.waitForURL(`${server.url}${path}`);
  return browser;
}

describe('standing orders and PRN doses', () => {
  test('the medical director signs the standing orders; a nurse gives a PRN dose and records the response', async (t) => {
    const director = await pageAs(t, users.prescriber, '/standing-orders');
    const editor = director.page;
    await editor.getByText('No standing order has been signed yet.').waitFor();
    const entry = editor.getByTestId('order-entry').first();
    await entry.getByLabel('Drug').fill('ondansetron');
    await entry.getByLabel('Dose (the most one dose may be)').fill('4');
    await entry.getByLabel('IV', { exact: true }).check();
    await entry.getByLabel('ODT', { exact: true }).check();
    await entry.getByLabel('Indication').fill('nausea');
    await entry.getByLabel('Most doses per session').fill('2');
    await entry.getByLabel('Shortest interval between doses (min)').fill('30');
    await editor.getByRole('button', { name: 'Sign version 1' }).click();
    await editor.getByText(/Version 1 is in force/).waitFor();
    await editor.locator('table.standing-orders td', { hasText: 'ondansetron' }).waitFor();
    await checkA11y(editor, 'standing orders');
    assert.deepEqual(appConsoleErrors(director.consoleErrors), []);

    const { sessionId } = await patientWithCourse(api, {
      product: 'ketamine-iv',
      protocol: 'iv-induction',
      route: 'iv',
      givenName: 'Nora',
      familyName: 'Nausea',
    });
    await api.nurse.must('POST', `/api/v1/sessions/${sessionId}/check-in`, { consent_confirmed: true, escort_confirmed: true }, 200);
    const { page, consoleErrors } = await pageAs(t, users.nurse, `/sessions/${sessionId}`);
    const panel = page.locator('section.prn');
    await panel.getByLabel('Order').selectOption({ label: 'Entry 1: ondansetron up to 4 mg (IV, ODT) for nausea' });
    assert.equal(await panel.getByLabel('Dose (mg, at most 4 mg)').inputValue(), '4');
    await panel.getByLabel('Route').selectOption('odt');
    await panel.getByRole('button', { name: 'Give the dose' }).click();
    await panel.getByTestId('prn-dose').filter({ hasText: 'ondansetron 4 mg ODT' }).waitFor();

    // A second dose at once breaks the order's 30-minute interval: refused, naming the rule.
    await panel.getByLabel('Order').selectOption({ label: 'Entry 1: ondansetron up to 4 mg (IV, ODT) for nausea' });
    await panel.getByRole('button', { name: 'Give the dose' }).click();
    await panel.locator('#prn-error', { hasText: 'prn.min_interval' }).waitFor();
    assert.equal(await panel.getByTestId('prn-dose').count(), 1);

    await panel.getByText('Record the response').click();
    await panel.getByLabel('Effective', { exact: true }).check();
    await panel.getByLabel('Note (optional)').fill('settled');
    await panel.getByRole('button', { name: 'Save the response' }).click();
    await panel.locator('.prn-response-text', { hasText: /Effective \(nurse@clinic\.example, .*\): settled/ }).waitFor();
    await checkA11y(page, 'session with a PRN dose');
    await screenshot(page, 'session-prn-dose');

    const screen = await api.nurse.must('GET', `/api/v1/sessions/${sessionId}/screen`);
    assert.equal(screen.prn_doses.length, 1);
    assert.equal(screen.prn_doses[0].response.note, 'settled');
    assert.deepEqual(appConsoleErrors(consoleErrors, [409]), []); // the refused second dose
  });
});

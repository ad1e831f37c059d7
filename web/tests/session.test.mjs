// The esketamine session on the session screen in a real Chromium against a real `kclinic serve --test-clock` (issue
// 12 §5): a session is refused discharge before 120 minutes with the API's reason on screen, the test clock moves,
// then it is discharged and its REMS form is complete and submitted. The patient, screening, course and dose order
// are set up through the API; every step of the session itself goes through the screen. The IV session from
// check-in to discharge, its live alert and the board are journey.test.mjs's walk.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addUser, advanceClock, apiClient, patientWithCourse } from './clinic-api.mjs';
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

async function nursePage(t, path) {
  const browser = await openBrowser();
  t.after(() => browser.close());
  const { page } = browser;
  await page.goto(`${server.url}${path}`);
  await login(page, users.nurse.email, users.nurse.password);
  await page.waitForURL(`${server.url}${path}`).catch(async (e) => {
    await screenshot(page, 'session-login-did-not-return');
    throw new Error(`${e.message} at ${page.url()}: ${await page.locator('main').innerText()}`);
  });
  return browser;
}

async function expectState(page, words) {
  await page.locator('.state-badge .state-value').filter({ hasText: new RegExp(`^${words}$`) }).waitFor();
}

async function step(page, name) {
  await page.getByRole('button', { name, exact: true }).click();
}

describe('the session screen', () => {
  test('an esketamine session cannot be discharged before 120 minutes; then it is, and its REMS form is complete', async (t) => {
    const { sessionId } = await patientWithCourse(api, {
      product: 'esketamine-nasal',
      protocol: 'esketamine-trd',
      route: 'esketamine-nasal',
      givenName: 'Esme',
      familyName: 'Spray',
    });
    const { page, consoleErrors } = await nursePage(t, `/sessions/${sessionId}`);
    const bloodPressure = async (systolic, diastolic) => {
      await page.getByLabel('Systolic (mmHg)').fill(String(systolic));
      await page.getByLabel('Diastolic (mmHg)').fill(String(diastolic));
      await page.getByLabel('Diastolic (mmHg)').press('Enter');
      await page.locator('.latest-vital', { hasText: `${systolic}/${diastolic} mmHg` }).waitFor();
    };
    await page.getByLabel('Consent confirmed').check();
    await page.getByLabel('Escort home confirmed').check();
    await step(page, 'Check in');
    await expectState(page, 'Checked in');
    await bloodPressure(126, 78);
    await step(page, 'Pre-dose check OK');
    await expectState(page, 'Pre-dose OK');
    await api.prescriber.must('POST', `/api/v1/sessions/${sessionId}/dose-order`, { route: 'esketamine-nasal', weight_kg: 70, dose_mg: 56 }, 201);
    await step(page, 'Start dosing');
    await expectState(page, 'Dosing');
    await page.getByLabel('Devices').selectOption('2');
    await page.getByLabel('Lot number').fill('E1');
    await page.getByRole('button', { name: 'Record devices given' }).click();
    await page.getByTestId('earliest-discharge').filter({ hasNotText: 'Not known yet' }).waitFor();
    await step(page, 'Start monitoring');
    await expectState(page, 'Monitoring');

    await advanceClock(api.admin, 40);
    await page.reload();
    await expectState(page, 'Monitoring');
    // About 40 minutes after the first device, a full set by keyboard: Tab through the signs, Enter records them.
    await page.getByLabel('Systolic (mmHg)').focus();
    for (const value of ['138', '84', '80', '97']) {
      await page.keyboard.type(value);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type('14');
    await page.keyboard.press('Enter');
    await page.locator('.latest-vital', { hasText: '138/84 mmHg' }).waitFor();
    await page.locator('.latest-vital', { hasText: '97 %' }).waitFor();
    await page.locator('.latest-vital', { hasText: '14 breaths/min' }).waitFor();
    await step(page, 'Ready for discharge');
    const reason = page.locator('#step-reason-ready-for-discharge');
    await reason.waitFor();
    assert.match(await reason.innerText(), /Not allowed yet/);
    assert.ok((await reason.innerText()).length > 'Not allowed yet:'.length + 10, 'the API gives its reason');
    await page.getByText(/Earliest discharge at .* \(in 1 h 2\d min\)/).waitFor();
    await expectState(page, 'Monitoring');
    await checkA11y(page, 'session-esketamine-refused');
    await screenshot(page, 'session-esketamine-refused');

    await advanceClock(api.admin, 81);
    await page.reload();
    await bloodPressure(124, 76);
    await page.getByTestId('since-first-dose').filter({ hasText: /^2 h 0\d min$/ }).waitFor();
    await step(page, 'Ready for discharge');
    await expectState(page, 'Ready for discharge');
    await page.getByLabel(/Discharge criteria met/).check();
    await step(page, 'Discharge');
    await expectState(page, 'Discharged');

    await page.getByLabel('REMS-certified healthcare setting').fill('Example Clinic');
    await page.getByRole('button', { name: 'Show the form' }).click();
    await page.locator('.rems-form').waitFor();
    assert.equal(await page.locator('.rems-complete').count(), 1, await page.locator('.rems-panel').innerText());
    await page.getByText(/^Due by /).waitFor();
    await checkA11y(page, 'session-rems');
    await screenshot(page, 'session-esketamine-rems');
    await page.getByLabel(/Minutes until the patient would have been ready/).fill('125');
    await page.getByRole('button', { name: 'Mark the form submitted' }).click();
    await page.locator('[data-rems-status="submitted"]').waitFor();
    assert.deepEqual(appConsoleErrors(consoleErrors, [401, 409]), []);
  });
});

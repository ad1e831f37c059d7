// Printing in a real Chromium against a real `kclinic serve --test-clock` (issue 12 §4: "The REMS form, a session
// summary and a patient's outcome chart print cleanly (a print stylesheet), since clinics still print and fax"):
// each of the three under print media shows no navigation, buttons, entry forms or live status, heads the page with
// the patient's name, MRN and date of birth, and shows its content: the session's state history, doses and a table
// of its readings with the alert marked in words; the REMS form's fields alone; the outcome chart's labelled lines
// and its table of totals. A PDF of each is kept as an artifact beside the screenshots.
// The session (an esketamine session through to discharge, with a breaching blood pressure and its acknowledged
// alert) is set up through the API: printing is what is under test here.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addUser, advanceClock, apiClient, patientWithCourse } from './clinic-api.mjs';
import { appConsoleErrors, artifactsDir, login, openBrowser, startServer } from './harness.mjs';

let server;
let browser;
let patientId;
let sessionId;

const BP = '85354-9';

before(async () => {
  server = await startServer({ testClock: true });
  const users = {
    admin: addUser(server, 'admin@clinic.example', 'admin', 'admin-pass-12345'),
    nurse: addUser(server, 'nurse@clinic.example', 'nurse', 'nurse-pass-12345'),
    prescriber: addUser(server, 'prescriber@clinic.example', 'prescriber', 'prescriber-pass-12345'),
  };
  const api = {
    admin: await apiClient(server, users.admin),
    nurse: await apiClient(server, users.nurse),
    prescriber: await apiClient(server, users.prescriber),
  };
  ({ patientId, sessionId } = await patientWithCourse(api, {
    product: 'esketamine-nasal',
    protocol: 'esketamine-trd',
    route: 'esketamine-nasal',
    givenName: 'Paige',
    familyName: 'Printer',
  }));
  const { nurse } = api;
  await api.admin.must('PUT', '/api/v1/settings/rems.healthcare_setting', { value: 'Example Clinic' });
  const session = `/api/v1/sessions/${sessionId}`;
  const vitals = `/api/v1/patients/${patientId}/vitals`;
  const bloodPressure = (systolic, diastolic) =>
    nurse.must('POST', vitals, { loinc: BP, systolic, diastolic, unit: 'mm[Hg]', session_id: sessionId }, 201);
  // A baseline PHQ-9 and a later one, for the outcome chart's lines and table.
  await nurse.must('POST', `/api/v1/patients/${patientId}/assessments`, { instrument: 'phq9', answers: [3, 3, 2, 2, 2, 2, 2, 1, 0] });
  await nurse.must('POST', `${session}/check-in`, { consent_confirmed: true, escort_confirmed: true }, 200);
  await bloodPressure(126, 78);
  await nurse.must('POST', `${session}/pre-dose`, undefined, 200);
  await api.prescriber.must('POST', `${session}/dose-order`, { route: 'esketamine-nasal', weight_kg: 70, dose_mg: 56 }, 201);
  await nurse.must('POST', `${session}/start-dosing`, undefined, 200);
  await nurse.must('POST', `${session}/administrations`, {
    drug: 'esketamine', route: 'esketamine-nasal', dose_mg: 56, device_count: 2, lot_number: 'E-PRINT-1',
  }, 201);
  await nurse.must('POST', `${session}/start-monitoring`, undefined, 200);
  await advanceClock(api.admin, 40);
  const breach = await bloodPressure(186, 96);
  const [alert] = breach.alerts;
  assert.ok(alert, `a blood pressure of 186/96 raises an alert: ${JSON.stringify(breach)}`);
  await nurse.must('POST', `/api/v1/alerts/${alert.id}/acknowledge`, { note: 'Rechecked: 150/88' }, 200);
  await advanceClock(api.admin, 81);
  await bloodPressure(124, 76);
  await nurse.must('POST', `${session}/ready-for-discharge`, undefined, 200);
  await nurse.must('POST', `${session}/discharge`, { discharge_criteria_confirmed: true }, 200);
  await nurse.must('POST', `/api/v1/patients/${patientId}/assessments`, { instrument: 'phq9', answers: [1, 1, 1, 1, 1, 1, 0, 0, 0] });

  browser = await openBrowser();
  await login(browser.page, users.nurse.email, users.nurse.password, server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// What every printed page must and must not show: the patient's header; no navigation, buttons, entry fields or
// live status.
async function assertPrintChrome(page) {
  await page.emulateMedia({ media: 'print' });
  const header = page.getByTestId('print-header');
  assert.ok(await header.isVisible(), 'the print header shows');
  const text = await header.innerText();
  assert.match(text, /Patient: Printer, Paige/);
  assert.match(text, /MRN MRN-WEB-/);
  assert.match(text, /Born May 6, 1984/);
  assert.match(text, /Times in UTC/);
  for (const selector of ['.app-header', 'nav', '.live-status', '.page-actions']) {
    for (const element of await page.locator(selector).all()) {
      assert.equal(await element.isVisible(), false, `${selector} is hidden in print`);
    }
  }
  const visibleControls = await page
    .locator('button, input, select, textarea, a.button-link')
    .evaluateAll((elements) => elements.filter((e) => e.checkVisibility()).map((e) => e.outerHTML.slice(0, 120)));
  assert.deepEqual(visibleControls, [], 'no button or entry field prints');
}

async function savePdf(page, name) {
  const file = path.join(artifactsDir(), `${name}.pdf`);
  const pdf = await page.pdf({ path: file, format: 'A4', printBackground: false });
  assert.ok(pdf.length > 1000, `${name}.pdf was written`);
}

describe('printing', () => {
  test('a discharged session prints as a session summary with its readings table', async () => {
    const { page } = browser;
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${server.url}/sessions/${sessionId}`);
    await page.getByTestId('session-summary').waitFor();
    await page.getByRole('button', { name: 'Print session summary' }).waitFor();
    await assertPrintChrome(page);
    assert.match(await page.getByTestId('print-header').innerText(), /Session 1 summary/);

    const states = await page.getByTestId('summary-states').innerText();
    for (const state of ['Checked in', 'Pre-dose OK', 'Dosing', 'Monitoring', 'Ready for discharge', 'Discharged']) {
      assert.match(states, new RegExp(state), `the state history has ${state}`);
    }
    const doses = await page.getByTestId('summary-doses').innerText();
    assert.match(doses, /56 mg, 2 × 28 mg/);
    assert.match(doses, /E-PRINT-1/);

    const readings = page.getByTestId('summary-readings');
    assert.ok(await readings.isVisible(), 'the readings table prints');
    assert.match(await readings.locator('thead').innerText(), /Blood pressure \(mmHg\)/);
    const breach = readings.locator('tbody tr', { hasText: '186/96 mmHg' });
    assert.match(await breach.innerText(), /ALERT Warning: .*acknowledged by nurse@clinic\.example/);
    const calm = readings.locator('tbody tr', { hasText: '124/76 mmHg' });
    assert.doesNotMatch(await calm.innerText(), /ALERT/);
    // The REMS form, not previewed yet, is left out rather than printed empty.
    assert.equal(await page.locator('.rems-panel').isVisible(), false);
    await savePdf(page, 'print-session-summary');
  });

  test('the REMS form prints alone, as the form', async () => {
    const { page } = browser;
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${server.url}/sessions/${sessionId}`);
    await page.getByRole('button', { name: 'Show the form' }).click();
    await page.locator('.rems-form').waitFor();
    // The print dialog itself cannot be driven: the button's call of window.print() is recorded instead.
    await page.evaluate(() => {
      window.print = () => {
        window.printCalls = (window.printCalls ?? 0) + 1;
      };
    });
    await page.getByRole('button', { name: 'Print the form' }).click();
    assert.equal(await page.evaluate(() => window.printCalls), 1);

    await assertPrintChrome(page);
    const form = page.locator('.rems-form');
    assert.ok(await form.isVisible(), 'the form prints');
    const fields = await page.locator('.rems-fields').innerText();
    assert.match(fields, /Example Clinic/);
    assert.match(fields, /186\/96 mmHg/);
    for (const part of ['session-summary', 'summary-readings']) {
      assert.equal(await page.getByTestId(part).isVisible(), false, `${part} does not print with the form alone`);
    }
    assert.equal(await page.locator('.vitals-chart, .session-top').first().isVisible(), false);
    await savePdf(page, 'print-rems-form');
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    assert.equal(await page.evaluate(() => document.documentElement.dataset.printOnly), undefined);
  });

  test('the chart prints its outcome chart with labelled lines and its table of totals', async () => {
    const { page, consoleErrors } = browser;
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${server.url}/patients/${patientId}`);
    const figure = page.locator('.outcome-figure').first();
    await figure.locator('canvas').first().waitFor();
    assert.equal(await figure.locator('.outcome-data table').isVisible(), false, 'the table is folded on screen');

    await assertPrintChrome(page);
    assert.match(await page.getByTestId('print-header').innerText(), /Patient chart/);
    assert.ok(await figure.locator('canvas').first().isVisible(), 'the plot prints');
    assert.match(await figure.locator('.outcome-lines').innerText(), /Baseline 17\. A total of 8 or less is a response .*50 %.*4 or less is remission/);
    const table = figure.locator('.outcome-data table');
    assert.ok(await table.isVisible(), 'the table of totals prints');
    assert.match(await table.innerText(), /17/);
    await savePdf(page, 'print-outcome-chart');
    assert.deepEqual(appConsoleErrors(consoleErrors), []);
  });
});

// Issue 12 §5, the end-to-end walk, in ONE continuous test through the screens of a real Chromium against a real
// `kclinic serve --test-clock` on a fresh SQLite file: a front-desk user registers a patient; a nurse takes the intake
// history and screens it; a prescriber signs the screening, starts a course and signs the dose order (the computation
// shown step by step); the nurse runs the complete IV session on the session screen (check-in, a keyboard-first
// pre-dose blood pressure, dosing, monitoring with a breaching reading whose alert is shown and acknowledged, MOAA/S
// and CADSS, ready for discharge, discharge) while the prescriber's board follows it live; the chart then shows the
// session completed; and the front desk cannot reach that patient's notes (no navigation, the address says not
// permitted, the API refuses). axe-core on every screen, screenshots of each.
//
// Each role works at its own workstation (its own browser), as in a clinic. The API is used only to create the staff
// users (`kclinic user add`, before the server starts) and to move the test clock (the 40-minute infusion must run
// its time: the server refuses to stop an infusion that ran faster than twice the ordered rate).
// The refusals, searches and request counts of the patient screens are patients.test.mjs's; the esketamine gate and
// the REMS form are session.test.mjs's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { advanceClock, apiClient, clinicNow } from './clinic-api.mjs';
import { appConsoleErrors, checkA11y, login, openBrowser, screenshot, sidewaysOverflow, startServer } from './harness.mjs';

const staff = {
  admin: { email: 'admin@clinic.example', role: 'admin', password: 'admin-pass-12345', name: 'Alex Admin' },
  front_desk: { email: 'desk@clinic.example', role: 'front_desk', password: 'desk-pass-12345', name: 'Dana Desk' },
  nurse: { email: 'nurse@clinic.example', role: 'nurse', password: 'nurse-pass-12345', name: 'Nina Nurse' },
  prescriber: { email: 'doctor@clinic.example', role: 'prescriber', password: 'doctor-pass-12345', name: 'Dr Paul Prescriber' },
};

let server;

before(async () => {
  server = await startServer({ testClock: true, users: Object.values(staff) });
});

after(async () => {
  await server?.stop();
});

// One role's workstation: its own browser, signed in, closed when the test ends.
async function workstation(t, role) {
  const browser = await openBrowser();
  t.after(() => browser.close());
  await login(browser.page, staff[role].email, staff[role].password, server.url);
  return browser;
}

// axe-core, no sideways scrolling (WCAG 1.4.10) and a screenshot: every screen the walk reaches.
async function look(page, name) {
  await checkA11y(page, `journey-${name}`);
  assert.deepEqual(await sidewaysOverflow(page), [], `${name} is wider than the window`);
  await screenshot(page, `journey-${name}`);
}

async function expectState(page, words) {
  await page.locator('.state-badge .state-value').filter({ hasText: new RegExp(`^${words}$`) }).waitFor();
}

async function step(page, name) {
  await page.getByRole('button', { name, exact: true }).click();
}

const MRN = 'MRN-JOURNEY-1';
const NAME = 'Walker, Jo';

// From anywhere to the patient's chart: Patients, search by MRN, the patient.
async function openChart(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
  await page.getByLabel('Search by').selectOption('mrn');
  await page.getByLabel('Search', { exact: true }).fill(MRN);
  await page.getByRole('button', { name: 'Find' }).click();
  await page.getByRole('link', { name: NAME }).click();
}

test('a patient from registration to a completed IV session, through the screens', async (t) => {
  const admin = await apiClient(server, staff.admin);
  const today = (await clinicNow(admin)).toISOString().slice(0, 10);
  const desk = await workstation(t, 'front_desk');
  const nurse = await workstation(t, 'nurse');
  const doctor = await workstation(t, 'prescriber');

  // --- The front desk registers the patient.
  {
    const { page } = desk;
    await page.waitForURL(`${server.url}/schedule`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('heading', { level: 1, name: 'Patients' }).waitFor();
    await page.getByRole('link', { name: 'Register a patient' }).click();
    await page.getByRole('heading', { level: 1, name: 'Register a patient' }).waitFor();
    await page.getByLabel('MRN').fill(MRN);
    await page.getByLabel('Given name').fill('Jo');
    await page.getByLabel('Family name').fill('Walker');
    await page.getByLabel('Date of birth').fill('1979-03-14');
    await page.getByLabel('Sex').selectOption('female');
    await look(page, '01-register');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByRole('heading', { level: 1, name: `${NAME} (${MRN})` }).waitFor();
    await look(page, '02-chart-front-desk');
  }
  const chartPath = new URL(desk.page.url()).pathname;
  const patientId = Number(chartPath.split('/').pop());
  assert.ok(patientId > 0, chartPath);

  // --- The nurse finds the patient and records the intake history, then runs the screening.
  {
    const { page } = nurse;
    await openChart(page);
    await page.getByRole('heading', { level: 1, name: `${NAME} (${MRN})` }).waitFor();
    await page.getByRole('link', { name: 'Intake and screening' }).click();
    await page.getByRole('heading', { level: 1, name: `Intake and screening: ${NAME}` }).waitFor();
    await page.getByLabel('Weight (kg)').fill('70');
    await page.getByRole('button', { name: 'Record weight' }).click();
    await page.getByText(/^70 kg, measured/).waitFor();
    for (const [kind, value] of [
      ['diagnosis', 'F33.2'],
      ['medication', 'sertraline 100 mg daily'],
    ]) {
      await page.getByLabel('Kind').selectOption(kind);
      await page.getByLabel('Entry', { exact: true }).fill(value);
      await page.getByRole('button', { name: 'Add to history' }).click();
      await page.getByRole('list', { name: 'History' }).getByText(value, { exact: false }).waitFor();
    }
    for (const [drug, improvement] of [
      ['sertraline', '10'],
      ['escitalopram', '0'],
    ]) {
      await page.getByLabel('Drug', { exact: true }).fill(drug);
      await page.getByLabel('Duration (weeks)').fill('8');
      await page.getByLabel('Improvement (%)').fill(improvement);
      await page.getByRole('button', { name: 'Add trial' }).click();
      await page.getByRole('cell', { name: drug, exact: true }).waitFor();
    }
    await page.getByLabel('Product', { exact: true }).selectOption('ketamine-iv');
    await page.getByLabel('Systolic blood pressure (mmHg)').fill('124');
    await page.getByLabel('Diastolic blood pressure (mmHg)').fill('78');
    await page.getByLabel('Heart rate (/min)').fill('72');
    await page.getByRole('button', { name: 'Run screening' }).click();
    await page.getByText('Not signed yet: a prescriber must accept or override it.').waitFor();
    await look(page, '03-intake-screened');
  }

  // --- The prescriber signs the screening, starts the course and waits for the patient to be checked in before
  // ordering the dose.
  {
    const { page } = doctor;
    await openChart(page);
    await page.getByRole('link', { name: 'Intake and screening' }).click();
    await page.getByRole('heading', { name: 'Prescriber sign-off' }).waitFor();
    await page.getByRole('cell', { name: 'F33.2', exact: false }).or(page.getByText('F33.2')).first().waitFor();
    // Two adequate failed trials in this episode of F33.2: eligible, accepted (an override and its reason are
    // patients.test.mjs's).
    assert.equal(await page.locator('.screening .badge').first().innerText(), 'Eligible');
    await page.getByLabel('Accept the screening result').check();
    await look(page, '04-screening-sign-off');
    await page.getByRole('button', { name: 'Sign screening' }).click();
    await page.getByText(/^Accepted by /).waitFor();
    await page.getByRole('link', { name: 'Back to the chart' }).click();
    await page.getByRole('heading', { level: 2, name: 'Latest screening' }).waitFor();
    // The intake the nurse took, on the chart.
    await page.locator('#chart-diagnoses ~ *', { hasText: 'F33.2' }).first().waitFor();
    await page.locator('#chart-medications ~ *', { hasText: 'sertraline 100 mg daily' }).first().waitFor();
    await page.getByRole('cell', { name: 'escitalopram', exact: true }).waitFor();
    await page.getByLabel('Indication', { exact: true }).fill('treatment-resistant depression (F33.2)');
    await page.getByLabel('Protocol', { exact: true }).selectOption('iv-induction');
    await page.getByLabel('Route', { exact: true }).selectOption('iv');
    await page.getByLabel('Start date').fill(today);
    await page.getByRole('button', { name: 'Start course' }).click();
    await page.getByRole('heading', { level: 3, name: /treatment-resistant depression \(F33\.2\): iv-induction/ }).waitFor();
    await look(page, '05-chart-course-started');
    // The prescriber watches the day on the board: the new session is there, scheduled.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Board' }).click();
  }
  const board = doctor.page;
  const boardRow = board.locator('tr', { has: board.getByRole('link', { name: 'Jo Walker' }) });
  await boardRow.getByText('Scheduled', { exact: true }).waitFor();
  await boardRow.getByText('Ketamine IV', { exact: true }).waitFor();
  await board.locator('[data-live-status="open"]').waitFor();
  // The board is never read again from here on: every change below arrives over the live channel, in place (the
  // page's own marker survives).
  await board.evaluate(() => {
    window.boardMarker = 'kept';
  });

  // --- The nurse opens the session from the board and checks the patient in; the pre-dose blood pressure by keyboard.
  {
    const { page } = nurse;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Board' }).click();
    await page.getByRole('link', { name: 'Jo Walker' }).click();
    await page.getByRole('heading', { level: 1, name: `${NAME}: session 1` }).waitFor();
    await expectState(page, 'Scheduled');
    // Keyboard first: the screen opens with the focus in systolic.
    await page.waitForFunction(() => document.activeElement?.id === 'vital-systolic');
    await look(page, '06-session-scheduled');
    // Check-in refused without consent and escort: the API's reason shows beside the button.
    await step(page, 'Check in');
    assert.match(await page.locator('#step-reason-check-in').innerText(), /Not allowed yet/);
    await page.getByLabel('Consent confirmed').check();
    await page.getByLabel('Escort home confirmed').check();
    await step(page, 'Check in');
    await expectState(page, 'Checked in');
    await boardRow.getByText('Checked in', { exact: true }).waitFor();

    await page.getByLabel('Systolic (mmHg)').click();
    const started = Date.now();
    await page.keyboard.type('124');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'vital-diastolic');
    await page.keyboard.type('78');
    await page.keyboard.press('Enter');
    await page.locator('.latest-vital', { hasText: '124/78 mmHg' }).waitFor();
    assert.ok(Date.now() - started < 5000, 'a blood pressure is recorded in under 5 seconds');
    // Focus returns to systolic once the server has answered (the reading may show first, from the live channel).
    await page.waitForFunction(() => document.activeElement?.id === 'vital-systolic');
    await boardRow.getByText('124/78 mmHg').waitFor();
    await step(page, 'Pre-dose check OK');
    await expectState(page, 'Pre-dose OK');
    // No order yet: the screen says the prescriber's signature is awaited.
    await page.locator('.dose-order').getByText(/^No signed dose order yet/).waitFor();
    await look(page, '07-session-pre-dose-ok');
  }

  // --- The prescriber opens the session in a second tab, keeping the board in the first, and signs the dose order
  // from it, step by step. The tab then stays on the session: what the nurse does arrives there live.
  const watch = await doctor.context.newPage();
  {
    const page = watch;
    await boardRow.getByText('Pre-dose OK', { exact: true }).waitFor();
    await page.goto(`${server.url}${await boardRow.getByRole('link', { name: 'Jo Walker' }).getAttribute('href')}`);
    await page.getByRole('heading', { level: 1, name: `${NAME}: session 1` }).waitFor();
    await page.getByRole('link', { name: 'Sign the dose order' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dose order, session 1' }).waitFor();
    assert.equal(await page.getByLabel('Weight (kg)').inputValue(), '70');
    await page.getByLabel('Dose (mg/kg)').fill('0.5');
    await page.getByLabel('Infusion time (min)').fill('40');
    await look(page, '08-dose-order-form');
    await page.getByRole('button', { name: 'Sign dose order' }).click();
    await page.getByRole('heading', { name: 'Signed dose order, step by step' }).waitFor();
    const steps = await page.locator('.dose-steps li').allInnerTexts();
    for (const line of [
      'Weight ordered on: 70 kg.',
      'Basis: Actual weight; weight used 70 kg.',
      '0.50 mg/kg × 70 kg = 35 mg.',
      'Total dose: 35 mg.',
      '35 mg over 40 min: 52.5 mg/h.',
    ]) {
      assert.ok(steps.includes(line), `"${line}" among the steps:\n${steps.join('\n')}`);
    }
    await look(page, '09-dose-order-signed');
    await page.getByRole('link', { name: 'Back to the session' }).click();
    await page.getByRole('heading', { level: 1, name: `${NAME}: session 1` }).waitFor();
    await page.locator('.dose-order').getByText('35 mg').waitFor();
    await expectState(page, 'Pre-dose OK');
    await page.locator('[data-live-status="open"]').waitFor();
  }

  // --- The nurse gives the dose: the infusion runs its 40 minutes (the test clock), then stops; monitoring.
  {
    const { page } = nurse;
    await step(page, 'Start dosing');
    await expectState(page, 'Dosing');
    await page.locator('.dose-order').getByText('35 mg').waitFor();
    assert.equal(await page.getByLabel('Dose (mg)').inputValue(), '35');
    assert.equal(await page.getByLabel('Rate (mg/h)').inputValue(), '52.5');
    await page.getByLabel('Lot number').fill('K2612-01');
    await page.getByRole('button', { name: 'Start the infusion' }).click();
    await page.getByText('Infusion of 35 mg running.').waitFor();
    await page.getByTestId('since-first-dose').filter({ hasNotText: 'No dose yet' }).waitFor();
    await boardRow.getByText('Dosing', { exact: true }).waitFor();
    await look(page, '10-session-dosing');

    await advanceClock(admin, 40);
    await page.getByRole('button', { name: 'Stop the infusion' }).click();
    await page.getByText('Infusion of 35 mg running.').waitFor({ state: 'detached' });
    await step(page, 'Start monitoring');
    await expectState(page, 'Monitoring');
    await boardRow.getByText('Monitoring', { exact: true }).waitFor();

    // A breaching blood pressure, typed at the bedside: its alert shows on the session screen and on the board.
    await page.getByLabel('Systolic (mmHg)').click();
    await page.keyboard.type('186');
    await page.keyboard.press('Enter');
    await page.keyboard.type('96');
    await page.keyboard.press('Enter');
    const alert = page.locator('.alert-item', { hasText: 'Systolic BP 186' });
    await alert.waitFor();
    await page.getByRole('heading', { name: 'Alerts: 1 open' }).waitFor();
    await boardRow.locator('.board-alerts', { hasText: 'Systolic BP 186' }).waitFor();
    // The prescriber's session tab got the reading and its alert from the live channel.
    await watch.locator('.alert-item', { hasText: 'Systolic BP 186' }).waitFor();
    await watch.locator('.latest-vital', { hasText: '186/96 mmHg' }).waitFor();
    await expectState(watch, 'Monitoring');
    await look(page, '11-session-alert');
    await look(board, '12-board-alert');
    await alert.getByLabel('Note (optional)').fill('Rechecked after 5 min: 150/88, prescriber informed');
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText(/acknowledged by nurse@clinic\.example at/).waitFor();
    await page.getByRole('heading', { name: 'Alerts: 0 open' }).waitFor();
    await boardRow.locator('.board-alerts', { hasText: 'None' }).waitFor();
    await watch.getByRole('heading', { name: 'Alerts: 0 open' }).waitFor();

    // Nausea, treated: logged as an adverse event of the session, dated at the clinic's now.
    await page.locator('details.adverse-event summary').click();
    await page.getByLabel('Event', { exact: true }).selectOption('nausea');
    await page.getByLabel('Grade (CTCAE)').selectOption('1');
    await page.getByLabel('PRN drug given').check();
    await page.getByLabel('Details').fill('Ondansetron 4 mg IV given.');
    await page.getByRole('button', { name: 'Log the event' }).click();
    const logged = page.locator('[aria-labelledby="ae-list-title"] li', { hasText: 'nausea, grade 1, onset' });
    await logged.waitFor();
    const [, hours, minutes] = /onset (\d\d):(\d\d)/.exec(await logged.innerText());
    const clinic = await clinicNow(admin);
    const drift = Math.abs(Number(hours) * 60 + Number(minutes) - (clinic.getUTCHours() * 60 + clinic.getUTCMinutes()));
    assert.ok(drift <= 2 || drift >= 24 * 60 - 2, `onset ${hours}:${minutes} is the clinic's now, ${clinic.toISOString()}`);

    // MOAA/S and CADSS, as the monitoring asks.
    await page.getByLabel('MOAA/S').selectOption('4');
    await page.getByRole('button', { name: 'Record MOAA/S' }).click();
    await page.locator('.scales [role="status"]', { hasText: /^MOAA\/S 4 recorded/ }).waitFor();
    await page.locator('.scales summary').click();
    await page.getByLabel('Item 1', { exact: true }).fill('2');
    await page.getByLabel('Item 2', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Record CADSS' }).click();
    await page.locator('.scales [role="status"]', { hasText: /^CADSS total 3 points recorded/ }).waitFor();
    await look(page, '13-session-scales');

    await step(page, 'Ready for discharge');
    await expectState(page, 'Ready for discharge');
    await page.getByLabel(/Discharge criteria met/).check();
    await step(page, 'Discharge');
    await expectState(page, 'Discharged');
    await boardRow.getByText('Discharged', { exact: true }).waitFor();
    // The time since the first dose stops at the discharge, on the board too.
    await boardRow.getByText(/^ended at \d\d:\d\d$/).waitFor();
    await expectState(watch, 'Discharged');
    assert.equal(await board.evaluate(() => window.boardMarker), 'kept', 'the board updated in place');
    await look(page, '14-session-discharged');
    await look(board, '15-board-discharged');
    // Half an hour later the session's clock has not run on (the screen reads the test clock when it loads).
    await advanceClock(admin, 30);

    // The chart shows the session completed.
    await page.getByRole('link', { name: 'Open the chart' }).click();
    await page.getByRole('heading', { level: 1, name: `${NAME} (${MRN})` }).waitFor();
    const course = page.getByRole('article', { name: /treatment-resistant depression/ });
    await course.getByText(/1 of \d+ sessions completed/).waitFor();
    const first = course.getByRole('row').filter({ has: page.getByRole('link', { name: 'Open session 1' }) });
    await first.getByText('completed (discharged)', { exact: true }).waitFor();
    await page.locator('#chart-adverse ~ *', { hasText: /nausea/ }).first().waitFor();
    await look(page, '16-chart-session-completed');
    // And from the chart back to the session, which keeps its record.
    await first.getByRole('link', { name: 'Open session 1' }).click();
    await expectState(page, 'Discharged');
    await page.getByTestId('timer-ended').waitFor();
    assert.match(await page.getByTestId('since-first-dose').innerText(), /^4[01] minutes$/);
    await page.locator('.latest-vital', { hasText: '186/96 mmHg' }).waitFor();
  }

  // --- The front desk cannot reach the patient's notes: not offered, the address says not permitted, the API refuses.
  {
    const { page } = desk;
    await page.goto(`${server.url}${chartPath}`);
    await page.getByRole('heading', { level: 1, name: `${NAME} (${MRN})` }).waitFor();
    assert.deepEqual(await page.getByRole('navigation', { name: 'Patient record' }).getByRole('link').allTextContents(), ['Chart']);
    assert.equal(await page.getByRole('link', { name: /notes/i }).count(), 0);
    await page.goto(`${server.url}${chartPath}/notes`);
    await page.getByRole('heading', { level: 1, name: 'Not permitted' }).waitFor();
    await page.getByText('Your role (front desk) may not open this page.').waitFor();
    await look(page, '17-front-desk-notes-not-permitted');
    const status = await page.evaluate(async (id) => (await fetch(`/api/v1/patients/${id}/notes`)).status, patientId);
    assert.equal(status, 403);
  }

  // Nothing went wrong in any browser but what a step provoked: the 403 just asked for, the check-in refused, the
  // 401 of /auth/me on each login page.
  assert.deepEqual(appConsoleErrors(desk.consoleErrors, [403]), []);
  assert.deepEqual(appConsoleErrors(nurse.consoleErrors, [409]), []);
  assert.deepEqual(appConsoleErrors(doctor.consoleErrors), []);
});

// The patient portal, notes and the schedule in a real Chromium against a real `kclinic serve --demo` (issue 12 §5):
// a patient answers a PHQ-9 with item 9 = 1 on a phone-sized screen and sees the crisis services while a clinician's
// page receives the alert over the live channel within 2 seconds; a clinician assigns a GAD-7 on the chart and the
// patient answers it when due, with times in the clinic's zone; a positive C-SSRS screen, asked with its skip logic,
// shows the clinic's own crisis text and services and alerts the clinician live; a front-desk user cannot reach clinical notes (no
// link, the page says not permitted, the API refuses); notes are written, signed and added to; the front desk books
// through the schedule screen and a prescriber books past a soft rule with a reason. axe-core on every screen.
//
// The clinic board is another helper's screen: until it lands, the clinician's page here is the board page with a
// WebSocket of its own on the page's origin (its cookie session, the CSP's connect-src 'self'), subscribed to the
// board as the board screen is, and the alert is asserted on what that channel delivers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient } from './clinic-api.mjs';
import { appConsoleErrors, checkA11y, login, openBrowser, screenshot, startServer } from './harness.mjs';

let server;

before(async () => {
  server = await startServer({ demo: true });
});

after(async () => {
  await server?.stop();
});

async function browserFor(t, options) {
  const browser = await openBrowser(options);
  t.after(() => browser.close());
  return browser;
}

// A JSON API call from inside the signed-in page (its cookie; the CSRF token from /auth/me for a change).
async function api(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const headers = { Accept: 'application/json' };
      if (method !== 'GET') {
        const me = await (await fetch('/api/v1/auth/me')).json();
        headers['X-CSRF-Token'] = me.csrf_token;
        headers['Content-Type'] = 'application/json';
      }
      const answer = await fetch(`/api/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
      return { status: answer.status, body: answer.status === 204 ? null : await answer.json() };
    },
    { method, path, body },
  );
}

// Sends the reviewed answers (the review screen is open); the assessment the server recorded.
async function sendAnswers(page, patientId) {
  const posted = page.waitForResponse((r) => r.url().endsWith(`/patients/${patientId}/portal/assessments`));
  await page.getByRole('button', { name: 'Send answers' }).click();
  const answer = await posted;
  assert.equal(answer.status(), 201);
  return answer.json();
}

// Subscribes `page` (a clinician's, signed in) to the board's live events, collected in window.__liveEvents.
async function subscribeToBoard(page) {
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        window.__liveEvents = [];
        const ws = new WebSocket(`ws://${window.location.host}/api/v1/live`);
        ws.onopen = () => ws.send(JSON.stringify({ subscribe: 'board' }));
        ws.onmessage = (message) => {
          const data = JSON.parse(message.data);
          if (data.type === 'subscribed') resolve();
          else window.__liveEvents.push({ ...data, receivedAt: Date.now() });
        };
        ws.onerror = () => reject(new Error('live channel failed'));
      }),
  );
}

// The suicidality alert of `patientId` reached the clinician's page (subscribeToBoard) within 2 s of `sent`.
async function expectLiveAlert(page, patientId, sent) {
  const alert = await page.waitForFunction(
    (id) => window.__liveEvents.find((e) => e.type === 'alert' && e.patient_id === id),
    patientId,
    { timeout: Math.max(1, 2000 - (Date.now() - sent)) },
  );
  const event = await alert.jsonValue();
  assert.ok(event.receivedAt - sent <= 2000, `alert arrived ${event.receivedAt - sent} ms after sending`);
  assert.match(event.record.message, /Suicidality/);
}

describe('the patient portal', () => {
  test('a patient answers a PHQ-9 with item 9 = 1 on a phone and sees the crisis services; the clinician is alerted live within 2 s', async (t) => {
    const patientBrowser = await browserFor(t, { viewport: { width: 390, height: 844 } });
    const clinicianBrowser = await browserFor(t);
    const page = patientBrowser.page;
    const clinician = clinicianBrowser.page;

    // The clinician's page, subscribed to the board before the patient answers.
    await login(clinician, server.logins.prescriber.email, server.logins.prescriber.password, server.url);
    await clinician.waitForURL(`${server.url}/board`);
    await subscribeToBoard(clinician);

    await login(page, server.logins.patient.email, server.logins.patient.password, server.url);
    await page.waitForURL(`${server.url}/portal`);
    const me = await api(page, 'GET', '/auth/me');
    const patientId = me.body.user.patient_id;
    assert.equal(typeof patientId, 'number');
    await page.getByRole('heading', { level: 2, name: 'Your progress' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'How to prepare' }).waitFor();
    await checkA11y(page, 'portal-home');
    await screenshot(page, 'portal-home-phone');
    // The preparation is the server's text, not the app's.
    const before = await api(page, 'GET', `/patients/${patientId}/portal`);
    // The demo patient's latest PHQ-9 flagged nothing: no crisis services yet.
    assert.equal(before.body.suicidality_flagged, false);
    assert.equal(await page.getByTestId('crisis-resources').count(), 0);
    for (const prep of before.body.preparation) {
      await page.getByText(prep.instructions.slice(0, 40), { exact: false }).first().waitFor();
    }

    await page.getByRole('link', { name: 'Answer the PHQ-9' }).click();
    await page.waitForURL(`${server.url}/portal/questionnaires/phq9`);
    await page.getByText('Question 1 of 9').waitFor();
    await checkA11y(page, 'portal-question');
    await screenshot(page, 'portal-question-phone');
    // Next without an answer says what to do.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('alert').getByText('Choose one answer to go on.').waitFor();
    const answers = [1, 1, 2, 1, 0, 1, 0, 0, 1];
    const choices = ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'];
    for (let item = 0; item < answers.length; item += 1) {
      await page.getByText(`Question ${item + 1} of 9`).waitFor();
      await page.getByRole('radio', { name: choices[answers[item]] }).check();
      // Back and forth keeps the answer.
      if (item === 1) {
        await page.getByRole('button', { name: 'Back' }).click();
        await page.getByText('Question 1 of 9').waitFor();
        assert.equal(await page.getByRole('radio', { name: 'Several days' }).isChecked(), true);
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByText('Question 2 of 9').waitFor();
      }
      await page.getByRole('button', { name: item === answers.length - 1 ? 'Review answers' : 'Next' }).click();
    }
    await page.getByRole('heading', { level: 2, name: 'Check your answers' }).waitFor();
    await checkA11y(page, 'portal-review');
    await screenshot(page, 'portal-review-phone');

    const sent = Date.now();
    const recorded = await sendAnswers(page, patientId);
    assert.deepEqual(recorded.answers ?? answers, answers);
    assert.ok(recorded.alerts.length >= 1, 'the server raised an alert');

    // The clinician's page has the alert from the live channel within 2 s of sending.
    await expectLiveAlert(clinician, patientId, sent);

    // The patient sees the crisis services the server sends for the clinic's region.
    const crisis = page.getByTestId('crisis-resources');
    await crisis.getByRole('heading', { name: 'Help is available now' }).waitFor();
    const portal = await api(page, 'GET', `/patients/${patientId}/portal`);
    assert.equal(portal.body.suicidality_flagged, true);
    assert.ok(portal.body.crisis_resources.length > 0);
    for (const resource of portal.body.crisis_resources) {
      await crisis.getByText(resource.contact).waitFor();
    }
    // It takes focus: a screen reader reads it first.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'crisis-title');
    await page.getByText('Thank you. Your PHQ-9 (depression) answers were sent to your care team.').waitFor();
    await checkA11y(page, 'portal-crisis');
    await screenshot(page, 'portal-crisis-phone');
    // The new score is on the chart's table.
    await page.getByText('Show the scores as a table').click();
    await page.getByRole('cell', { name: `${recorded.total} (${recorded.band})` }).first().waitFor();
    await page.locator('.portal-chart .uplot').waitFor();
    // 401: the signed-out start page's GET /auth/me.
    assert.deepEqual(appConsoleErrors(patientBrowser.consoleErrors, [401]), []);
  });
});

// Assigned questionnaires, the C-SSRS screener and the clinic's own crisis services and time zone change clinic
// settings: on a demo server of their own, so the other cases keep the defaults.
describe('assigned questionnaires', () => {
  let clinic;
  let admin;
  let patientId;

  before(async () => {
    clinic = await startServer({ demo: true });
    admin = await apiClient(clinic, clinic.logins.admin);
    const patient = await apiClient(clinic, clinic.logins.patient);
    patientId = (await patient.must('GET', '/api/v1/auth/me')).user.patient_id;
    // Far from the machine's zone (UTC here), so a time shown in the browser's zone instead would differ.
    await admin.must('PUT', '/api/v1/settings/clinic.time_zone', { value: 'Pacific/Auckland' });
  });

  after(async () => {
    await clinic?.stop();
  });

  test('a clinician assigns a GAD-7 on the chart; the patient sees it due on a phone, answers it, and sees times in the clinic zone', async (t) => {
    const { page: chart } = await browserFor(t);
    await login(chart, clinic.logins.therapist.email, clinic.logins.therapist.password, clinic.url);
    await chart.goto(`${clinic.url}/patients/${patientId}`);
    const section = chart.locator('section.chart-section', { has: chart.getByRole('heading', { level: 2, name: 'Questionnaires' }) });
    await section.getByRole('heading', { level: 3, name: 'Assign a questionnaire' }).waitFor();
    // A questionnaire a patient may not answer is refused at its field, in the server's words.
    await section.getByLabel('Questionnaire', { exact: true }).selectOption('cssrs-screen');
    await section.getByRole('button', { name: 'Assign', exact: true }).click();
    await section.locator('#questionnaire-instrument-error').getByText('not a questionnaire a patient answers', { exact: false }).waitFor();
    await section.getByLabel('Questionnaire', { exact: true }).selectOption('gad7');
    await section.getByLabel('Repeats', { exact: true }).selectOption('7');
    const assigned = chart.waitForResponse((r) => r.url().endsWith(`/patients/${patientId}/questionnaires`) && r.request().method() === 'POST');
    await section.getByRole('button', { name: 'Assign', exact: true }).click();
    assert.equal((await assigned).status(), 201);
    const row = section.getByTestId('questionnaire-assignments').getByRole('row', { name: /GAD-7/ });
    await row.getByText(/^Due since/).waitFor();
    await row.getByText('Every 7 days').waitFor();
    await checkA11y(chart, 'chart-questionnaires');
    await screenshot(chart, 'chart-questionnaires');

    const { page, consoleErrors } = await browserFor(t, { viewport: { width: 390, height: 844 } });
    await login(page, clinic.logins.patient.email, clinic.logins.patient.password, clinic.url);
    await page.waitForURL(`${clinic.url}/portal`);
    const due = page.getByTestId('assigned-gad7');
    await page.getByRole('heading', { level: 2, name: 'Asked by your care team' }).waitFor();
    await due.getByText(/^Due /).waitFor();
    await checkA11y(page, 'portal-assigned');
    await screenshot(page, 'portal-assigned-phone');
    await due.getByRole('link', { name: 'Answer the GAD-7' }).click();
    await page.waitForURL(`${clinic.url}/portal/questionnaires/gad7`);
    for (let item = 1; item <= 7; item += 1) {
      await page.getByText(`Question ${item} of 7`).waitFor();
      await page.getByRole('radio', { name: 'Several days' }).check();
      await page.getByRole('button', { name: item === 7 ? 'Review answers' : 'Next' }).click();
    }
    const recorded = await sendAnswers(page, patientId);

    // Answered: no longer due; the weekly one is next due in a week.
    await page.getByText('Thank you. Your GAD-7 (anxiety) answers were sent to your care team.').waitFor();
    await due.getByText(/^Next due /).waitFor();
    assert.equal(await due.getByRole('link').count(), 0);
    // Every time in the clinic's zone, not the browser's.
    const inClinicZone = new Intl.DateTimeFormat('en-US', {
      dateStyle: 'medium',
      timeStyle: 'short',
      hourCycle: 'h23',
      timeZone: 'Pacific/Auckland',
    }).format(new Date(recorded.assessed_at));
    await page.getByText(`Last answered ${inClinicZone}`).first().waitFor();
    assert.deepEqual(appConsoleErrors(consoleErrors, [401]), []);

    await chart.reload();
    await row.getByText(/^Next due/).waitFor();
    await row.getByText(inClinicZone).waitFor();
  });

  test('a positive C-SSRS screen, asked with its skip logic, shows the clinic\'s crisis text and alerts the clinician live', async (t) => {
    await admin.must('PUT', '/api/v1/settings/scales.cssrs_screen_self_report', { value: 'patient_allowed' });
    await admin.must('PUT', '/api/v1/settings/portal.crisis_text', {
      value: 'Our on-call psychiatrist answers day and night.',
    });
    await admin.must('PUT', '/api/v1/settings/portal.crisis_resources', {
      value: 'Clinic on-call psychiatrist: call 555-0100; Emergency services: call 911',
    });
    const prescriber = await apiClient(clinic, clinic.logins.prescriber);
    await prescriber.must('POST', `/api/v1/patients/${patientId}/questionnaires`, { instrument: 'cssrs-screen' });

    const { page: clinician } = await browserFor(t);
    await login(clinician, clinic.logins.prescriber.email, clinic.logins.prescriber.password, clinic.url);
    await subscribeToBoard(clinician);

    const { page, consoleErrors } = await browserFor(t, { viewport: { width: 390, height: 844 } });
    await login(page, clinic.logins.patient.email, clinic.logins.patient.password, clinic.url);
    await page.getByTestId('assigned-cssrs-screen').getByRole('link', { name: /C-SSRS/ }).click();
    await page.waitForURL(`${clinic.url}/portal/questionnaires/cssrs-screen`);
    await page.getByText('In the past month:').waitFor();
    await checkA11y(page, 'portal-cssrs');
    await screenshot(page, 'portal-cssrs-phone');
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    // A yes to Q2 asks Q3; a no skips Q3-Q5.
    await page.getByText('Question 2 of 7').waitFor();
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Question 3 of 7').waitFor();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('radio', { name: 'No' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Question 6 of 7').waitFor();
    // A no to Q6 skips "within the past 3 months": the review comes next.
    await page.getByRole('radio', { name: 'No' }).check();
    await page.getByRole('button', { name: 'Review answers' }).click();
    await page.getByRole('heading', { level: 2, name: 'Check your answers' }).waitFor();
    assert.equal(await page.locator('.review-list > li').count(), 3);
    await checkA11y(page, 'portal-cssrs-review');

    const sent = Date.now();
    const recorded = await sendAnswers(page, patientId);
    assert.deepEqual(recorded.answers, [1, 0, 0, 0, 0, 0, 0]);
    assert.equal(recorded.band, 'low');
    await expectLiveAlert(clinician, patientId, sent);

    const crisis = page.getByTestId('crisis-resources');
    await crisis.getByRole('heading', { name: 'Help is available now' }).waitFor();
    await crisis.getByText('Our on-call psychiatrist answers day and night.').waitFor();
    await crisis.getByText('Clinic on-call psychiatrist').waitFor();
    await crisis.getByText('call 555-0100').waitFor();
    assert.equal(await crisis.getByText('988', { exact: false }).count(), 0, 'the clinic\'s services replace the region\'s');
    assert.equal(await page.getByTestId('assigned-cssrs-screen').count(), 0, 'answered: no longer due');
    await checkA11y(page, 'portal-cssrs-crisis');
    await screenshot(page, 'portal-cssrs-crisis-phone');
    assert.deepEqual(appConsoleErrors(consoleErrors, [401]), []);
  });
});

describe('notes', () => {
  test('a front-desk user has no way to clinical notes and the API refuses', async (t) => {
    const { page } = await browserFor(t);
    await login(page, server.logins.front_desk.email, server.logins.front_desk.password, server.url);
    await page.goto(`${server.url}/patients/1`);
    await page.getByRole('navigation', { name: 'Patient record' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Notes' }).count(), 0);
    await page.goto(`${server.url}/patients/1/notes`);
    await page.getByRole('heading', { level: 1, name: 'Not permitted' }).waitFor();
    await screenshot(page, 'notes-front-desk-refused');
    const refused = await api(page, 'GET', '/patients/1/notes');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'permission_denied');
  });

  test('a therapist writes, edits and signs an integration note and adds an addendum', async (t) => {
    const { page, consoleErrors } = await browserFor(t);
    await login(page, server.logins.therapist.email, server.logins.therapist.password, server.url);
    await page.goto(`${server.url}/patients/1/notes`);
    await page.getByRole('heading', { level: 1, name: /^Notes: Demo, \w+ \(DEMO-\d{4}\)$/ }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'New note' }).waitFor();
    // A therapist writes the therapy family only.
    const kinds = await page.getByLabel('Kind of note').locator('option').allTextContents();
    assert.deepEqual(kinds, ['Preparation note', 'Integration note']);
    await checkA11y(page, 'notes');
    await page.getByLabel('Kind of note').selectOption('integration');
    await page.getByLabel('Note text').fill('Integration session 1.\nThemes: grief, relief.');
    const created = page.waitForResponse((r) => r.url().endsWith('/patients/1/therapy-notes'));
    await page.getByRole('button', { name: 'Save as draft' }).click();
    const note = await (await created).json();
    const card = page.locator(`article[data-note="${note.id}"]`);
    await card.getByText('Draft', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Edit draft' }).click();
    await card.getByLabel('Note text').fill('Integration session 1.\nThemes: grief, relief, hope.');
    await card.getByRole('button', { name: 'Save changes' }).click();
    const edited = card;
    await edited.getByText('Themes: grief, relief, hope.').waitFor();
    await edited.getByRole('button', { name: 'Sign note' }).click();
    await edited.getByText('Signed', { exact: true }).waitFor();
    assert.equal(await edited.getByRole('button', { name: 'Edit draft' }).count(), 0, 'a signed note is not edited');
    await edited.getByLabel('Addendum').fill('Reviewed with the prescriber.');
    await edited.getByRole('button', { name: 'Add addendum' }).click();
    await edited.getByText('Reviewed with the prescriber.').waitFor();
    await checkA11y(page, 'notes-signed');
    await screenshot(page, 'notes-signed');
    assert.deepEqual(appConsoleErrors(consoleErrors, [401]), []);
  });
});

describe('the schedule', () => {
  test('the front desk books a slot found by the search; a refusal shows the rule; a prescriber books past a soft rule with a reason', async (t) => {
    const { page, consoleErrors } = await browserFor(t);
    await login(page, server.logins.front_desk.email, server.logins.front_desk.password, server.url);
    await page.waitForURL(`${server.url}/schedule`);
    await page.getByRole('heading', { level: 2, name: /^Day plan for/ }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Chair 1' }).waitFor();
    await checkA11y(page, 'schedule');
    await screenshot(page, 'schedule-day');

    // A patient found by name, a follow-up in the first free slot.
    await page.getByLabel('Patient name or MRN').fill('Demo');
    await page.getByRole('button', { name: 'Find patient' }).click();
    const first = page.locator('.booking-panel input[type=radio]').first();
    await first.check();
    await page.getByLabel('Appointment type').selectOption('follow-up');
    await page.getByRole('button', { name: 'Find free slots' }).click();
    const bookButtons = page.getByRole('button', { name: /^Book / });
    await bookButtons.first().waitFor();
    await checkA11y(page, 'schedule-slots');
    await screenshot(page, 'schedule-slots');
    const booked = page.waitForResponse((r) => r.url().endsWith('/api/v1/appointments') && r.request().method() === 'POST');
    await bookButtons.first().click();
    const answer = await booked;
    assert.equal(answer.status(), 201);
    const appointment = await answer.json();
    await page.locator('.notice-info', { hasText: 'Booked for' }).waitFor();

    // The booking is on its day's plan.
    const day = await api(page, 'GET', `/appointments/${appointment.id}`);
    assert.equal(day.body.status, 'booked');

    // 03:00 is outside the clinic's hours: a soft rule the front desk cannot pass.
    const manualDate = page.locator('#booking-date');
    const tomorrow = await api(page, 'GET', `/schedule/day?date=${appointment.start.slice(0, 10)}`);
    assert.equal(tomorrow.status, 200);
    await manualDate.fill(nextWeekday());
    await page.locator('#booking-time').fill('03:00');
    await page.locator('.booking-panel').getByRole('button', { name: 'Book', exact: true }).click();
    const refusal = page.locator('.booking-panel [role=alert]');
    await refusal.getByText('outside_hours', { exact: false }).waitFor();
    await refusal.getByText('Only a prescriber can book past this rule', { exact: false }).waitFor();
    assert.equal(await page.getByLabel('Reason for booking past this rule').count(), 0);
    await checkA11y(page, 'schedule-refused');
    await screenshot(page, 'schedule-refused');
    // 401: the signed-out start page's GET /auth/me; 409: the refusal provoked above.
    assert.deepEqual(appConsoleErrors(consoleErrors, [401, 409]), []);
  });

  test('a prescriber books past a soft rule with a reason, and the front desk cancels it with a reason', async (t) => {
    const { page } = await browserFor(t);
    await login(page, server.logins.prescriber.email, server.logins.prescriber.password, server.url);
    const date = nextWeekday();
    await page.goto(`${server.url}/schedule?date=${date}`);
    await page.getByLabel('Patient name or MRN').fill('Demo');
    await page.getByRole('button', { name: 'Find patient' }).click();
    await page.locator('.booking-panel input[type=radio]').nth(1).check();
    await page.getByLabel('Appointment type').selectOption('follow-up');
    await page.locator('#booking-time').fill('06:00');
    await page.locator('.booking-panel').getByRole('button', { name: 'Book', exact: true }).click();
    await page.locator('.booking-panel [role=alert]').getByText('outside_hours', { exact: false }).waitFor();
    await page.getByLabel('Reason for booking past this rule').fill('Patient works nights; agreed early visit');
    await page.getByRole('button', { name: 'Book past the rule' }).click();
    const card = page.locator('.appointment', { hasText: 'booked past outside_hours' });
    await card.waitFor();
    await checkA11y(page, 'schedule-override');
    await screenshot(page, 'schedule-override');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await login(page, server.logins.front_desk.email, server.logins.front_desk.password, server.url);
    await page.goto(`${server.url}/schedule?date=${date}`);
    await card.getByRole('button', { name: /^Cancel the appointment of/ }).click();
    await card.getByRole('button', { name: 'Cancel appointment' }).click();
    await card.getByText('Give the reason for cancelling.').waitFor();
    await card.getByLabel('Reason for cancelling').fill('Patient asked to move to next month');
    await card.getByRole('button', { name: 'Cancel appointment' }).click();
    await page.locator('.appointment.status-cancelled', { hasText: 'Patient asked to move to next month' }).waitFor();
  });
});

describe('moving and arriving', () => {
  test('the front desk reschedules an appointment to another free slot, and a nurse checks the patient in', async (t) => {
    const { page } = await browserFor(t);
    await login(page, server.logins.front_desk.email, server.logins.front_desk.password, server.url);
    const from = nextWeekday();
    const slots = await api(page, 'GET', `/slots?type=follow-up&patient_id=5&from=${from}&to=${from}&count=3`);
    assert.equal(slots.status, 200);
    const [slot] = slots.body.items;
    const created = await api(page, 'POST', '/appointments', { type: 'follow-up', patient_id: 5, start: slot.start });
    assert.equal(created.status, 201);
    const id = created.body.id;

    await page.goto(`${server.url}/schedule?date=${from}`);
    const card = page.locator(`[data-appointment="${id}"]`);
    // A no-show before the start is refused, in the server's words.
    await card.getByRole('button', { name: /^Mark .* as no-show$/ }).click();
    await card.getByRole('alert').getByText('has not started yet; cancel it instead', { exact: false }).waitFor();
    await card.getByRole('button', { name: /^Reschedule / }).click();
    await page.getByRole('heading', { level: 2, name: /^Reschedule / }).waitFor();
    await page.getByRole('button', { name: 'Find free slots' }).click();
    const moves = page.getByRole('button', { name: /^Book .* Move here$|^Book / });
    await moves.nth(1).waitFor();
    const moved = page.waitForResponse((r) => r.url().endsWith(`/appointments/${id}/reschedule`));
    await moves.nth(1).click();
    const answer = await moved;
    assert.equal(answer.status(), 200);
    const after = await answer.json();
    assert.notEqual(after.start, created.body.start);
    assert.equal(after.version, created.body.version + 1);
    await screenshot(page, 'schedule-rescheduled');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await login(page, server.logins.nurse.email, server.logins.nurse.password, server.url);
    await page.goto(`${server.url}/schedule?date=${after.start.slice(0, 10)}`);
    // A nurse checks in; booking is not theirs.
    assert.equal(await card.getByRole('button', { name: /^Reschedule / }).count(), 0);
    await card.getByRole('button', { name: /^Check in / }).click();
    await card.getByText('Checked in', { exact: true }).waitFor();
    await checkA11y(page, 'schedule-nurse');
    await screenshot(page, 'schedule-checked-in');
  });
});

// A weekday at least two days ahead (UTC calendar; the demo clinic's hours are on weekdays), as YYYY-MM-DD.
function nextWeekday() {
  const day = new Date(Date.now() + 2 * 86_400_000);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

// The controlled-substance safe through its screens (issue 14 §2), in one walk against a real `kclinic serve`: a nurse
// receives a vial; draws from it for the IV administration of a session (recorded through the API: the session
// screen is session.test's); wastes the remainder while a second nurse signs as witness in the dialog, in place with
// her own password (a wrong one is refused in the dialog and signs nobody out); counts the safe with the second nurse
// and finds it short; an admin names the prescriber medical director, who finds the discrepancy on the clinic board
// and explains and signs it; the dispensing log
// and the record of losses show it all, print with their header and download as CSV. axe-core on every screen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addUser, apiClient, patientWithCourse } from './clinic-api.mjs';
import { appConsoleErrors, checkA11y, login, openBrowser, screenshot, sidewaysOverflow, startServer } from './harness.mjs';

let server;
let users;
let patientId;
let sessionId;

before(async () => {
  server = await startServer({ testClock: true });
  users = {
    admin: addUser(server, 'admin@clinic.example', 'admin', 'admin-pass-12345'),
    nurse: addUser(server, 'nurse@clinic.example', 'nurse', 'nurse-pass-12345'),
    nurse2: addUser(server, 'nurse2@clinic.example', 'nurse', 'nurse2-pass-12345'),
    prescriber: addUser(server, 'prescriber@clinic.example', 'prescriber', 'prescriber-pass-12345'),
  };
  const api = {
    admin: await apiClient(server, users.admin),
    nurse: await apiClient(server, users.nurse),
    prescriber: await apiClient(server, users.prescriber),
  };
  ({ patientId, sessionId } = await patientWithCourse(api, {
    product: 'ketamine-iv',
    protocol: 'iv-induction',
    route: 'iv',
    givenName: 'Sam',
    familyName: 'Safe',
    address: '12 Example Street\nSpringfield, IL 62701',
  }));
  const { nurse } = api;
  const session = `/api/v1/sessions/${sessionId}`;
  await nurse.must('POST', `${session}/check-in`, { consent_confirmed: true, escort_confirmed: true }, 200);
  await nurse.must('POST', `/api/v1/patients/${patientId}/vitals`, {
    loinc: '85354-9', systolic: 124, diastolic: 78, unit: 'mm[Hg]', session_id: sessionId,
  }, 201);
  await nurse.must('POST', `${session}/pre-dose`, undefined, 200);
  await api.prescriber.must('POST', `${session}/dose-order`, { route: 'iv', weight_kg: 70 }, 201);
  await nurse.must('POST', `${session}/start-dosing`, undefined, 200);
  // 0.5 mg/kg of 70 kg over 40 min: 35 mg.
  await nurse.must('POST', `${session}/administrations`, {
    drug: 'ketamine', route: 'iv', dose_mg: 35, rate_mg_per_h: 52.5, lot_number: 'WEB-K50-1',
  }, 201);
});

after(async () => {
  await server?.stop();
});

// The screen is drawn, accessible and never scrolls sideways.
async function look(page, name) {
  await checkA11y(page, `safe-${name}`);
  assert.deepEqual(await sidewaysOverflow(page), [], `${name} is wider than the window`);
  await screenshot(page, `safe-${name}`);
}

test('receive, draw, waste before a witness, count, sign the discrepancy, and the inspector\'s reports', async (t) => {
  const browser = await openBrowser();
  t.after(() => browser.close());
  const { page, consoleErrors } = browser;
  await login(page, users.nurse.email, users.nurse.password, server.url);
  await page.getByRole('link', { name: 'Safe', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Controlled-substance safe' }).waitFor();
  await page.getByText('No stock is recorded.').waitFor();

  // --- Receive one 10 mL vial of 50 mg/mL.
  await page.getByLabel('Product', { exact: true }).selectOption('ketamine_50mg_ml_10ml');
  await page.getByLabel('Lot number', { exact: true }).fill('WEB-K50-1');
  await page.getByLabel('Expiry date', { exact: true }).fill('2099-06-30');
  await page.getByLabel('Supplier', { exact: true }).fill('Acme Wholesale');
  await page.getByLabel('Invoice number', { exact: true }).fill('INV-77');
  await page.getByRole('button', { name: 'Record the receipt' }).click();
  await page.getByText('Received 1 container of Ketamine HCl 50 mg/mL, 10 mL multi-dose vial, lot WEB-K50-1.').waitFor();
  const row = page.getByRole('row').filter({ hasText: 'WEB-K50-1' });
  await row.getByText('10 mL (500 mg)').waitFor();
  await look(page, '01-received');

  // --- Draw 1 mL for the session's administration, 35 mg of it given.
  await row.getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: /^#\d+ Ketamine HCl 50 mg\/mL/ }).waitFor();
  const sessionChoice = page.getByLabel('Today’s session').locator('option', { hasText: /Sam/ });
  await page.getByLabel('Today’s session').selectOption(await sessionChoice.getAttribute('value'));
  await page.getByLabel('Administration', { exact: true }).locator('option', { hasText: '35 mg' }).waitFor({ state: 'attached' });
  await page.getByLabel('Amount drawn', { exact: true }).fill('1');
  await page.getByLabel('Of it, given to the patient', { exact: true }).fill('35');
  await page.getByLabel('Unit of Of it, given to the patient').selectOption('mg');
  await page.getByRole('button', { name: 'Record the draw' }).click();
  await page.getByText('The draw is recorded.').waitFor();
  await page.getByText('Still in hand: 0.3 mL (15 mg)').waitFor();
  await look(page, '02-drawn');

  // --- Waste the 0.3 mL left before the second nurse, who signs in place; a wrong password first.
  await page.getByLabel('Amount', { exact: true }).fill('0.3');
  await page.getByRole('button', { name: 'Waste with a witness…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Witness the waste' });
  await dialog.getByText(/^Waste 0.3 mL of #\d+ Ketamine/).waitFor();
  await dialog.getByLabel('Witness’s email').fill(users.nurse2.email);
  await dialog.getByLabel('Witness’s password').fill('not-her-password');
  await dialog.getByRole('button', { name: 'Witness and record the waste' }).click();
  await dialog.locator('.field-error').waitFor();
  assert.equal(await dialog.getByLabel('Witness’s password').inputValue(), '', 'a refused password is not kept');
  assert.match(page.url(), /\/safe\/containers\/\d+$/, 'the nurse at the screen stays signed in');
  await look(page, '03-witness-dialog');
  await dialog.getByLabel('Witness’s password').fill(users.nurse2.password);
  await dialog.getByRole('button', { name: 'Witness and record the waste' }).click();
  await page.getByText(`The waste is recorded, witnessed by ${users.nurse2.email}.`).waitFor();
  await page.getByRole('cell', { name: `witness ${users.nurse2.email}` }).waitFor();
  assert.equal(await page.getByText('Remainders in hand').count(), 0);

  // --- Count the safe with the second nurse: 8.9 mL found where the book says 9 mL.
  await page.getByRole('link', { name: 'Count and discrepancies' }).click();
  await page.getByRole('heading', { level: 1, name: 'Count of the safe' }).waitFor();
  await page.getByLabel(/^Found in #\d+$/).fill('8.9');
  await page.getByLabel('Note (optional)', { exact: true }).fill('end of day');
  await page.getByRole('button', { name: 'Record the count with the second counter…' }).click();
  const counter = page.getByRole('dialog', { name: 'Second counter' });
  await counter.getByLabel('Witness’s email').fill(users.nurse2.email);
  await counter.getByLabel('Witness’s password').fill(users.nurse2.password);
  await counter.getByRole('button', { name: 'Sign and record the count' }).click();
  await page.getByText('1 container differs from the book: the medical director is alerted.').waitFor();
  await page.getByRole('cell', { name: 'Discrepancy: 0.1 mL (5 mg) missing' }).waitFor();
  await page.getByText('Awaits the medical director’s explanation and signature.').waitFor();
  await look(page, '04-counted');

  // --- An admin names the prescriber medical director on the users screen.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await login(page, users.admin.email, users.admin.password, server.url);
  await page.goto(`${server.url}/admin`);
  await page.getByRole('button', { name: `Manage ${users.prescriber.email}` }).click();
  await page.getByRole('button', { name: 'Name medical director' }).click();
  await page.getByText(`${users.prescriber.email} is the medical director: they alone sign count discrepancies and are alerted to them.`).waitFor();
  await page.getByRole('cell', { name: 'prescriber (medical director)' }).waitFor();
  await look(page, '05-director-named');

  // --- The medical director finds the alert on the clinic board, explains and signs it.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await login(page, users.prescriber.email, users.prescriber.password, server.url);
  await page.goto(`${server.url}/board`);
  const alert = page.getByRole('alert').filter({ hasText: '1 count discrepancy of the safe awaits your explanation and signature.' });
  // The product as the formulary describes it, not its code.
  await alert.getByText('Ketamine HCl 50 mg/mL, 10 mL multi-dose vial, lot WEB-K50-1').waitFor();
  await look(page, '05-board-alert');
  await alert.getByRole('link', { name: 'See the discrepancies' }).click();
  await page.getByLabel('Explanation of the discrepancy', { exact: true }).fill('0.1 mL spilled while capping the syringe; not recorded.');
  await page.getByRole('button', { name: 'Sign the explanation' }).click();
  await page.getByText('No discrepancy is open.').waitFor();
  await page.getByText('1 discrepancy explained and signed').click();
  await page.getByText(/^Explanation: 0.1 mL spilled while capping the syringe; not recorded. \(signed by prescriber@clinic.example/).waitFor();
  await look(page, '05-signed');

  // --- The dispensing log: the draw, what was given and wasted, the witness; printed with its header; as CSV.
  await page.getByRole('link', { name: 'Inspection reports' }).click();
  await page.getByRole('heading', { level: 2, name: /^Dispensing log of ketamine/ }).waitFor();
  const draw = page.locator('table.safe-table tbody tr').filter({ hasText: 'WEB-K50-1' });
  await draw.getByText('1 mL (50 mg)').waitFor();
  await draw.getByText('0.7 mL (35 mg)').waitFor();
  await draw.getByText(`witness ${users.nurse2.email}`).waitFor();
  // To whom it was dispensed, by name and address (21 CFR 1304.22(c)).
  assert.match(await draw.locator('td.dispensed-to').innerText(), /^Sam Safe\s+12 Example Street\s+Springfield, IL 62701$/);
  await look(page, '06-dispensing-log');
  await page.emulateMedia({ media: 'print' });
  const header = page.getByTestId('print-header');
  assert.ok(await header.isVisible(), 'every printed page is headed');
  assert.match(await header.innerText(), /Dispensing log of ketamine, .* · kclinic at /);
  assert.equal(await page.getByRole('button', { name: 'Print the report' }).isVisible(), false);
  await page.emulateMedia({ media: 'screen' });
  const csvHref = await page.getByRole('link', { name: 'Download as CSV' }).getAttribute('href');
  const csv = await page.request.get(`${server.url}${csvHref}`);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);
  const lines = (await csv.text()).trim().split(/\r?\n/);
  assert.match(lines[0], /^recorded_at,recorded_by,product,lot_number/);
  assert.match(lines[0], /,patient_given_name,patient_family_name,patient_address,/);
  assert.equal(lines.length, 2, 'one draw');
  assert.match(lines[1], /WEB-K50-1/);

  // --- The record of losses: the waste and the count's discrepancy.
  await page.getByLabel('Report', { exact: true }).selectOption('losses');
  await page.getByRole('button', { name: 'Show the report' }).click();
  await page.getByRole('heading', { level: 2, name: /^Record of losses/ }).waitFor();
  await page.getByRole('cell', { name: '8.9 mL (445 mg) found; the book said 9 mL (450 mg)' }).waitFor();
  await look(page, '07-losses');

  assert.deepEqual(appConsoleErrors(consoleErrors, [401]), []);
});

// The demo walk (issue 12, "Done when: a new user runs `make run`, opens the printed URL, logs in with a demo account
// and can do every task above by pointing and typing"): `kclinic serve --demo` on a fresh SQLite file, as `make run`
// starts it; README's demo logins are the ones it prints, and each signs in, lands on its area and opens every screen
// its role may open, each drawn with the demo clinic's data, without a console error, axe-core clean. Screenshots of
// the main screens (board, the session in monitoring, chart, schedule, notes, portal) are kept as artifacts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  appConsoleErrors,
  checkA11y,
  login,
  openBrowser,
  repoRoot,
  screenshot,
  sidewaysOverflow,
  startServer,
} from './harness.mjs';

let server;
// The session the demo keeps in monitoring now, as the server prints it: { session, patient }.
let monitoring;
// The main screens already photographed (by the first role that opens each).
const screenshotsTaken = new Set();

before(async () => {
  server = await startServer({ demo: true });
  const printed = /session #(\d+) of patient #(\d+) is in monitoring/.exec(server.output());
  assert.ok(printed, `kclinic serve --demo names no session in monitoring:\n${server.output()}`);
  monitoring = { session: Number(printed[1]), patient: Number(printed[2]) };
});

after(async () => {
  await server?.stop();
});

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

test("README's demo logins and demo lines are what `kclinic serve --demo` prints", () => {
  // The block README shows of `make run`'s output.
  const block = /```\n(kclinic serving on [\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README shows the output of make run');
  const logins = [...block[1].matchAll(/^ {2}(\w+)\s+(\S+@\S+)\s+(\S+)$/gm)].map(([, role, email, password]) => ({ role, email, password }));
  assert.deepEqual(
    logins,
    ['admin', 'prescriber', 'nurse', 'therapist', 'front_desk', 'patient'].map((role) => server.logins[role]),
  );
  const safeLine = /^demo clinic: the safe holds .*$/m;
  const [safeStart, safeEnd] = safeLine.exec(block[1])[0].split(' ... ');
  const safePrinted = safeLine.exec(server.output())?.[0] ?? '';
  assert.ok(safePrinted.startsWith(safeStart) && safePrinted.endsWith(safeEnd), `README: ${safeStart} ... ${safeEnd}\nserver: ${safePrinted}`);
  // The ids depend on the weekday the demo starts (its week of bookings is laid out around today, so the order in
  // which its patients are registered shifts), not the line's words.
  const monitoringLine = /^demo clinic: session #\d+ of patient #\d+ is in monitoring.*$/m;
  const withoutIds = (line) => line?.replace(/#\d+/g, '#N');
  assert.equal(withoutIds(monitoringLine.exec(server.output())?.[0]), withoutIds(monitoringLine.exec(block[1])?.[0]));
  // The demo clinic needs no second factor, and says so (docs/security.md "Second factor").
  const warningLine = /^demo clinic: WARNING .*$/m;
  assert.ok(warningLine.exec(server.output()), server.output());
  assert.equal(warningLine.exec(server.output())?.[0], warningLine.exec(block[1])?.[0]);
  // README abbreviates the counts with "...": what it shows is what the server says, but for the number of
  // appointments, which depends on the weekday and hour the demo starts (the days already past are completed).
  const withoutAppointmentCount = (line) => line.replace(/\d+ appointments booked$/, 'N appointments booked');
  const [shownStart, shownEnd] = withoutAppointmentCount(/^demo clinic \(synthetic.*$/m.exec(block[1])[0]).split(', ..., ');
  const counts = withoutAppointmentCount(/^demo clinic \(synthetic.*$/m.exec(server.output())[0]);
  assert.ok(counts.startsWith(shownStart) && counts.endsWith(shownEnd), `README: ${shownStart} ... ${shownEnd}\nserver: ${counts}`);
});

// The clinic's weekday today: the demo books Monday to Friday of the current week.
function clinicWeekday() {
  const day = new Date().getUTCDay();
  return day >= 1 && day <= 5;
}

// Every screen a role may open, in the order a person of that role would, and what shows it drawn with demo data.
// `shot` names the screenshot of a main screen.
function screens(role) {
  const { session, patient } = monitoring;
  const board = {
    path: '/board',
    shot: 'board',
    async drawn(page) {
      const row = page.locator(`tr[data-session-id="${session}"]`);
      await row.getByText('Monitoring', { exact: true }).waitFor();
      await row.locator('.board-vitals li').first().waitFor();
      await page.locator('[data-live-status="open"]').waitFor();
    },
  };
  const sessionScreen = {
    path: `/sessions/${session}`,
    shot: 'session-monitoring',
    async drawn(page) {
      await page.getByRole('heading', { level: 1, name: /: session \d+$/ }).waitFor();
      await page.locator('.state-badge .state-value').filter({ hasText: /^Monitoring$/ }).waitFor();
      await page.locator('.latest-vital').first().waitFor();
      await page.getByRole('heading', { name: 'Dose order' }).waitFor();
      await page.locator('.dose-order dl').waitFor();
      await page.locator('.vitals-chart-plot canvas').first().waitFor();
    },
  };
  const patients = {
    path: '/patients',
    async drawn(page) {
      await page.getByRole('heading', { level: 1, name: 'Patients' }).waitFor();
      await page.getByRole('cell', { name: 'Demo' }).first().waitFor();
    },
  };
  const chartHeading = /^Demo, \w+ \(DEMO-\d{4}\)$/;
  const chart = {
    path: '/patients/1',
    shot: 'chart',
    async drawn(page) {
      await page.getByRole('heading', { level: 1, name: chartHeading }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Latest screening' }).waitFor();
      await page.locator('.screening .badge').first().waitFor();
      await page.getByRole('heading', { level: 3, name: /:/ }).first().waitFor(); // a course
      await page.getByRole('img', { name: /over time/ }).locator('canvas').first().waitFor();
    },
  };
  const intake = {
    path: '/patients/1/intake',
    async drawn(page) {
      await page.getByRole('heading', { level: 1, name: /^Intake and screening: Demo, / }).waitFor();
      await page.getByRole('list', { name: 'History' }).getByRole('listitem').first().waitFor();
    },
  };
  const notes = {
    path: '/patients/1/notes',
    shot: 'notes',
    async drawn(page) {
      await page.getByRole('heading', { level: 1, name: /^Notes: Demo, \w+ \(DEMO-\d{4}\)$/ }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Notes' }).waitFor();
      await page.locator('article.note .note-body').first().waitFor();
    },
  };
  const schedule = {
    path: '/schedule',
    shot: 'schedule',
    async drawn(page) {
      await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
      await page.locator('#day-title').waitFor();
      if (clinicWeekday()) await page.locator('li.appointment').first().waitFor();
    },
  };
  const register = {
    path: '/patients/new',
    async drawn(page) {
      await page.getByRole('heading', { level: 1, name: 'Register a patient' }).waitFor();
      await page.getByLabel('MRN').waitFor();
    },
  };
  const clinical = [board, sessionScreen, patients, chart, intake, notes, schedule];
  // The controlled-substance safe of prescribers and nurses (issue 14 §2): the stocked safe with its expired lot
  // said in words, the count's discrepancy explained and signed, the week's dispensing log.
  const safe = [
    {
      path: '/safe',
      shot: 'safe',
      async drawn(page) {
        await page.getByRole('heading', { level: 2, name: 'Stock on hand' }).waitFor();
        await page.getByRole('row').filter({ hasText: 'DEMO-K50-2611' }).first().waitFor();
        await page.getByRole('row').filter({ hasText: 'DEMO-K100-2512' }).getByText(/^Expired .*: cannot be drawn$/).waitFor();
      },
    },
    {
      path: '/safe/count',
      async drawn(page) {
        await page.getByRole('heading', { level: 2, name: 'Discrepancies' }).waitFor();
        await page.getByText('1 discrepancy explained and signed').waitFor();
      },
    },
    {
      path: '/safe/reports',
      shot: 'safe-dispensing-log',
      async drawn(page) {
        await page.getByRole('heading', { level: 2, name: /^Dispensing log of ketamine/ }).waitFor();
        await page.locator('table.safe-table tbody tr').first().waitFor();
      },
    },
  ];
  // A screen drawn once its heading and a table row holding `rowText` show.
  const tableScreen = (path, heading, rowText) => ({
    path,
    async drawn(page) {
      await page.getByRole('heading', heading).waitFor();
      await page.getByRole('row').filter({ hasText: rowText }).first().waitFor();
    },
  });
  switch (role) {
    case 'admin':
      return [
        tableScreen('/admin', { level: 2, name: 'Users' }, 'nurse@demo.kclinic.example'),
        {
          path: '/admin/users/new',
          async drawn(page) {
            await page.getByRole('heading', { level: 1, name: 'Add a user' }).waitFor();
          },
        },
        tableScreen('/admin/settings', { level: 1, name: 'Clinic settings' }, 'monitoring.systolic_alert_at_or_above'),
        {
          path: '/admin/audit',
          async drawn(page) {
            await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
            await page.locator('table.admin-audit tbody tr').first().waitFor();
          },
        },
      ];
    case 'therapist':
      return clinical;
    case 'nurse':
      return [...clinical, register, ...safe];
    case 'prescriber':
      return [
        ...clinical,
        {
          path: `/patients/${patient}/sessions/${session}/dose-order`,
          async drawn(page) {
            await page.getByRole('heading', { name: 'Signed dose order, step by step' }).waitFor();
            await page.locator('.dose-steps li').first().waitFor();
          },
        },
        register,
        ...safe,
      ];
    case 'front_desk':
      return [
        schedule,
        patients,
        {
          path: '/patients/1',
          async drawn(page) {
            await page.getByRole('heading', { level: 1, name: chartHeading }).waitFor();
            await page.getByRole('heading', { level: 2, name: 'Treatment courses' }).waitFor();
            await page.getByRole('heading', { level: 3, name: /:/ }).first().waitFor();
          },
        },
        register,
      ];
    case 'patient':
      return [
        {
          path: '/portal',
          shot: 'portal',
          async drawn(page) {
            await page.getByText(/^Hello, \w+/).waitFor();
            await page.getByRole('heading', { level: 2, name: 'Questionnaires' }).waitFor();
            await page.getByRole('heading', { level: 2, name: 'Your progress' }).waitFor();
          },
        },
        ...['phq9', 'gad7'].map((instrument) => ({
          path: `/portal/questionnaires/${instrument}`,
          async drawn(page) {
            await page.locator('h2.item-text').waitFor();
          },
        })),
      ];
    default:
      throw new Error(`no screens listed for ${role}`);
  }
}

// Where each role lands (access.ts homePath) and the heading it sees there.
const landing = {
  admin: { path: '/admin', heading: 'Administration' },
  prescriber: { path: '/board', heading: 'Clinic board' },
  nurse: { path: '/board', heading: 'Clinic board' },
  therapist: { path: '/board', heading: 'Clinic board' },
  front_desk: { path: '/schedule', heading: 'Schedule' },
  patient: { path: '/portal', heading: 'My care' },
};

describe('each demo account', () => {
  for (const role of Object.keys(landing)) {
    test(`the ${role} signs in from the printed URL, lands on their area and opens every screen they may`, async (t) => {
      // The portal is phone-sized first (issue 12 §3): the patient uses a phone's window.
      const browser = await openBrowser(role === 'patient' ? { viewport: { width: 390, height: 844 } } : {});
      t.after(() => browser.close());
      const { page, consoleErrors } = browser;
      const { email, password } = server.logins[role];
      await page.goto(server.url);
      await page.waitForURL(/\/login$/);
      await login(page, email, password);
      await page.waitForURL(`${server.url}${landing[role].path}`);
      await page.getByRole('heading', { level: 1, name: landing[role].heading }).waitFor();
      // (A phone's narrow window leaves it out of the layout: app.css.)
      await page.getByText(`Signed in as ${email}`).waitFor({ state: 'attached' });
      for (const screen of screens(role)) {
        if (new URL(page.url()).pathname !== screen.path) await page.goto(`${server.url}${screen.path}`);
        await screen.drawn(page);
        await checkA11y(page, `demo-${role}${screen.path}`);
        // Nothing wider than the window (a long address, a table): the page never scrolls sideways (WCAG 1.4.10).
        assert.deepEqual(await sidewaysOverflow(page), [], `${role}: ${screen.path} is wider than the window`);
        if (screen.shot && !screenshotsTaken.has(screen.shot)) {
          screenshotsTaken.add(screen.shot);
          await screenshot(page, `demo-${screen.shot}`);
        }
      }
      assert.deepEqual(appConsoleErrors(consoleErrors), []);
    });
  }

  test("README's second nurse signs in and lands on the board", async (t) => {
    const [, email, password] = /A second nurse, `(\S+@\S+)`, logs in with `(\S+)`/.exec(readme);
    const browser = await openBrowser();
    t.after(() => browser.close());
    await login(browser.page, email, password, server.url);
    await browser.page.waitForURL(`${server.url}/board`);
    await browser.page.getByRole('heading', { level: 1, name: 'Clinic board' }).waitFor();
    assert.deepEqual(appConsoleErrors(browser.consoleErrors), []);
  });
});


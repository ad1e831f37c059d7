// Idle expiry keeps unsaved input (issue 12 §2): the warning before sign-out, "Stay signed in", the sign-out after
// 29 minutes without activity (a minute under the server's 30), and the draft restored after signing in again.
// Time is moved with Playwright's fake clock in the page, so nothing waits real minutes. The page under test is
// the real app built with one extra route (fixtures/draft-app) whose form uses useDraft.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { checkA11y, login, openBrowser, screenshot, startServer, webDir } from './harness.mjs';

const nurse = { email: 'nurse.idle@clinic.example', password: 'idle-test-nurse-pass', role: 'nurse', name: 'Ida Idle' };
const frontDesk = { email: 'desk.idle@clinic.example', password: 'idle-test-desk-pass', role: 'front_desk' };
let server;
let webRoot;

before(async () => {
  webRoot = mkdtempSync(path.join(tmpdir(), 'kclinic-draft-app-'));
  const { build } = await import('vite');
  await build({
    configFile: path.join(webDir, 'vite.config.ts'),
    root: path.join(webDir, 'tests/fixtures/draft-app'),
    publicDir: false,
    logLevel: 'error',
    build: { outDir: webRoot, emptyOutDir: true },
  });
  server = await startServer({ users: [nurse, frontDesk], webRoot });
});

after(async () => {
  await server?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

test('idle expiry warns, can be put off, signs out, and keeps the draft for the same user', async (t) => {
  const browser = await openBrowser();
  t.after(() => browser.close());
  const { page, context } = browser;
  await page.clock.install();
  await login(page, nurse.email, nurse.password, server.url);
  await page.goto(`${server.url}/draft-probe`);
  await page.getByRole('heading', { level: 1, name: 'Draft probe' }).waitFor();
  const text = 'Pre-dose BP 128/84 mmHg, patient calm, escort confirmed';
  await page.getByLabel('Note text').fill(text);

  // 27.5 minutes without a key or a click: the warning, as a dialog that takes focus.
  await page.clock.fastForward('27:30');
  const dialog = page.getByRole('dialog', { name: 'Still there?' });
  await dialog.waitFor();
  await dialog.getByText(/signed out in 1 minute|signed out in 9\d seconds/).waitFor();
  await checkA11y(page, 'idle-warning');
  await screenshot(page, 'shell-idle-warning');
  await dialog.getByRole('button', { name: 'Stay signed in' }).click();
  await dialog.waitFor({ state: 'hidden' });

  // Put off: two more minutes are no longer idle enough.
  await page.clock.fastForward('02:00');
  assert.equal(await dialog.isVisible(), false);
  assert.equal(new URL(page.url()).pathname, '/draft-probe');

  // 29 minutes untouched: signed out, on the login page that knows where the user was.
  await page.clock.fastForward('29:05');
  await page.waitForURL(/\/login\?next=%2Fdraft-probe$/);
  await page.getByText('You were signed out after 29 minutes without activity.', { exact: false }).waitFor();
  // The app ended the session on the server too.
  assert.equal((await context.request.get(`${server.url}/api/v1/auth/me`)).status(), 401);

  await login(page, nurse.email, nurse.password);
  await page.waitForURL(`${server.url}/draft-probe`);
  await page.getByRole('status').getByText('Draft restored').waitFor();
  assert.equal(await page.getByLabel('Note text').inputValue(), text);

  // Signing out on purpose drops the user's drafts.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await login(page, nurse.email, nurse.password);
  await page.goto(`${server.url}/draft-probe`);
  await page.getByRole('heading', { level: 1, name: 'Draft probe' }).waitFor();
  assert.equal(await page.getByLabel('Note text').inputValue(), '');
});

test("another user signing in in the same tab does not get the previous user's draft", async (t) => {
  const browser = await openBrowser();
  t.after(() => browser.close());
  const { page, context } = browser;
  await login(page, nurse.email, nurse.password, server.url);
  await page.goto(`${server.url}/draft-probe`);
  await page.getByLabel('Note text').fill('Patient disclosed nausea after the last session');
  // The session is gone (the browser forgot its cookie): reloading finds no session and asks to sign in.
  await context.clearCookies();
  await page.reload();
  await page.waitForURL(/\/login\?next=%2Fdraft-probe$/);
  await login(page, frontDesk.email, frontDesk.password);
  await page.waitForURL(`${server.url}/draft-probe`);
  await page.getByRole('heading', { level: 1, name: 'Draft probe' }).waitFor();
  assert.equal(await page.getByLabel('Note text').inputValue(), '');
  const kept = await page.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith('kclinic.draft:')));
  assert.deepEqual(kept, []);
});

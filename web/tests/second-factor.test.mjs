// The second factor in a real Chromium against a real `kclinic serve` whose clinic requires one of admins (the
// default; docs/security.md "Second factor"): the admin's first sign-in leads only to setting it up, the QR code and
// key are shown, the first code (computed here from the key, as an authenticator app does: RFC 6238) confirms it,
// the recovery codes are shown once, the next sign-in asks for the code and takes a recovery code, and the admin
// resets a factor from the users screen. axe-core on each new screen; screenshots.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { appConsoleErrors, checkA11y, login, openBrowser, screenshot, startServer } from './harness.mjs';

const admin = { email: 'admin@clinic.example', role: 'admin', password: 'admin password for tests' };

// RFC 4648 base32 (no padding) to bytes.
function base32Bytes(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

// The 6-digit TOTP code of `secret` now (RFC 6238: 30 s steps, HMAC-SHA-1, RFC 4226 dynamic truncation).
function totp(secret) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000)));
  const mac = createHmac('sha1', base32Bytes(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(number % 1_000_000).padStart(6, '0');
}

let server;

before(async () => {
  server = await startServer({ secondFactor: 'required', users: [admin] });
});

after(async () => {
  await server?.stop();
});

test('an admin sets up the second factor, signs in with a recovery code and resets the factor', async (t) => {
  const browser = await openBrowser();
  t.after(() => browser.close());
  const { page, consoleErrors } = browser;

  // The password alone leads only to setting up the factor the role requires.
  await login(page, admin.email, admin.password, server.url);
  await page.getByRole('heading', { level: 1, name: 'Second factor' }).waitFor();
  await page.getByText('Your role signs in with a second factor', { exact: false }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await page.getByRole('img', { name: 'QR code of the authenticator key' }).waitFor();
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await checkA11y(page, 'second-factor-enrol');
  await screenshot(page, 'second-factor-enrol');

  await page.getByLabel('Code from the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Confirm' }).click();
  const codes = page.getByTestId('recovery-codes').getByRole('listitem');
  await codes.first().waitFor();
  assert.equal(await codes.count(), 10);
  const recovery = (await codes.first().innerText()).trim();
  assert.match(recovery, /^[a-z2-7]{4}(-[a-z2-7]{4}){5}$/);
  await checkA11y(page, 'second-factor-recovery-codes');
  await screenshot(page, 'second-factor-recovery-codes');
  await page.getByRole('button', { name: 'I have saved them: sign in again' }).click();

  // The next sign-in asks for the code (the same question a wrong password gets) and takes a recovery code.
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const codeField = page.getByLabel('Authenticator code or recovery code');
  await codeField.waitFor();
  await page.getByRole('alert').getByText('enter the code your authenticator app shows', { exact: false }).waitFor();
  await checkA11y(page, 'login-second-factor');
  await screenshot(page, 'login-second-factor');
  await codeField.fill(recovery.toUpperCase());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}/admin`);

  // The admin resets a factor (their own here, which ends their session as any reset does).
  await page.getByRole('button', { name: `Manage ${admin.email}` }).click();
  await page.getByRole('button', { name: 'Reset second factor…' }).click();
  const dialog = page.getByRole('dialog', { name: `Reset the second factor of ${admin.email}?` });
  await dialog.getByRole('button', { name: 'Reset the second factor' }).click();
  await page.getByText(`The second factor of ${admin.email} is reset`, { exact: false }).waitFor();
  const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
  assert.equal(me, 401);
  // The sign-in that asked for the code and the calls after the session ended answer 401 on purpose.
  assert.deepEqual(appConsoleErrors(consoleErrors, [401]), []);
});

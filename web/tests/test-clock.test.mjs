// The test-clock banner (issue 12 §5: the test clock "is shown as a banner in the UI"): a server started with
// --test-clock says so in its login and GET /api/v1/auth/me answers ("test_clock": true, branch web-clock), and
// every page shows "TEST CLOCK: time is simulated"; a normal server shows no banner. Skipped, saying why, while the
// kclinic under test has no --test-clock option.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { checkA11y, findKclinic, login, openBrowser, screenshot, startServer } from './harness.mjs';

const help = spawnSync(findKclinic(), ['serve', '--help'], { encoding: 'utf8' });
const hasTestClock = /--test-clock/.test(help.stdout ?? '');
const skip = hasTestClock ? false : 'this kclinic has no `serve --test-clock` (branch web-clock not merged)';

for (const testClock of [true, false]) {
  test(`${testClock ? 'a' : 'no'} test-clock banner on a server ${testClock ? 'with' : 'without'} --test-clock`, { skip }, async (t) => {
    const server = await startServer({ demo: true, testClock });
    t.after(() => server.stop());
    const browser = await openBrowser();
    t.after(() => browser.close());
    const { page } = browser;
    await page.goto(`${server.url}/login`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to kclinic' }).waitFor();
    await login(page, server.logins.nurse.email, server.logins.nurse.password);
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const banner = page.getByText('TEST CLOCK: time is simulated');
    if (testClock) {
      await banner.waitFor();
      await checkA11y(page, 'test-clock-banner');
      await screenshot(page, 'shell-test-clock-banner');
    } else {
      assert.equal(await banner.count(), 0);
    }
  });
}

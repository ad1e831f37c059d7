// The browser tests' harness (issue 12 §5): a real `kclinic serve` on a fresh SQLite file on a free loopback port,
// serving the built front end (web/dist) with --web-root, and Debian's Chromium driven headless through
// playwright-core. Every test file imports what it needs from here:
//
//   const server = await startServer({ demo: true });      // server.url, server.logins.nurse.email, ...
//   const browser = await openBrowser();                   // browser.page, browser.consoleErrors
//   await login(browser.page, email, password, server.url);
//   await checkA11y(browser.page, 'board');                // axe-core: fails on serious or critical
//   await sidewaysOverflow(browser.page);                  // [] unless the page scrolls sideways: what sticks out
//   await screenshot(browser.page, 'board');               // into $KCLINIC_ARTIFACTS or build/web-artifacts
//   await browser.close(); await server.stop();            // in t.after(): always, even on failure
//
// Environment: KCLINIC_BIN (the kclinic binary; else build/ci/kclinic, then build/release/kclinic), KCLINIC_WEB_ROOT
// (else web/dist), CHROMIUM (else /usr/bin/chromium), KCLINIC_ARTIFACTS (screenshots), KCLINIC_TEST_HEADED=1 (watch).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before } from 'node:test';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(webDir, '..');

const STARTUP_TIMEOUT_MS = 30_000;

function fail(message) {
  throw new Error(`${message}\n(the browser tests need the kclinic binary, web/dist and web/node_modules: run make web, then build kclinic)`);
}

// The kclinic binary under test.
export function findKclinic() {
  const candidates = [
    process.env.KCLINIC_BIN,
    path.join(repoRoot, 'build/ci/kclinic'),
    path.join(repoRoot, 'build/release/kclinic'),
  ].filter(Boolean);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) fail(`no kclinic binary: looked at ${candidates.join(', ')}`);
  return found;
}

// The built front end the server serves.
export function findWebRoot() {
  const root = process.env.KCLINIC_WEB_ROOT ?? path.join(webDir, 'dist');
  if (!existsSync(path.join(root, 'index.html'))) fail(`no built front end: ${root}/index.html is missing`);
  return root;
}

// A loopback port free now. (kclinic prints the port it bound with --listen 127.0.0.1:0, but a restart must reuse
// the same port so the browser's page and cookie stay valid, so the harness picks it.)
export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Lines of a child's stdout, as they come.
function lineReader(stream, onLine) {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  });
}

// The demo logins `kclinic serve --demo` prints: "  nurse      nurse@demo.kclinic.example      demo-nurse-pass".
function parseDemoLogin(line) {
  const match = /^\s{2}(admin|prescriber|nurse|therapist|front_desk|patient)\s+(\S+@\S+)\s+(\S+)\s*$/.exec(line);
  return match ? { role: match[1], email: match[2], password: match[3] } : null;
}

async function waitForHealth(url, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`kclinic serve exited (status ${child.exitCode}) before it was ready`);
    try {
      const answer = await fetch(`${url}/healthz`);
      if (answer.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`kclinic serve did not answer ${url}/healthz within ${STARTUP_TIMEOUT_MS / 1000} s`);
}

// Runs `kclinic ARGS` to completion (user administration), with `input` on stdin; throws with its stderr on failure.
export function kclinic(args, input = '') {
  const run = spawnSync(findKclinic(), args, { input, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) {
    throw new Error(`kclinic ${args.join(' ')} failed (status ${run.status}): ${run.stderr || run.stdout}`);
  }
  return run.stdout;
}

// Starts `kclinic serve` on a fresh SQLite file in a new temporary folder, on a free loopback port, serving web/dist.
//   demo: seed the synthetic demo clinic (--demo); its printed logins are in `logins`, by role.
//   testClock: start with --test-clock (helper web-clock's option; the database is then created in test mode).
//   users: [{email, role, password, name?, patientId?}] added with `kclinic user add` once the server is up, or before
//     it starts when there is a `prepare` (whose seeding acts as them).
//   prepare: (db) => void, run before the server starts (a benchmark's seeding); not with testClock.
//   args: more `serve` options.
//   webRoot: the built front end to serve (default: findWebRoot()).
//   secondFactor: 'relaxed' (default): no role needs a second factor, so tests of other screens sign in with a
//     password (as the demo clinic does); 'required': the clinic defaults (admins and prescribers need one).
// Resolves with { url, port, db, folder, logins, output(), stop(), restart() }. stop() ends the server (SIGTERM,
// then SIGKILL after 10 s) and removes the folder; restart() stops it keeping the database and starts it again on
// the same port.
export async function startServer({
  demo = false,
  testClock = false,
  users = [],
  prepare = undefined,
  args = [],
  webRoot = findWebRoot(),
  secondFactor = 'relaxed',
} = {}) {
  const binary = findKclinic();
  const folder = mkdtempSync(path.join(tmpdir(), 'kclinic-web-'));
  const db = `sqlite:${path.join(folder, 'clinic.db')}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logins = {};
  const lines = [];

  const addUsers = () => {
    if (secondFactor === 'relaxed' && !demo) {
      kclinic(['user', 'second-factor-policy', 'optional', 'admin', 'prescriber', '--db', db]);
    }
    for (const user of users) {
      const add = ['user', 'add', user.email, '--role', user.role, '--db', db];
      if (user.name) add.push('--name', user.name);
      if (user.patientId !== undefined) add.push('--patient-id', String(user.patientId));
      kclinic(add, `${user.password}\n`);
      logins[user.role] ??= { email: user.email, password: user.password, role: user.role };
    }
  };
  if (prepare) {
    try {
      addUsers();
      prepare(db);
    } catch (error) {
      rmSync(folder, { recursive: true, force: true });
      throw error;
    }
  }

  let child;
  let exited;
  const serveArgs = ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web-root', webRoot];
  if (testClock) serveArgs.push('--test-clock');

  async function launch(seedDemo) {
    const argv = [...serveArgs, ...(seedDemo ? ['--demo'] : []), ...args];
    child = spawn(binary, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => child.once('exit', resolve));
    let demoLines = 0;
    const wantDemo = seedDemo ? 6 : 0;
    let sawDemo = !seedDemo;
    const demoDone = new Promise((resolve) => {
      if (sawDemo) resolve();
      lineReader(child.stdout, (line) => {
        lines.push(line);
        const entry = parseDemoLogin(line);
        if (entry) {
          logins[entry.role] = entry;
          demoLines += 1;
          if (demoLines >= wantDemo) resolve();
        } else if (/nothing was added/.test(line)) {
          resolve();
        }
      });
    });
    lineReader(child.stderr, (line) => lines.push(`stderr: ${line}`));
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    await waitForHealth(url, child, deadline);
    await Promise.race([
      demoDone,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`kclinic serve --demo printed no logins:\n${lines.join('\n')}`)), STARTUP_TIMEOUT_MS),
      ),
    ]);
  }

  async function halt() {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }

  try {
    await launch(demo);
    // Added once the server has created the database: `serve --test-clock` runs only on a database it created in
    // test mode, and the server reads users per login (SQLite lets this second writer in).
    if (!prepare) addUsers();
  } catch (error) {
    await halt();
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`${error.message}\n--- kclinic serve output ---\n${lines.join('\n')}`);
  }

  return {
    url,
    port,
    db,
    folder,
    logins,
    output: () => lines.join('\n'),
    async stop() {
      await halt();
      rmSync(folder, { recursive: true, force: true });
    },
    // Stops the server and waits; `start()` brings it back on the same port and database.
    halt,
    async start() {
      await launch(false);
    },
  };
}

// One server for every test of a file: started in the file's before(), stopped in its after(). The answer stands for
// the server startServer resolves with (server.url, server.logins, ...) once before() has run.
export function serverForFile(options) {
  let started;
  before(async () => {
    started = await startServer(options);
  });
  after(async () => {
    await started?.stop();
  });
  return new Proxy(
    {},
    {
      get(_, key) {
        if (!started) throw new Error(`server.${String(key)} read before the file's before() started the server`);
        return started[key];
      },
    },
  );
}

// The arguments common.md fixes for Debian's Chromium in CI.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Chromium headless with a fresh profile, and one page. consoleErrors collects the page's console errors and
// uncaught exceptions (assertNoConsoleErrors checks them). close() ends the browser and removes the profile.
export async function openBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch {
    fail('playwright-core is not installed in web/node_modules');
  }
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) fail(`no Chromium at ${executablePath} (scripts/install-deps installs it)`);
  const profile = mkdtempSync(path.join(tmpdir(), 'kclinic-chromium-'));
  const context = await playwright.chromium.launchPersistentContext(profile, {
    executablePath,
    headless: process.env.KCLINIC_TEST_HEADED !== '1',
    args: CHROMIUM_ARGS,
    viewport,
    locale: 'en-US',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  const watch = (p) => {
    p.on('console', (message) => {
      if (message.type() !== 'error') return;
      const { url } = message.location();
      consoleErrors.push(`console: ${message.text()}${url ? ` (${url})` : ''}`);
    });
    p.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  };
  watch(page);
  context.on('page', watch);
  page.setDefaultTimeout(10_000);
  return {
    context,
    page,
    consoleErrors,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A fresh browser for one test `t`, closed when it ends, whatever happens.
export async function browserFor(t, options) {
  const browser = await openBrowser(options);
  t.after(() => browser.close());
  return browser;
}

// Console errors the app caused. Chromium logs every HTTP error answer to fetch as a console error; left out are
// the 401 of GET /api/v1/auth/me when no one is signed in (how the app learns that: docs/api.md has no other way)
// and any status a test provoked on purpose (a 401 for a wrong password is the API's answer): pass those in
// `expected`.
export function appConsoleErrors(consoleErrors, expected = []) {
  return consoleErrors.filter((line) => {
    const status = /the server responded with a status of (\d+)/.exec(line);
    if (!status) return true;
    if (status[1] === '401' && /\/api\/v1\/auth\/me\)$/.test(line)) return false;
    return !expected.includes(Number(status[1]));
  });
}

// Signs in through the login form and waits until the signed-in layout shows. The page must show the login form
// already (a page.goto of any app address does, when signed out), or `baseUrl` says where to open it.
export async function login(page, email, password, baseUrl = undefined) {
  if (baseUrl !== undefined) await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

// axe-core over the page as it is now, against WCAG 2.0, 2.1 and 2.2 A and AA. Fails on any serious or critical
// violation, listing each with its rule, impact, help and the elements at fault.
export async function checkA11y(page, name) {
  const source = readFileSync(path.join(webDir, 'node_modules/axe-core/axe.min.js'), 'utf8');
  // Through the DevTools protocol, so the page's Content-Security-Policy does not block it as an inline script.
  await page.evaluate(source);
  const results = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    }),
  );
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) {
    const report = serious
      .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`)
      .join('\n');
    throw new Error(`axe-core found ${serious.length} serious or critical violation(s) on "${name}":\n${report}`);
  }
  return results.violations;
}

// What makes the page wider than its window: [] when it is not, else the innermost elements that stick out (those
// inside a scrolling box, such as the board's table, scroll in it and do not count).
export async function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    // Its box, or its content overflowing the box (an unbreakable address wider than its cell).
    const out = (element) => {
      const box = element.getBoundingClientRect();
      return Math.max(box.right, box.left + element.scrollWidth) > width + 1;
    };
    const scrolledInside = (element) => {
      for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') return true;
      }
      return false;
    };
    return [...document.body.querySelectorAll('*')]
      .filter((element) => out(element) && !scrolledInside(element) && ![...element.children].some(out))
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}: ${element.textContent.slice(0, 60)}`)
      .slice(0, 5);
  });
}

export function artifactsDir() {
  const dir = process.env.KCLINIC_ARTIFACTS ?? path.join(repoRoot, 'build/web-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

// A full-page PNG kept as a test artifact: <artifacts>/<name>.png.
export async function screenshot(page, name) {
  const file = path.join(artifactsDir(), `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

#!/usr/bin/env node
// The web front end's benchmarks (issue 12 §4; docs/benchmarks.md "The web front end"), in headless Chromium against
// a real `kclinic serve` (release build) on a fresh SQLite file that bench/web_seed.cpp fills through the use cases:
//
//   chart  a patient with five years of history (300 IV sessions, 3,000 outcome ratings, 50,000 vital signs), the
//          chart page loaded LOADS times: the render time is from the chart's answers arriving (the later
//          responseEnd of GET .../chart and GET .../weights, Resource Timing) to the chart painted with its outcome
//          plots (the app's `kclinic:chart-painted` mark, web/src/screens/patients/chart.tsx), split at the app's
//          `kclinic:chart-data` mark (the answers parsed and handed to the screen); and the time until the outcome
//          tables, built after the paint (`kclinic:chart-tables`), are complete. Beside it, in the same page: the
//          floors JSON.parse of the same chart answer, and uPlot alone drawing the same points into plots of the same
//          size, timed to the next paint the same way.
//   board  the clinic board with BOARD sessions in monitoring, first idle, then with a driver posting a vital set
//          (blood pressure, heart rate, SpO2, respiratory rate) for every session every 5 s through the API, which
//          the live channel carries to the board; BOARD_SECONDS each. CPU as % of one core: the page's main thread
//          (DevTools Performance.getMetrics TaskDuration on thread ticks) and the renderer process (utime + stime
//          from /proc, every thread), idle beside live.
//
// Run after `make build` and `cmake --build build/release --target kclinic_web_seed`:
//   node bench/web/run.mjs            the full sizes (seeding takes minutes; see docs/benchmarks.md)
//   node bench/web/run.mjs --smoke    tiny sizes, a few seconds of board: checks that the benchmark runs, times nothing
// Environment: KCLINIC_BIN (default build/release/kclinic), KCLINIC_WEB_SEED (default
// build/release/bench/kclinic_web_seed), SESSIONS, ASSESSMENTS, VITALS, BOARD, LOADS, BOARD_SECONDS; the harness's
// CHROMIUM and KCLINIC_WEB_ROOT; TMPDIR (default /dev/shm) for the database. Linux only (/proc).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const release = (file) => path.join(repoRoot, 'build/release', file);
process.env.KCLINIC_BIN ??= release('kclinic');
// The database (and the browser's profile) on tmpfs, where a commit's fsync costs nothing: the seeding's 55,000
// durable transactions would otherwise take minutes on a disk, and this benchmark measures the browser, not the disk
// (bench/storage_bench.cpp does).
if (process.env.TMPDIR === undefined && existsSync('/dev/shm')) process.env.TMPDIR = '/dev/shm';
const seedTool = process.env.KCLINIC_WEB_SEED ?? release('bench/kclinic_web_seed');

const { login, openBrowser, startServer, webDir } = await import('../../web/tests/harness.mjs');
const { apiClient } = await import('../../web/tests/clinic-api.mjs');

const smoke = process.argv.includes('--smoke');
const number = (name, full, tiny) => Number(process.env[name] ?? (smoke ? tiny : full));
const sizes = {
  sessions: number('SESSIONS', 300, 6),
  assessments: number('ASSESSMENTS', 3000, 60),
  vitals: number('VITALS', 50000, 200),
  board: number('BOARD', 30, 3),
  loads: number('LOADS', 20, 2),
  boardSeconds: number('BOARD_SECONDS', 60, 6),
};
const VITAL_PERIOD_MS = 5000;
const WARMUP_LOADS = 2;
const PASSWORD = 'bench-web-password-1';

for (const [what, file] of [
  ['the kclinic binary', process.env.KCLINIC_BIN],
  ['the seeding tool', seedTool],
]) {
  if (!existsSync(file)) {
    console.error(`no ${what} at ${file}: run make build and cmake --build build/release --target kclinic_web_seed`);
    process.exit(2);
  }
}

// Nearest-rank percentile of `values` (0 < p <= 100).
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (value) => `${value.toFixed(1)} ms`;
const summary = (values) => `p50 ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))}`;

// ----- the chart ----------------------------------------------------------------------------------------------------

async function benchChart() {
  const browser = await openBrowser();
  try {
    const { page } = browser;
    const chartPath = `/patients/${seed.chart_patient}`;
    page.setDefaultTimeout(60_000);
    await page.goto(`${server.url}${chartPath}`);
    await login(page, PRESCRIBER, PASSWORD);
    await page.waitForURL(`${server.url}${chartPath}`);

    const loads = [];
    for (let i = 0; i < WARMUP_LOADS + sizes.loads; i += 1) {
      await page.goto(`${server.url}${chartPath}`);
      await page.waitForFunction(() =>
        ['kclinic:chart-painted', 'kclinic:chart-tables'].every((name) => performance.getEntriesByName(name, 'mark').length > 0),
      );
      const timing = await page.evaluate((id) => {
        const answers = performance
          .getEntriesByType('resource')
          .filter((entry) => new RegExp(`/api/v1/patients/${id}/(chart|weights)`).test(entry.name));
        const chart = answers.find((entry) => entry.name.includes('/chart'));
        const arrived = Math.max(...answers.map((entry) => entry.responseEnd));
        const data = performance.getEntriesByName('kclinic:chart-data', 'mark')[0].startTime;
        const painted = performance.getEntriesByName('kclinic:chart-painted', 'mark')[0].startTime;
        const tables = performance.getEntriesByName('kclinic:chart-tables', 'mark')[0].startTime;
        return {
          tables,
          answers: answers.length,
          arrived,
          data,
          painted,
          bytes: chart.decodedBodySize,
          wire: chart.responseEnd - chart.requestStart,
          plots: document.querySelectorAll('.outcome-plot canvas').length,
          sessionRows: document.querySelectorAll('.course tbody tr').length,
          outcomeRows: document.querySelectorAll('.outcome-data tbody tr').length,
        };
      }, seed.chart_patient);
      assert.equal(timing.answers, 2, 'the chart page read its two answers');
      if (i >= WARMUP_LOADS) loads.push(timing);
    }
    const last = loads[loads.length - 1];
    const render = loads.map((l) => l.painted - l.arrived);
    const handoff = loads.map((l) => l.data - l.arrived);
    const paint = loads.map((l) => l.painted - l.data);
    const wire = loads.map((l) => l.wire);
    const tables = loads.map((l) => l.tables - l.arrived);

    // The floors, in the same page on the same data.
    const uplotSource = readFileSync(path.join(webDir, 'node_modules/uplot/dist/uPlot.iife.min.js'), 'utf8');
    await page.evaluate(uplotSource); // through DevTools, as the harness runs axe-core: the CSP allows no inline script
    const floors = await page.evaluate(
      async ({ id, runs }) => {
        const text = await (await fetch(`/api/v1/patients/${id}/chart`, { headers: { Accept: 'application/json' } })).text();
        const parse = [];
        for (let i = 0; i < runs; i += 1) {
          const start = performance.now();
          JSON.parse(text);
          parse.push(performance.now() - start);
        }
        const chart = JSON.parse(text);
        const painted = () =>
          new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        const holder = document.createElement('div');
        holder.style.width = '960px';
        document.body.prepend(holder);
        const bare = [];
        for (let i = 0; i < runs; i += 1) {
          await painted();
          const start = performance.now();
          const plots = chart.outcomes.map(
            (series) =>
              // eslint-disable-next-line no-undef
              new uPlot(
                {
                  width: 720,
                  height: 260,
                  scales: { x: { time: true } },
                  series: [{}, { stroke: '#1f4e79', width: 2, points: { show: true, size: 7 } }],
                  legend: { show: false },
                  cursor: { show: false },
                },
                [series.points.map((p) => Date.parse(p.assessed_at) / 1000), series.points.map((p) => p.total)],
                holder,
              ),
          );
          await painted();
          bare.push(performance.now() - start);
          for (const plot of plots) plot.destroy();
        }
        holder.remove();
        return { parse, bare, points: chart.outcomes.reduce((n, s) => n + s.points.length, 0), series: chart.outcomes.length };
      },
      { id: seed.chart_patient, runs: sizes.loads },
    );

    console.log(`\nchart of patient ${seed.chart_patient}: ${sizes.loads} loads after ${WARMUP_LOADS} warm-up loads`);
    console.log(
      `  page: ${last.plots} outcome plots, ${last.sessionRows} session rows, ${last.outcomeRows} outcome table rows; ` +
        `chart answer ${(last.bytes / 1024).toFixed(0)} KiB (server and wire: ${summary(wire)})`,
    );
    console.log(`  render, answers arrived -> painted: ${summary(render)}   (goal: under 200 ms)`);
    console.log(`    of which answers arrived -> parsed and handed to the screen: ${summary(handoff)}`);
    console.log(`    of which handed to the screen -> painted with its plots: ${summary(paint)}`);
    console.log(`  the outcome tables (closed disclosures) built after the paint, from the answers' arrival: ${summary(tables)}`);
    console.log(`  floor: JSON.parse of the chart answer: ${summary(floors.parse)}`);
    console.log(`  floor: uPlot alone, ${floors.series} plots of the same ${floors.points} points, to the next paint: ${summary(floors.bare)}`);
    return { loads, render, handoff, paint, tables, wire, floors };
  } finally {
    await browser.close();
  }
}

// ----- the board ----------------------------------------------------------------------------------------------------

// The Chromium processes started by this Node process (playwright-core's child and its descendants), by type.
function chromiumProcesses() {
  const parents = new Map();
  const commands = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      commands.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
    } catch {
      // Gone meanwhile.
    }
  }
  const ours = (pid) => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  const found = [];
  for (const [pid, command] of commands) {
    if (!command.includes('chrom') || !ours(pid)) continue;
    const type = /--type=([a-z-]+)/.exec(command)?.[1] ?? 'browser';
    found.push({ pid, type: type === 'utility' ? 'utility (network etc.)' : type });
  }
  return found;
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

// CPU seconds (user + system, every thread) of `pid`.
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (proc(5): fields 14 and 15)
  return ticks / CLOCK_TICKS_PER_SECOND;
}

async function benchBoard() {
  const browser = await openBrowser();
  try {
    const { page, context } = browser;
    await page.goto(`${server.url}/board`);
    await login(page, NURSE, PASSWORD);
    await page.waitForURL(`${server.url}/board`);
    const rows = page.locator('tr[data-session-id]');
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-session-id]').length === n, sizes.board);
    assert.equal(await rows.count(), sizes.board);
    await page.waitForTimeout(2000); // the live channel subscribed and the page settled

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metrics = async () =>
      Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const processes = chromiumProcesses();
    const renderers = processes.filter((p) => p.type === 'renderer');
    assert.ok(renderers.length >= 1, 'found the page renderer');

    const measure = async (name, during) => {
      const before = { metrics: await metrics(), cpu: processes.map((p) => cpuSeconds(p.pid)), at: performance.now() };
      await during();
      const after = { metrics: await metrics(), cpu: processes.map((p) => cpuSeconds(p.pid)), at: performance.now() };
      const seconds = (after.at - before.at) / 1000;
      const share = (delta) => (100 * delta) / seconds;
      const byType = {};
      processes.forEach((p, i) => {
        byType[p.type] = (byType[p.type] ?? 0) + share(after.cpu[i] - before.cpu[i]);
      });
      const result = {
        name,
        seconds,
        mainThread: share(after.metrics.TaskDuration - before.metrics.TaskDuration),
        script: share(after.metrics.ScriptDuration - before.metrics.ScriptDuration),
        layout: share(after.metrics.LayoutDuration - before.metrics.LayoutDuration),
        style: share(after.metrics.RecalcStyleDuration - before.metrics.RecalcStyleDuration),
        renderer: byType.renderer,
        byType,
      };
      return result;
    };

    const idle = await measure('idle', () => page.waitForTimeout(sizes.boardSeconds * 1000));

    const nurse = await apiClient(server, { email: NURSE, password: PASSWORD });
    let posted = 0;
    let lastBp;
    const post = async (index, round) => {
      const patient = seed.board_patients[index];
      const session = seed.board_sessions[index];
      const wobble = (round * 7 + index * 3) % 11;
      lastBp = { session, systolic: 118 + wobble, diastolic: 72 + Math.floor(wobble / 2) };
      const set = [
        { loinc: '85354-9', systolic: lastBp.systolic, diastolic: lastBp.diastolic, unit: 'mm[Hg]' },
        { loinc: '8867-4', value: 66 + wobble, unit: '/min' },
        { loinc: '59408-5', value: 96 + (wobble % 4), unit: '%' },
        { loinc: '9279-1', value: 13 + (wobble % 5), unit: '/min' },
      ];
      for (const vital of set) {
        await nurse.must('POST', `/api/v1/patients/${patient}/vitals`, { ...vital, session_id: session }, 201);
        posted += 1;
      }
    };
    const live = await measure('live', async () => {
      const started = performance.now();
      const pending = [];
      // Session i posts at i x (5 s / BOARD) into each 5-s period, so the sets arrive spread as a clinic's would.
      for (let round = 0; (round + 1) * VITAL_PERIOD_MS <= sizes.boardSeconds * 1000; round += 1) {
        for (let index = 0; index < sizes.board; index += 1) {
          const due = started + round * VITAL_PERIOD_MS + (index * VITAL_PERIOD_MS) / sizes.board;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          pending.push(post(index, round));
        }
      }
      await Promise.all(pending);
      const rest = started + sizes.boardSeconds * 1000 - performance.now();
      if (rest > 0) await page.waitForTimeout(rest);
    });
    // The board showed what was posted: the last blood pressure, live, in its row.
    await page
      .locator(`tr[data-session-id="${lastBp.session}"] li[data-loinc="85354-9"]`)
      .filter({ hasText: `${lastBp.systolic}/${lastBp.diastolic} mmHg` })
      .waitFor({ timeout: 5000 });

    console.log(
      `\nboard with ${sizes.board} sessions in monitoring, ${sizes.boardSeconds} s idle then ${sizes.boardSeconds} s ` +
        `live (${posted} vital signs posted, ${(posted / live.seconds).toFixed(1)}/s); CPU as % of one core:`,
    );
    for (const r of [idle, live]) {
      const others = Object.entries(r.byType)
        .filter(([type]) => type !== 'renderer')
        .map(([type, share]) => `${type} ${share.toFixed(2)} %`)
        .join(', ');
      console.log(
        `  ${r.name.padEnd(4)}  renderer process ${r.renderer.toFixed(2)} %; its main thread ${r.mainThread.toFixed(2)} % ` +
          `(script ${r.script.toFixed(2)} %, style ${r.style.toFixed(2)} %, layout ${r.layout.toFixed(2)} %); ${others}`,
      );
    }
    console.log('  goal: the live board under 10 % of one core');
    return { idle, live, posted };
  } finally {
    await browser.close();
  }
}

// ----- the run -----------------------------------------------------------------------------------------------------

// The staff who act in the seeded records and log in to the pages (reserved .example domain, RFC 2606).
const NURSE = 'nurse@bench.kclinic.example';
const PRESCRIBER = 'prescriber@bench.kclinic.example';

let seed;
const server = await startServer({
  users: [
    { email: NURSE, role: 'nurse', name: 'Bench Nurse', password: PASSWORD },
    { email: PRESCRIBER, role: 'prescriber', name: 'Bench Prescriber', password: PASSWORD },
  ],
  prepare: (db) => {
    const sizeArgs = ['--sessions', sizes.sessions, '--assessments', sizes.assessments, '--vitals', sizes.vitals, '--board', sizes.board];
    const run = spawnSync(seedTool, ['--db', db, '--nurse', NURSE, '--prescriber', PRESCRIBER, ...sizeArgs.map(String)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (run.status !== 0) throw new Error(`kclinic_web_seed failed (status ${run.status}): ${run.stderr}`);
    seed = JSON.parse(run.stdout);
  },
});

const chromiumVersion = execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
}).trim();
console.log(`machine: ${os.cpus().length} x ${os.cpus()[0].model}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${chromiumVersion}; Node ${process.version}; server ${process.env.KCLINIC_BIN}`);
console.log(
  `seeded through the use cases in ${seed.seconds} s: ${seed.patients} patients, ${seed.courses} courses, ` +
    `${seed.sessions} sessions, ${seed.assessments} assessments, ${seed.vitals} vital signs, ${seed.alerts} alerts`,
);

const results = { sizes, seed, chromium: chromiumVersion };
try {
  results.chart = await benchChart();
  results.board = await benchBoard();
} finally {
  await server.stop();
}
if (process.env.BENCH_JSON) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(results, null, 2)}\n`);
}

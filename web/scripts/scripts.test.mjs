// node --test scripts/: the build's post-steps (compress.mjs, budget.mjs) on fixture dists in a temporary folder.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const scripts = dirname(fileURLToPath(import.meta.url));

// A dist folder holding `files` (path -> text or bytes); removed after the test.
function dist(t, files) {
  const root = mkdtempSync(join(tmpdir(), 'kclinic-web-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function run(script, root) {
  return spawnSync(process.execPath, [join(scripts, script), root], { encoding: 'utf8' });
}

// Text that gzip cannot shrink much: base64 of random bytes (about 3/4 of its length once compressed).
const incompressible = (length) => randomBytes(length).toString('base64').slice(0, length);

const SHELL =
  '<!doctype html><html><head><script type="module" crossorigin src="/assets/index-a1.js"></script>' +
  '<link rel="modulepreload" crossorigin href="/assets/vendor-b2.js"><link rel="stylesheet" href="/assets/index-c3.css">' +
  '</head><body><div id="app"></div></body></html>';

test('compress.mjs writes a gzip beside each text file that it shrinks, and nothing for binary files', (t) => {
  const js = 'export const greeting = "hello";\n'.repeat(100);
  const root = dist(t, {
    'index.html': SHELL.repeat(5),
    'assets/index-a1.js': js,
    'assets/logo-d4.png': randomBytes(2000),
    'tiny.txt': 'a',
  });
  const result = run('compress.mjs', root);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(gunzipSync(readFileSync(join(root, 'assets/index-a1.js.gz'))).toString(), js);
  assert.ok(existsSync(join(root, 'index.html.gz')));
  assert.ok(!existsSync(join(root, 'assets/logo-d4.png.gz')));
  assert.ok(!existsSync(join(root, 'tiny.txt.gz')), 'a .gz larger than its file is not written');
  // The same input gives the same bytes (the ETag stays the same across identical builds).
  const first = readFileSync(join(root, 'assets/index-a1.js.gz'));
  assert.equal(run('compress.mjs', root).status, 0);
  assert.deepEqual(readFileSync(join(root, 'assets/index-a1.js.gz')), first);
});

test('budget.mjs counts the entry, its preloads and static imports, not dynamic imports', (t) => {
  const root = dist(t, {
    'index.html': SHELL,
    'assets/index-a1.js':
      'import{h as e}from"./vendor-b2.js";import"./shared-e5.js";export*from"./more-f6.js";' +
      'const l=()=>import("./lazy-g7.js");e(l);',
    'assets/vendor-b2.js': 'export const h=1;',
    'assets/shared-e5.js': 'console.log(1);',
    'assets/more-f6.js': 'import{h}from"../assets/vendor-b2.js";export const m=h;',
    'assets/lazy-g7.js': incompressible(400_000),
  });
  const result = run('budget.mjs', root);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  for (const file of ['index-a1.js', 'vendor-b2.js', 'shared-e5.js', 'more-f6.js']) {
    assert.match(result.stdout, new RegExp(`first screen loads /assets/${file}: `));
  }
  assert.doesNotMatch(result.stdout, /lazy-g7/);
  assert.match(result.stdout, /web: first screen JavaScript: 0\.\d KB gzip in 4 files \(budget 150\.0 KB\)/);
});

test('budget.mjs fails a first screen over 150 KB of gzip, and names the overshoot', (t) => {
  const root = dist(t, {
    'index.html': SHELL,
    'assets/index-a1.js': 'import"./big-h8.js";',
    'assets/vendor-b2.js': '',
    'assets/big-h8.js': incompressible(400_000),
  });
  const result = run('budget.mjs', root);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /first screen loads \/assets\/big-h8\.js: 3\d\d\.\d KB gzip/);
  assert.match(result.stderr, /KB over its budget/);
});

test('budget.mjs refuses an inline script or event handler, which the Content-Security-Policy would block', (t) => {
  for (const html of [
    SHELL.replace('</head>', '<script>window.x=1</script></head>'),
    SHELL.replace('<body>', '<body onload="start()">'),
  ]) {
    const root = dist(t, { 'index.html': html, 'assets/index-a1.js': '', 'assets/vendor-b2.js': '' });
    const result = run('budget.mjs', root);
    assert.equal(result.status, 1, html);
    assert.match(result.stderr, /inline (script|event handler) in index\.html/);
  }
});

// node scripts/budget.mjs [DIST]: the first screen's JavaScript budget (issue 12: at most 150 KB compressed). Sums
// the gzip size of the JavaScript that DIST/index.html loads before anything else can run: its module scripts, the
// modules it preloads, and every module those import statically (import ... from "./x.js", import "./x.js",
// export ... from "./x.js"; a dynamic import("./x.js") is loaded later, on demand, and is not counted). Prints each
// file and the total; exits 1 over budget.
//
// It also refuses an index.html with an inline script or an inline event handler: the server's
// Content-Security-Policy (script-src 'self') would block it, so the application would not start.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 150_000; // 150 KB, gzip level 9 (as scripts/compress.mjs writes what is served)

// The value of attribute `name` in a tag's text, or undefined.
function attribute(tag, name) {
  const match = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

// Static imports and re-exports of a module's source (minified or not): import{a}from"./b.js", import"./c.js",
// export*from"./d.js". The keyword must start a statement, so "x.import" or a dynamic import( is not one.
const STATIC_IMPORT = /(?:^|[;}\n\r])\s*(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+)["']/g;

function firstScreenScripts(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const problems = [];
  const roots = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attribute(tag, 'src');
    if (src === undefined) {
      problems.push(`an inline script in index.html (the Content-Security-Policy blocks it): ${tag}`);
    } else {
      roots.push(src);
    }
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    if ((attribute(tag, 'rel') ?? '').toLowerCase() === 'modulepreload' && attribute(tag, 'href')) {
      roots.push(attribute(tag, 'href'));
    }
  }
  for (const [handler] of html.matchAll(/<[^>]*\son[a-z]+\s*=[^>]*>/gi)) {
    problems.push(`an inline event handler in index.html (the Content-Security-Policy blocks it): ${handler}`);
  }

  // URL paths as index.html names them ("/assets/index-1a2b.js"), resolved against the site's root.
  const seen = new Set();
  const queue = roots.map((src) => new URL(src, 'http://kclinic/').pathname);
  while (queue.length > 0) {
    const path = queue.shift();
    if (seen.has(path)) {
      continue;
    }
    seen.add(path);
    const source = readFileSync(join(dist, decodeURIComponent(path)), 'utf8');
    for (const [, specifier] of source.matchAll(STATIC_IMPORT)) {
      if (/^(\.{1,2})?\//.test(specifier)) {
        queue.push(new URL(specifier, `http://kclinic${path}`).pathname);
      }
    }
  }
  const scripts = [...seen].map((path) => ({
    path,
    gzipBytes: gzipSync(readFileSync(join(dist, decodeURIComponent(path))), { level: 9 }).length,
  }));
  return { scripts, problems };
}

const kilobytes = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

{
  const dist = process.argv[2] ?? 'dist';
  const { scripts, problems } = firstScreenScripts(dist);
  const total = scripts.reduce((sum, script) => sum + script.gzipBytes, 0);
  for (const script of scripts) {
    console.log(`web: first screen loads ${script.path}: ${kilobytes(script.gzipBytes)} gzip`);
  }
  console.log(
    `web: first screen JavaScript: ${kilobytes(total)} gzip in ${scripts.length} files ` +
      `(budget ${kilobytes(BUDGET_BYTES)})`,
  );
  for (const problem of problems) {
    console.error(`web: ${problem}`);
  }
  if (scripts.length === 0) {
    console.error('web: index.html loads no script: is this the built front end?');
  }
  if (total > BUDGET_BYTES) {
    console.error(
      `web: the first screen's JavaScript is ${kilobytes(total - BUDGET_BYTES)} over its budget: ` +
        'load what the first screen does not need with a dynamic import()',
    );
  }
  process.exitCode = total > BUDGET_BYTES || problems.length > 0 || scripts.length === 0 ? 1 : 0;
}

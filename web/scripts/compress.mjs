// node scripts/compress.mjs [DIST]: writes NAME.gz beside every text file of the built front end (DIST, default
// dist), gzip at level 9, where that is smaller. `kclinic serve` sends NAME.gz, with Content-Encoding: gzip, to a
// browser that accepts gzip (docs/api.md "The web front end"), so nothing is compressed per request. Node's zlib
// writes no time stamp in the gzip header, so the same build gives the same bytes, and the same ETag.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// Binary formats (png, woff2, ...) are compressed already.
const TEXT = /\.(html|js|mjs|css|svg|json|map|txt|webmanifest|ico|xml)$/i;

function* files(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      yield* files(path);
    } else {
      yield path;
    }
  }
}

const dist = process.argv[2] ?? 'dist';
let written = 0;
for (const path of files(dist)) {
  if (!TEXT.test(path)) {
    continue;
  }
  const bytes = readFileSync(path);
  const gzipped = gzipSync(bytes, { level: 9 });
  if (gzipped.length < bytes.length) {
    writeFileSync(`${path}.gz`, gzipped);
    written += 1;
  }
}
console.log(`web: ${written} precompressed .gz files written beside their originals in ${dist}`);

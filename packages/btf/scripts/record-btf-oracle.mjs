#!/usr/bin/env node
/**
 * Records the running kernel's BPF_BTF_LOAD verdicts for the blob sets of
 * src/testing/oracle-blobs.ts into src/__fixtures__/btf-oracle.json, which
 * validate-kernel.test.ts compares validateBtfBytes against. Needs root (or CAP_BPF) and a
 * built package:
 *
 *   npx tsc -b packages/btf && sudo node packages/btf/scripts/record-btf-oracle.mjs
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERRNO_NAMES, oracleBlobSets } from '../dist/testing/oracle-blobs.js';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(PKG, 'src', '__fixtures__');
const LOADER = join(PKG, 'src', 'testing', 'btf-load.py');
const OUT = join(FIXTURES, 'btf-oracle.json');

/** BPF_BTF_LOAD every blob (one python3 process per set); returns { ok, errno, last } each. */
function kernelLoad(blobs) {
  const dir = mkdtempSync(join(tmpdir(), 'btf-oracle-'));
  try {
    const files = blobs.map((b, i) => {
      const f = join(dir, `${i}.btf`);
      writeFileSync(f, b);
      return f;
    });
    return JSON.parse(execFileSync('python3', [LOADER, ...files], { maxBuffer: 1 << 28, encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sets = oracleBlobSets((name) => new Uint8Array(readFileSync(join(FIXTURES, name))));
const recorded = {};
let count = 0;
for (const { name, blobs } of sets) {
  const verdicts = kernelLoad(blobs);
  if (verdicts.length !== blobs.length) throw new Error(`${name}: loader returned ${verdicts.length} verdicts for ${blobs.length} blobs`);
  if (name === sets[1].name && !verdicts[0].ok) throw new Error(`the kernel rejects the loadable blob (${verdicts[0].last}); not root?`);
  recorded[name] = verdicts.map((k, i) => ({
    sha256: createHash('sha256').update(blobs[i]).digest('hex'),
    ok: k.ok,
    errno: k.ok ? '' : (ERRNO_NAMES[k.errno] ?? String(k.errno)),
    last: k.last,
  }));
  count += blobs.length;
}
const doc = {
  note: 'BPF_BTF_LOAD verdicts (log level 1, last log line) of the blob sets in src/testing/oracle-blobs.ts; regenerate with scripts/record-btf-oracle.mjs',
  kernel: release(),
  date: new Date().toISOString(),
  count,
  sets: recorded,
};
// one blob a line keeps the file small and its diffs readable
const body = Object.entries(recorded)
  .map(([name, rows]) => `    ${JSON.stringify(name)}: [\n${rows.map((r) => `      ${JSON.stringify(r)}`).join(',\n')}\n    ]`)
  .join(',\n');
const head = JSON.stringify({ ...doc, sets: undefined }, null, 2).replace(/\n}$/, '');
writeFileSync(OUT, `${head},\n  "sets": {\n${body}\n  }\n}\n`);
JSON.parse(readFileSync(OUT, 'utf8'));
console.log(`${OUT}: ${count} blobs, kernel ${doc.kernel}, ${count - Object.values(recorded).flat().filter((r) => r.ok).length} rejected`);

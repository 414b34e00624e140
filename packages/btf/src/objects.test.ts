/**
 * Every committed fixture object (fixtures/obj/*.o at the repo root): BTF and BTF.ext
 * parse, validate as objects, pass the program-BTF ownership check, and dump exactly
 * like bpftool (live when on PATH, and against fixtures/golden/NAME.btf.raw.txt when present).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpJson } from './dump-json.js';
import { dumpRaw } from './dump-raw.js';
import { parseBtfExt } from './ext.js';
import { checkOwnershipGraph } from './ownership.js';
import { parseBtf } from './parse.js';
import { elfSection } from './testing/elf.js';
import { FIXTURES, hasTool } from './testing/fixtures.js';
import { validateBtf } from './validate.js';

const ROOT = join(FIXTURES, '..', '..', '..', '..', 'fixtures');
const OBJ = join(ROOT, 'obj');
const objects = existsSync(OBJ) ? readdirSync(OBJ).filter((f) => f.endsWith('.o')).sort() : [];
const bpftool = hasTool('bpftool');

describe.runIf(objects.length > 0)('fixture objects', () => {
  it.each(objects)('%s', (name) => {
    const file = new Uint8Array(readFileSync(join(OBJ, name)));
    const raw = elfSection(file, '.BTF');
    expect(raw).toBeDefined();
    const btf = parseBtf(raw!);
    const extBytes = elfSection(file, '.BTF.ext');
    if (extBytes) {
      const ext = parseBtfExt(extBytes, btf);
      for (const s of ext.funcInfo) for (const r of s.records) expect(btf.type(r.typeId).kind).toBe('FUNC');
    }
    const v = validateBtf(btf, { mode: 'object' });
    expect(v.error).toBeUndefined();
    checkOwnershipGraph(btf);
    const text = dumpRaw(btf);
    const golden = join(ROOT, 'golden', name.replace(/\.o$/, '.btf.raw.txt'));
    if (existsSync(golden)) expect(text).toBe(readFileSync(golden, 'utf8'));
    if (bpftool) {
      const p = join(OBJ, name);
      expect(text).toBe(execFileSync('bpftool', ['btf', 'dump', 'file', p], { encoding: 'utf8' }));
      expect(dumpJson(btf)).toBe(execFileSync('bpftool', ['-j', 'btf', 'dump', 'file', p], { encoding: 'utf8' }));
    }
  });
});

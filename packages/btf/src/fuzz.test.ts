/**
 * Deterministic mutation fuzzing: corrupted blobs must either parse or raise BtfError,
 * and everything downstream of a successful parse (validation, dumps, queries,
 * special-field scans, BTF.ext) must return or raise a typed error — never crash or hang.
 */
import { describe, expect, it } from 'vitest';
import type { Btf } from './btf.js';
import { dumpJson } from './dump-json.js';
import { dumpRaw } from './dump-raw.js';
import { BtfError } from './errors.js';
import { parseBtfExt } from './ext.js';
import { checkOwnershipGraph } from './ownership.js';
import { parseBtf } from './parse.js';
import { sizeOf, skipModsAndTypedefs } from './query.js';
import { findSpecialFields } from './special-fields.js';
import { fixture } from './testing/fixtures.js';
import { mutateBytes as mutate, rng } from './testing/mutate.js';
import { validateBtf, validateBtfBytes } from './validate.js';

function typed(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof BtfError)) throw e;
  }
}

function exercise(btf: Btf): void {
  typed(() => validateBtf(btf));
  typed(() => validateBtf(btf, { mode: 'object' }));
  dumpRaw(btf);
  dumpJson(btf);
  for (let id = 1; id < btf.typeCount; id++) {
    typed(() => sizeOf(btf, id));
    typed(() => skipModsAndTypedefs(btf, id));
    const k = btf.types[id]!.kind;
    if (k === 'STRUCT' || k === 'UNION' || k === 'DATASEC') typed(() => findSpecialFields(btf, id));
  }
  typed(() => checkOwnershipGraph(btf));
}

describe('mutation fuzzing', () => {
  for (const name of ['kinds.bpfel.btf', 'kinds.bpfeb.btf', 'graph.btf']) {
    it(`${name}: 400 mutants`, () => {
      const src = fixture(name);
      const r = rng(0x9e3779b9 ^ name.length);
      let parsed = 0;
      for (let i = 0; i < 400; i++) {
        const m = mutate(src, r);
        typed(() => validateBtfBytes(m));
        let btf: Btf | undefined;
        typed(() => { btf = parseBtf(m); });
        if (btf) {
          parsed++;
          exercise(btf);
        }
      }
      expect(parsed).toBeGreaterThan(50);
    }, 60_000);
  }

  it('BTF.ext: 400 mutants', () => {
    const btf = parseBtf(fixture('core.btf'));
    const src = fixture('core.btf.ext');
    const r = rng(12345);
    for (let i = 0; i < 400; i++) typed(() => parseBtfExt(mutate(src, r), btf));
  });
});

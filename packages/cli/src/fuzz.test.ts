/**
 * Parser robustness: mutated and truncated fixture objects, mutated BTF blobs
 * and random bytes go through everything the CLI does with a file (object
 * loading, linking, disassembly, BTF validation and the three dumps). Every
 * failure must be one of the packages' typed input errors; a hang would trip
 * the test timeout. Seeds are fixed, so a failure is reproducible.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { dumpC, dumpJson, dumpRaw, parseBtf, validateBtf, type Btf } from '@bpfkit/btf';
import { decode, formatInsn } from '@bpfkit/isa';
import { loadObjectSpec, parseElf } from '@bpfkit/object';
import { isInputError } from './errors.js';
import { describeObject } from './commands/object-show.js';
import { disasmObject } from './commands/disasm.js';
import { mutate, type Region } from './testing/mutate.js';
import { Rng } from './testing/rng.js';

const FIXTURES = new URL('../../../fixtures/obj/', import.meta.url);
const objects = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.o'))
  .sort()
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(new URL(f, FIXTURES))) }));

function btfWork(btf: Btf): void {
  validateBtf(btf);
  dumpRaw(btf);
  dumpJson(btf);
  dumpC(btf);
}

function objectPipeline(bytes: Uint8Array): void {
  const spec = loadObjectSpec(bytes, { name: 'fuzz' });
  describeObject('fuzz.o', spec);
  disasmObject(spec);
  if (spec.btf) btfWork(spec.btf);
}

interface Tally {
  cases: number;
  accepted: number;
  rejected: number;
  untyped: { kind: string; message: string; stack?: string }[];
}

function run(tally: Tally, kind: string, f: () => void): void {
  tally.cases++;
  try {
    f();
    tally.accepted++;
  } catch (e) {
    if (isInputError(e)) {
      tally.rejected++;
      // a typed error always says something
      if (!(e as Error).message) tally.untyped.push({ kind, message: 'typed error with an empty message' });
    } else {
      tally.untyped.push({ kind, message: String((e as Error)?.message ?? e), stack: (e as Error)?.stack?.split('\n').slice(0, 4).join('\n') });
    }
  }
}

/** Where to aim mutations: ELF header, section table, .BTF and .BTF.ext, code. */
function regionsOf(bytes: Uint8Array): Region[] {
  const elf = parseElf(bytes);
  const regions: Region[] = [{ offset: 0, size: 64 }];
  const shoff = elf.header.shoff;
  regions.push({ offset: shoff, size: elf.header.shnum * 64 });
  for (const s of elf.sections) {
    if (s.name === '.BTF') regions.push({ offset: s.offset, size: Math.min(s.size, 24) }, { offset: s.offset + 24, size: s.size - 24 });
    if (s.name === '.BTF.ext' || s.name === '.symtab' || s.name.startsWith('.rel')) regions.push({ offset: s.offset, size: s.size });
  }
  return regions.filter((r) => r.size > 0);
}

const N_OBJECT = 14_000;
const N_BTF = 6_000;
const N_INSN = 2_000;

describe('parser fuzzing', () => {
  test(`${N_OBJECT} mutated objects give typed errors or valid results`, () => {
    const rng = new Rng(0xb9f0001);
    const tally: Tally = { cases: 0, accepted: 0, rejected: 0, untyped: [] };
    const targets = objects.map((o) => ({ ...o, regions: regionsOf(o.bytes) }));
    for (let i = 0; i < N_OBJECT; i++) {
      const t = targets[i % targets.length]!;
      const m = mutate(rng, t.bytes, t.regions);
      run(tally, `${t.name}/${m.kind}#${i}`, () => objectPipeline(m.bytes));
    }
    expect(tally.untyped.slice(0, 5)).toEqual([]);
    expect(tally.cases).toBe(N_OBJECT);
    // the campaign must exercise both outcomes, or it tests nothing
    expect(tally.rejected).toBeGreaterThan(N_OBJECT / 10);
    expect(tally.accepted).toBeGreaterThan(N_OBJECT / 20);
  }, 300_000);

  test(`${N_BTF} mutated BTF blobs give typed errors or valid results`, () => {
    const rng = new Rng(0xb9f0002);
    const tally: Tally = { cases: 0, accepted: 0, rejected: 0, untyped: [] };
    const blobs = objects.map((o) => parseElf(o.bytes).sections.find((s) => s.name === '.BTF')!.data.slice());
    for (let i = 0; i < N_BTF; i++) {
      const b = blobs[i % blobs.length]!;
      const m = mutate(rng, b, [{ offset: 0, size: 24 }, { offset: 24, size: b.length - 24 }]);
      run(tally, `btf${i % blobs.length}/${m.kind}#${i}`, () => btfWork(parseBtf(m.bytes)));
    }
    expect(tally.untyped.slice(0, 5)).toEqual([]);
    expect(tally.rejected).toBeGreaterThan(N_BTF / 10);
    expect(tally.accepted).toBeGreaterThan(N_BTF / 20);
  }, 300_000);

  test(`${N_INSN} random instruction streams decode and print without untyped errors`, () => {
    const rng = new Rng(0xb9f0003);
    const tally: Tally = { cases: 0, accepted: 0, rejected: 0, untyped: [] };
    for (let i = 0; i < N_INSN; i++) {
      const bytes = rng.bytes(rng.int(40) * 8 + (rng.int(4) === 0 ? rng.int(8) : 0));
      run(tally, `insns#${i}`, () => {
        for (const insn of decode(bytes)) formatInsn(insn);
      });
    }
    expect(tally.untyped.slice(0, 5)).toEqual([]);
    expect(tally.rejected).toBeGreaterThan(0);
  }, 120_000);
});

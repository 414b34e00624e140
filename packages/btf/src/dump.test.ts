import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpJson } from './dump-json.js';
import { dumpRaw } from './dump-raw.js';
import { parseBtf } from './parse.js';
import { BtfBuilder } from './testing/builder.js';
import { fixture, fixtureText, hasTool, hasVmlinux, VMLINUX } from './testing/fixtures.js';

const sha = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');

describe('dumpRaw / dumpJson', () => {
  it('matches bpftool on a clang object (LE and BE)', () => {
    const golden = fixtureText('kinds.bpfel.btf.raw.txt');
    const goldenJson = fixtureText('kinds.bpfel.btf.json');
    for (const f of ['kinds.bpfel.btf', 'kinds.bpfeb.btf']) {
      const btf = parseBtf(fixture(f));
      expect(dumpRaw(btf)).toBe(golden);
      expect(dumpJson(btf)).toBe(goldenJson);
      expect(JSON.parse(dumpJson(btf))).toEqual(JSON.parse(goldenJson));
    }
  });

  it('prints edge values the way bpftool does', () => {
    const b = new BtfBuilder();
    b.enum('u', [{ name: 'NEG', value: -1 }]);
    b.enum('s', [{ name: 'NEG', value: -1 }], 4, true);
    b.add({ kind: 'ENUM64', name: 'e', kindFlag: true, values: [{ name: 'M', value: -1n }] });
    b.add({ kind: 'FUNC', name: 'f', type: 0, linkage: 7 });
    b.add({ kind: 'INT', name: 'weird', size: 4, encoding: 3, nrBits: 32 });
    b.datasec('.data', 4, [{ type: 99, offset: 0, size: 4 }]);
    b.add({ kind: 'STRUCT', name: "q'uote", size: 0, members: [] });
    const btf = parseBtf(b.build());
    expect(dumpRaw(btf)).toBe([
      "[1] ENUM 'u' encoding=UNSIGNED size=4 vlen=1", "\t'NEG' val=4294967295",
      "[2] ENUM 's' encoding=SIGNED size=4 vlen=1", "\t'NEG' val=-1",
      "[3] ENUM64 'e' encoding=SIGNED size=8 vlen=1", "\t'M' val=-1LL",
      "[4] FUNC 'f' type_id=0 linkage=(unknown)",
      "[5] INT 'weird' size=4 bits_offset=0 nr_bits=32 encoding=UNKN",
      "[6] DATASEC '.data' size=4 vlen=1", '\ttype_id=99 offset=0 size=4',
      "[7] STRUCT 'q'uote' size=0 vlen=0", '',
    ].join('\n'));
    const json = dumpJson(btf);
    expect(json).toContain('"val":18446744073709551615');
    expect(json).toContain('"name":"q\\\'uote"');
  });

  it('prints split BTF from its first own id, as `bpftool -B base` does', () => {
    const base = new BtfBuilder();
    const int = base.int('int', 4, { signed: true });
    const s = base.struct('basestruct', 4, [{ name: 'x', type: int, offset: 0 }]);
    const baseBytes = base.build();
    const baseBtf = parseBtf(baseBytes);
    const split = new BtfBuilder({ startId: baseBtf.typeCount, strBase: baseBtf.strEnd });
    const p = split.ptr(s);
    split.struct('modstruct', 16, [{ name: 'b', type: p, offset: 0 }, { name: 'x', type: int, offset: 8 }]);
    split.datasec('.data', 8, [{ type: p, offset: 0, size: 8 }]);
    const splitBytes = split.build();
    const btf = parseBtf(splitBytes, { base: baseBtf });
    const text = dumpRaw(btf);
    expect(text).toBe([
      "[3] PTR '(anon)' type_id=2", "[4] STRUCT 'modstruct' size=16 vlen=2", "\t'b' type_id=3 bits_offset=0",
      "\t'x' type_id=1 bits_offset=64", "[5] DATASEC '.data' size=8 vlen=1", "\ttype_id=3 offset=0 size=8 (PTR '(anon)')", '',
    ].join('\n'));
    if (hasTool('bpftool')) {
      const dir = mkdtempSync(join(tmpdir(), 'btf-split-'));
      writeFileSync(join(dir, 'base.btf'), baseBytes);
      writeFileSync(join(dir, 'split.btf'), splitBytes);
      const args = ['-B', join(dir, 'base.btf'), 'btf', 'dump', 'file', join(dir, 'split.btf')];
      expect(text).toBe(execFileSync('bpftool', args, { encoding: 'utf8' }));
      expect(dumpJson(btf)).toBe(execFileSync('bpftool', ['-j', ...args], { encoding: 'utf8' }));
    }
  });

  /** Every type has its header line (raw) and its object (JSON), in id order. */
  function expectOneEntryPerType(btf: ReturnType<typeof parseBtf>, text: string, json: string): void {
    const heads = text.split('\n').filter((l) => l.startsWith('['));
    expect(heads.length).toBe(btf.typeCount - 1);
    expect(heads.at(-1)!.startsWith(`[${btf.typeCount - 1}] `)).toBe(true);
    const types = (JSON.parse(json) as { types: { id: number }[] }).types;
    expect(types.map((t) => t.id)).toEqual(heads.map((_, i) => i + 1));
  }

  if (!hasVmlinux()) {
    it('dumps the committed clang fixtures completely, kinds.bpfel.btf as its bpftool golden (no /sys/kernel/btf/vmlinux on this machine)', () => {
      for (const f of ['kinds.bpfel.btf', 'graph.btf', 'core.btf']) {
        const btf = parseBtf(fixture(f));
        expectOneEntryPerType(btf, dumpRaw(btf), dumpJson(btf));
      }
      expect(sha(dumpRaw(parseBtf(fixture('kinds.bpfel.btf'))))).toBe(sha(fixtureText('kinds.bpfel.btf.raw.txt')));
    });
  } else it('matches bpftool on the kernel BTF (/sys/kernel/btf/vmlinux; live bpftool, or recorded hashes)', () => {
    const raw = new Uint8Array(readFileSync(VMLINUX));
    const btf = parseBtf(raw);
    dumpRaw(btf);
    const t0 = performance.now();
    const text = dumpRaw(btf);
    const rawMs = performance.now() - t0;
    const json = dumpJson(btf);
    expect(rawMs).toBeLessThan(3000); // ~80 ms warm on the dev box
    expectOneEntryPerType(btf, text, json);
    if (hasTool('bpftool')) {
      const bt = execFileSync('bpftool', ['btf', 'dump', 'file', VMLINUX], { maxBuffer: 1 << 30, encoding: 'utf8' });
      expect(text === bt).toBe(true);
      const bj = execFileSync('bpftool', ['-j', 'btf', 'dump', 'file', VMLINUX], { maxBuffer: 1 << 30, encoding: 'utf8' });
      expect(json === bj).toBe(true);
    }
    const rec = JSON.parse(fixtureText('vmlinux.sha256.json')) as { input: string; raw: string; json: string };
    if (sha(raw) === rec.input) {
      expect(sha(text)).toBe(rec.raw);
      expect(sha(json)).toBe(rec.json);
    }
  }, 120_000);
});

/**
 * Input mutators for parser fuzzing: truncation, bit flips, interesting values
 * at random or targeted offsets (ELF headers, BTF header and type records,
 * BTF.ext), and pure noise.
 */
import type { Rng } from './rng.js';

const INTERESTING_U32 = [0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** A region of the input worth aiming at (e.g. the .BTF section). */
export interface Region {
  readonly offset: number;
  readonly size: number;
}

function writeU32(b: Uint8Array, off: number, v: number): void {
  if (off < 0 || off + 4 > b.length) return;
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
  b[off + 2] = (v >>> 16) & 0xff;
  b[off + 3] = (v >>> 24) & 0xff;
}

export type MutationKind = 'truncate' | 'bitflip' | 'byte' | 'u32' | 'u32-region' | 'splice' | 'noise';

export function mutate(rng: Rng, input: Uint8Array, regions: readonly Region[]): { bytes: Uint8Array; kind: MutationKind } {
  const kind = rng.pick<MutationKind>(['truncate', 'bitflip', 'bitflip', 'byte', 'u32', 'u32-region', 'u32-region', 'u32-region', 'splice', 'noise']);
  switch (kind) {
    case 'truncate':
      return { bytes: input.slice(0, rng.int(input.length)), kind };
    case 'bitflip': {
      const b = input.slice();
      const n = 1 + rng.int(8);
      for (let i = 0; i < n; i++) {
        const pos = rng.int(b.length);
        b[pos] = b[pos]! ^ (1 << rng.int(8));
      }
      return { bytes: b, kind };
    }
    case 'byte': {
      const b = input.slice();
      b[rng.int(b.length)] = rng.pick([0, 1, 0x7f, 0x80, 0xff]);
      return { bytes: b, kind };
    }
    case 'u32': {
      const b = input.slice();
      writeU32(b, rng.int(b.length >> 2) << 2, rng.pick(INTERESTING_U32));
      return { bytes: b, kind };
    }
    case 'u32-region': {
      const b = input.slice();
      const r = regions.length ? rng.pick(regions) : { offset: 0, size: b.length };
      const n = 1 + rng.int(3);
      for (let i = 0; i < n; i++) {
        const off = r.offset + (rng.int(Math.max(1, r.size >> 2)) << 2);
        // small numbers make type ids point at each other (loops), big ones go out of range
        const v = rng.int(2) ? rng.pick(INTERESTING_U32) : rng.int(64);
        writeU32(b, off, v);
      }
      return { bytes: b, kind };
    }
    case 'splice': {
      // copy a chunk of the file over another place (duplicated headers, shifted tables)
      const b = input.slice();
      const len = 1 + rng.int(64);
      const from = rng.int(b.length);
      const to = rng.int(b.length);
      b.copyWithin(to, from, Math.min(b.length, from + len));
      return { bytes: b, kind };
    }
    case 'noise': {
      const b = rng.bytes(rng.int(512));
      const head = rng.int(3);
      if (head === 0 && b.length >= 7) b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
      if (head === 1 && b.length >= 4) b.set([0x9f, 0xeb, 1, 0], 0);
      return { bytes: b, kind };
    }
  }
}

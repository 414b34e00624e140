/** Test helpers: assemble kernel-syntax text into core memory (relocating `subprog[...]` to FUNC_BASE + pc). */
import { assemble, encode, insn, type Insn } from '@bpfkit/isa';
import { type Core, FUNC_BASE } from './core-api.js';

export interface Loaded { text: number; slots: number }

/** Rewrite `ld_imm64 src=4` (subprog[+N]) into the constant FUNC_BASE + target, as the host loader does. */
export function relocate(insns: readonly Insn[]): Insn[] {
  const out: Insn[] = [];
  let slot = 0;
  for (const i of insns) {
    if (i.code === 0x18 && i.src === 4) {
      const v = FUNC_BASE + BigInt(slot + 1 + i.imm);
      out.push(insn(0x18, i.dst, 0, 0, Number(BigInt.asIntN(32, v & 0xffffffffn)), Number(BigInt.asIntN(32, v >> 32n))));
    } else out.push(i);
    slot += i.code === 0x18 ? 2 : 1;
  }
  return out;
}

export function load(core: Core, text: string): Loaded {
  const bytes = encode(relocate(assemble(text)));
  const at = core.staticAlloc(bytes.length, 8);
  core.u8.set(bytes, at);
  return { text: at, slots: bytes.length / 8 };
}

export function loadBytes(core: Core, bytes: Uint8Array): Loaded {
  const at = core.staticAlloc(bytes.length, 8);
  core.u8.set(bytes, at);
  return { text: at, slots: bytes.length / 8 };
}

/** Write a special-field record (docs/runtime-contract.md "Records"); returns its address. */
export function writeRecord(core: Core, size: number, fields: [kind: number, off: number, aux?: number, aux2?: number][]): number {
  const NONE = 0xffffffff;
  const rec = core.staticAlloc(16 + 16 * fields.length, 8);
  const v = core.view;
  const lock = fields.find((f) => f[0] === 1);
  const ref = fields.find((f) => f[0] === 6);
  v.setUint32(rec, size, true);
  v.setUint32(rec + 4, lock ? lock[1] : NONE, true);
  v.setUint32(rec + 8, ref ? ref[1] : NONE, true);
  v.setUint32(rec + 12, fields.length, true);
  fields.forEach(([kind, off, aux = 0, aux2 = 0], i) => {
    const f = rec + 16 + 16 * i;
    v.setUint32(f, kind, true); v.setUint32(f + 4, off, true); v.setUint32(f + 8, aux, true); v.setUint32(f + 12, aux2, true);
  });
  return rec;
}

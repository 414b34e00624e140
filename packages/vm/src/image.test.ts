import { assemble, encode } from '@bpfkit/isa';
import { FUNC_BASE, KFUNC_IDS } from '@bpfkit/vm-wasm';
import { describe, expect, test } from 'vitest';
import { LoadError } from './errors.js';
import { relocate, UNKNOWN_KFUNC_BASE } from './image.js';

const slot = (code: number, dst: number, src: number, off: number, imm: number) => {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  b[0] = code;
  b[1] = (src << 4) | dst;
  dv.setInt16(2, off, true);
  dv.setInt32(4, imm, true);
  return b;
};
const cat = (...s: Uint8Array[]) => {
  const out = new Uint8Array(s.length * 8);
  s.forEach((x, i) => out.set(x, i * 8));
  return out;
};
const imm64 = (t: Uint8Array, i: number) => {
  const dv = new DataView(t.buffer, t.byteOffset);
  return (BigInt(dv.getUint32(i * 8 + 12, true)) << 32n) | BigInt(dv.getUint32(i * 8 + 4, true));
};

const targets = {
  mapAddr: (i: number) => (i === 3 ? 0x12340 : undefined),
  mapValueAddr: (i: number) => (i === 3 ? 0x50000 : undefined),
  kfuncName: (id: number) => (id === 777 ? 'bpf_obj_new_impl' : id === 778 ? 'bpf_task_acquire' : undefined),
};

describe('relocate', () => {
  test('maps, map values, functions and kfuncs', () => {
    const prog = cat(
      slot(0x18, 1, 5, 0, 3), slot(0, 0, 0, 0, 0), // r1 = map[idx:3]
      slot(0x18, 2, 6, 0, 3), slot(0, 0, 0, 0, 16), // r2 = map_value(3) + 16
      slot(0x18, 3, 4, 0, 2), slot(0, 0, 0, 0, 0), // r3 = func at pc 4+1+2 = 7
      slot(0x85, 0, 2, 0, 777), // call bpf_obj_new_impl
      slot(0x85, 0, 2, 0, 778), // call an unknown kfunc
      slot(0x85, 0, 0, 0, 1), // helper map_lookup_elem
      slot(0x95, 0, 0, 0, 0),
    );
    const r = relocate('p', prog, targets);
    expect(r.slots).toBe(10);
    expect(r.text[1]).toBe(0x01); // src cleared, dst kept
    expect(imm64(r.text, 0)).toBe(0x12340n);
    expect(imm64(r.text, 2)).toBe(0x50010n);
    expect(imm64(r.text, 4)).toBe(FUNC_BASE + 7n);
    const dv = new DataView(r.text.buffer);
    expect(dv.getInt32(6 * 8 + 4, true)).toBe(KFUNC_IDS.bpf_obj_new_impl);
    expect(dv.getInt32(7 * 8 + 4, true)).toBe(UNKNOWN_KFUNC_BASE);
    expect(r.describeCall(2, UNKNOWN_KFUNC_BASE)).toBe('kfunc bpf_task_acquire');
    expect(r.describeCall(2, KFUNC_IDS.bpf_rbtree_add_impl!)).toBe('kfunc bpf_rbtree_add_impl');
    expect(r.describeCall(0, 1)).toMatch(/map_lookup_elem/);
    expect(prog[1]).toBe(0x51); // the input is not modified
  });

  test('unknown maps and kernel BTF objects are load errors naming the instruction', () => {
    expect(() => relocate('p', cat(slot(0x18, 1, 1, 0, 9), slot(0, 0, 0, 0, 0)), targets)).toThrow(LoadError);
    expect(() => relocate('p', cat(slot(0x18, 1, 3, 0, 9), slot(0, 0, 0, 0, 0)), targets)).toThrow(/insn 0: .*kernel BTF object/);
    expect(() => relocate('p', cat(slot(0x95, 0, 0, 0, 0), slot(0x18, 1, 0, 0, 9)), targets)).toThrow(/insn 1: ld_imm64 without/);
  });

  test('plain programs pass through unchanged', () => {
    const text = encode(assemble('r0 = 1\nexit'));
    expect(relocate('p', text, targets).text).toEqual(text);
  });
});

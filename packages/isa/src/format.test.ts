import { describe, expect, it } from 'vitest';
import { assemble } from './asm.js';
import { decode, hexToBytes } from './codec.js';
import { formatInsn, formatInsnWithCode, formatProgram } from './format.js';
import { helperName, HELPER_NAMES } from './helpers.js';
import { type Insn, insn, ldImm64 } from './insn.js';

/** Kernel texts from formats.md §1.15 (the [V] column) and the kernel's printf formats. */
const KERNEL_TEXT: [Insn, string][] = [
  [insn(0x0f, 0, 1), '(0f) r0 += r1'],
  [insn(0x07, 2, 0, 0, -4), '(07) r2 += -4'],
  [insn(0x0c, 0, 1), '(0c) w0 += w1'],
  [insn(0x64, 9, 0, 0, 31), '(64) w9 <<= 31'],
  [insn(0xb7, 1, 0, 0, 1), '(b7) r1 = 1'],
  [insn(0xb4, 0, 0, 0, 0), '(b4) w0 = 0'],
  [insn(0xbf, 6, 1), '(bf) r6 = r1'],
  [insn(0x37, 3, 0, 1, 7), '(37) r3 s/= 7'],
  [insn(0x94, 4, 0, 1, 3), '(94) w4 s%= 3'],
  [insn(0x37, 0, 0, 0, 0), '(37) r0 /= 0'],
  [insn(0xbf, 1, 1, 8), '(bf) r1 = (s8)r1'],
  [insn(0xbc, 2, 2, 16), '(bc) w2 = (s16)w2'],
  [insn(0xbf, 3, 4, 32), '(bf) r3 = (s32)r4'],
  [insn(0x87, 7), '(87) r7 = -r7'],
  [insn(0x84, 7), '(84) w7 = -w7'],
  [insn(0xdc, 5, 0, 0, 16), '(dc) r5 = be16 r5'],
  [insn(0xd4, 5, 0, 0, 64), '(d4) r5 = le64 r5'],
  [insn(0xd7, 5, 0, 0, 32), '(d7) r5 = bswap32 r5'],
  [insn(0xbf, 1, 2, 1, 0x10000), '(bf) r1 = addr_space_cast(r2, 1, 0)'],
  [insn(0x61, 0, 6, 0), '(61) r0 = *(u32 *)(r6 +0)'],
  [insn(0x79, 1, 10, -8), '(79) r1 = *(u64 *)(r10 -8)'],
  [insn(0x89, 6, 10, -64), '(89) r6 = *(s16 *)(r10 -64)'],
  [insn(0x7b, 10, 2, -16), '(7b) *(u64 *)(r10 -16) = r2'],
  [insn(0x63, 10, 7, -4), '(63) *(u32 *)(r10 -4) = r7'],
  [insn(0x62, 10, 0, -4, 0), '(62) *(u32 *)(r10 -4) = 0'],
  [insn(0xdb, 2, 1, 0, 0x00), '(db) lock *(u64 *)(r2 +0) += r1'],
  [insn(0xc3, 2, 1, 4, 0x50), '(c3) lock *(u32 *)(r2 +4) &= r1'],
  [insn(0xdb, 2, 1, 0, 0x41), '(db) r1 = atomic64_fetch_or((u64 *)(r2 +0), r1)'],
  [insn(0xc3, 2, 1, 0, 0x01), '(c3) r1 = atomic_fetch_add((u32 *)(r2 +0), r1)'],
  [insn(0xdb, 2, 1, 0, 0xe1), '(db) r1 = atomic64_xchg((u64 *)(r2 +0), r1)'],
  [insn(0xdb, 2, 3, 0, 0xf1), '(db) r0 = atomic64_cmpxchg((u64 *)(r2 +0), r0, r3)'],
  [insn(0xc3, 2, 3, 0, 0xf1), '(c3) r0 = atomic_cmpxchg((u32 *)(r2 +0), r0, r3)'],
  [insn(0xd3, 1, 2, 8, 0x100), '(d3) r1 = load_acquire((u8 *)(r2 +8))'],
  [insn(0xcb, 1, 2, -2, 0x110), '(cb) store_release((u16 *)(r1 -2), r2)'],
  [insn(0x30, 0, 0, 0, 12), '(30) r0 = *(u8 *)skb[12]'],
  [insn(0x48, 0, 3, 0, -4), '(48) r0 = *(u16 *)skb[r3 + -4]'],
  [ldImm64(0, 0x123456789n), '(18) r0 = 0x123456789'],
  [ldImm64(1, 0n), '(18) r1 = 0x0'],
  [ldImm64(1, -1n), '(18) r1 = 0xffffffffffffffff'],
  [insn(0x05, 0, 0, 3), '(05) goto pc+3'],
  [insn(0x05, 0, 0, -1), '(05) goto pc-1'],
  [insn(0x06, 0, 0, 0, 0), '(06) gotol pc+0'],
  [insn(0x25, 1, 0, 3, 5), '(25) if r1 > 0x5 goto pc+3'],
  [insn(0x15, 2, 0, 51, 0), '(15) if r2 == 0x0 goto pc+51'],
  [insn(0x66, 1, 0, 0, -3), '(66) if w1 s> 0xfffffffd goto pc+0'],
  [insn(0x2d, 1, 2, -7), '(2d) if r1 > r2 goto pc-7'],
  [insn(0xde, 1, 2, 1), '(de) if w1 s<= w2 goto pc+1'],
  [insn(0x45, 3, 0, 2, 0xff), '(45) if r3 & 0xff goto pc+2'],
  [insn(0x85, 0, 0, 0, 1), '(85) call bpf_map_lookup_elem#1'],
  [insn(0x85, 0, 0, 0, 181), '(85) call bpf_loop#181'],
  [insn(0x85, 0, 0, 0, 212), '(85) call unknown#212'],
  [insn(0x85, 0, 0, 0, -1), '(85) call unknown#-1'],
  [insn(0x85, 0, 1, 0, 2), '(85) call pc+2'],
  [insn(0x85, 0, 2, 0, 65472), '(85) call kernel-function#65472'],
  [insn(0xe5, 0, 0, 0), '(e5) may_goto pc+0'],
  [insn(0x0d, 3), '(0d) gotox r3'],
  [insn(0x95), '(95) exit'],
  [insn(0xc2), '(c2) nospec'],
];

describe('formatInsn: kernel text', () => {
  it.each(KERNEL_TEXT.map(([i, t]) => [t, i] as const))('%s', (text, i) => {
    expect(formatInsnWithCode(i)).toBe(text);
    expect(formatInsn(i)).toBe(text.slice(5));
  });

  it('names kfuncs through the resolver', () => {
    const k = insn(0x85, 0, 2, 0, 65472);
    expect(formatInsn(k, { kfuncName: (i) => (i.imm === 65472 ? 'bpf_rcu_read_lock' : undefined) })).toBe('call bpf_rcu_read_lock#65472');
    expect(formatInsn(k, { kfuncName: () => undefined })).toBe('call kernel-function#65472');
  });

  it('prints every helper id 0..211 as bpf_<name> and nothing else', () => {
    expect(HELPER_NAMES.length).toBe(212);
    expect(HELPER_NAMES[0]).toBe('unspec');
    expect(HELPER_NAMES[211]).toBe('cgrp_storage_delete');
    for (let id = 0; id < 212; id++) expect(formatInsn(insn(0x85, 0, 0, 0, id))).toBe(`call ${helperName(id)}#${id}`);
    expect(new Set(HELPER_NAMES).size).toBe(212);
  });

  it('prints BUG_ lines without a code prefix, as the kernel does', () => {
    expect(formatInsnWithCode(insn(0x01))).toBe('BUG_ldx_01');
    expect(formatInsnWithCode(insn(0xa2))).toBe('BUG_st_a2');
    expect(formatInsnWithCode(insn(0x60))).toBe('BUG_ld_60');
    expect(formatInsnWithCode(insn(0x83))).toBe('BUG_83');
    expect(formatInsnWithCode(insn(0xdb, 1, 2, 0, 0x02))).toBe('BUG_db');
  });

  it('prints ld_imm64 pseudo sources symbolically, or as the kernel log', () => {
    const m = insn(0x18, 1, 1, 0, 4, 0);
    expect(formatInsn(m)).toBe('r1 = map[fd:4]');
    expect(formatInsn(m, { pseudo: 'kernel' })).toBe('r1 = 0x0');
    expect(formatInsn(m, { pseudo: 'kernel', allowPtrLeaks: true })).toBe('r1 = 0x4');
    expect(formatInsn(insn(0x18, 2, 4, 0, 8), { pseudo: 'kernel' })).toBe('r2 = 0x8');
    expect(formatInsn(insn(0x18, 2, 4, 0, 8))).toBe('r2 = subprog[+8]');
    expect(formatInsn(insn(0x18, 1, 2, 0, 3, 16))).toBe('r1 = map[fd:3][0]+16');
    expect(formatInsn(insn(0x18, 1, 3, 0, 77, 0))).toBe('r1 = btf[id:77]');
    expect(formatInsn(insn(0x18, 1, 3, 0, 77, 5))).toBe('r1 = btf[id:77][fd:5]');
    expect(formatInsn(insn(0x18, 1, 5, 0, 0))).toBe('r1 = map[idx:0]');
    expect(formatInsn(insn(0x18, 1, 6, 0, 1, 8))).toBe('r1 = map[idx:1]+8');
    expect(formatInsn(insn(0x18, 1, 9, 0, 1, 8))).toBe('r1 = ld_pseudo(9, 1, 8)');
    expect(formatInsn(m, { ldImm64: (i) => `map[id:${i.imm}]` })).toBe('r1 = map[id:4]');
  });

  it('formats whole programs with slot indices (verifier and bpftool styles)', () => {
    const p = decode(hexToBytes('bf16000000000000' + '1801000078563412' + '0000000000000000' + '9500000000000000'));
    expect(formatProgram(p)).toBe('0: (bf) r6 = r1\n1: (18) r1 = 0x12345678\n3: (95) exit\n');
    expect(formatProgram(p, { style: 'bpftool' })).toBe('   0: (bf) r6 = r1\n   1: (18) r1 = 0x12345678\n   3: (95) exit\n');
  });

  it('kernel texts assemble back to the same instruction', () => {
    for (const [i, t] of KERNEL_TEXT) expect(assemble(t), t).toEqual([i]);
  });
});

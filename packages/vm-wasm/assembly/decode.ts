// Pre-decoding of BPF slots into the interpreter's fast format, cached per (text, slots, mode).

import * as O from './ops';
import { staticAlloc } from './mem';

const MAX_CACHE: i32 = 1024;
/** [u32 text][u32 slots][u32 checked][u32 code] */
const CACHE: usize = memory.data(MAX_CACHE * 16, 16);
let gNCache: i32 = 0;

export function decodeReset(): void { gNCache = 0; }

/** Decoded program for `text` (allocated once), 0 when out of memory. */
export function decodeCached(text: usize, slots: u32, checked: bool): usize {
  const ck: u32 = checked ? 1 : 0;
  for (let i = 0; i < gNCache; i++) {
    const e = CACHE + (<usize>i << 4);
    if (load<u32>(e) == <u32>text && load<u32>(e, 4) == slots && load<u32>(e, 8) == ck) return load<u32>(e, 12);
  }
  const code = decode(text, slots, checked);
  if (code == 0) return 0;
  if (gNCache < MAX_CACHE) {
    const e = CACHE + (<usize>gNCache << 4);
    store<u32>(e, <u32>text); store<u32>(e, slots, 4); store<u32>(e, ck, 8); store<u32>(e, <u32>code, 12);
    gNCache++;
  }
  return code;
}

// @ts-ignore: decorator
@inline function put(code: usize, i: u32, op: i32, dst: u32, src: u32, off: i32, imm: i64): void {
  const p = code + (<usize>i << 4);
  store<u8>(p, <u8>op); store<u8>(p, <u8>(dst << 3), 1); store<u8>(p, <u8>(src << 3), 2); store<u8>(p, 0, 3);
  store<i32>(p, off, 4); store<i64>(p, imm, 8);
}

function aluIndex(opbits: u32): i32 {
  switch (opbits) {
    case 0x00: return 0; case 0x10: return 1; case 0x20: return 2; case 0x30: return 3;
    case 0x40: return 5; case 0x50: return 6; case 0x60: return 7; case 0x70: return 8;
    case 0x80: return 9; case 0x90: return 10; case 0xa0: return 12; case 0xb0: return 13;
    case 0xc0: return 14;
    default: return -1;
  }
}

function jmpIndex(opbits: u32): i32 {
  switch (opbits) {
    case 0x10: return 0; case 0x20: return 1; case 0x30: return 2; case 0x40: return 3;
    case 0x50: return 4; case 0x60: return 5; case 0x70: return 6; case 0xa0: return 7;
    case 0xb0: return 8; case 0xc0: return 9; case 0xd0: return 10;
    default: return -1;
  }
}

function validAtomic(aop: u32, size: u32): bool {
  if (aop == 0x100 || aop == 0x110) return true;
  if (size != 4 && size != 8) return false;
  switch (aop) {
    case 0x00: case 0x40: case 0x50: case 0xa0:
    case 0x01: case 0x41: case 0x51: case 0xa1:
    case 0xe1: case 0xf1: return true;
    default: return false;
  }
}

const SIZE_BYTES: usize = memory.data<u8>([4, 2, 1, 8]);

export function decode(text: usize, slots: u32, checked: bool): usize {
  const code = staticAlloc((slots + 1) << 4, 16);
  if (code == 0) return 0;
  // pass 1: mark second halves of ld_imm64
  for (let i: u32 = 0; i < slots; i++) {
    if (load<u8>(text + (<usize>i << 3)) == 0x18) { if (i + 1 < slots) put(code, i + 1, O.LDDW_HI, 0, 0, 0, 0); i++; }
  }
  for (let i: u32 = 0; i < slots; i++) {
    const s = text + (<usize>i << 3);
    const c = <u32>load<u8>(s);
    const regs = <u32>load<u8>(s, 1);
    const dst = regs & 15;
    const src = regs >>> 4;
    const off = <i32>load<i16>(s, 2);
    const imm = load<i32>(s, 4);
    const cls = c & 7;
    const x = (c & 8) != 0;
    let op: i32 = O.BAD_INSN;
    let target: i32 = 0;
    let v: i64 = <i64>imm;
    if (dst > 10 || src > 10) { put(code, i, O.BAD_INSN, 0, 0, 0, 0); if (c == 0x18) i++; continue; }
    if (cls == 4 || cls == 7) {
      const is64 = cls == 7;
      const form = (is64 ? 0 : 2) + (x ? 1 : 0);
      const opbits = c & 0xf0;
      if (opbits == 0xd0) {
        if (imm == 16 || imm == 32 || imm == 64) {
          if (is64) op = x ? O.BAD_INSN : (imm == 16 ? O.BSWAP16 : imm == 32 ? O.BSWAP32 : O.BSWAP64);
          else if (x) op = imm == 16 ? O.BSWAP16 : imm == 32 ? O.BSWAP32 : O.BSWAP64;
          else op = imm == 16 ? O.LE16 : imm == 32 ? O.LE32 : O.NOP;
        }
      } else {
        let k = aluIndex(opbits);
        if (k == 3 || k == 10) {
          if (off == 1) k++; else if (off != 0) k = -1;
        } else if (k == 13 && x && off != 0) {
          k = -1;
          if (is64) op = off == 8 ? O.MOVSX64_8 : off == 16 ? O.MOVSX64_16 : off == 32 ? O.MOVSX64_32 : O.BAD_INSN;
          else op = off == 8 ? O.MOVSX32_8 : off == 16 ? O.MOVSX32_16 : O.BAD_INSN;
        } else if (k == 9 && x) k = -1;
        else if (off != 0) k = -1;
        if (k >= 0) op = O.A_ADD + k * 4 + form;
      }
    } else if (cls == 5 || cls == 6) {
      const opbits = c & 0xf0;
      const form = (cls == 5 ? 0 : 2) + (x ? 1 : 0);
      if (opbits == 0x00) {
        if (!x) { op = O.JA; target = <i32>i + 1 + (cls == 5 ? off : imm); }
      } else if (opbits == 0x80) {
        if (cls == 5) {
          if (x) op = O.CALLX;
          else if (src == 0) op = O.CALL_HELPER;
          else if (src == 1) { op = O.CALL_LOCAL; target = <i32>i + 1 + imm; }
          else if (src == 2) op = imm == 12 ? O.RB_ADD : O.CALL_KFUNC;
        }
      } else if (opbits == 0x90) {
        if (cls == 5 && !x) op = O.EXIT;
      } else if (opbits == 0xe0) {
        if (cls == 5 && !x && src == 0) { op = O.MAY_GOTO; target = <i32>i + 1 + off; }
      } else {
        const k = jmpIndex(opbits);
        if (k >= 0) { op = O.J_BASE + k * 4 + form; target = <i32>i + 1 + off; }
      }
      if (op != O.BAD_INSN && op != O.CALL_HELPER && op != O.CALL_KFUNC && op != O.RB_ADD && op != O.CALLX && op != O.EXIT) {
        if (target < 0 || <u32>target >= slots || load<u8>(code + (<usize>target << 4)) == O.LDDW_HI) op = O.BAD_JUMP;
      }
    } else if (cls == 0) {
      if (c == 0x18 && src == 0 && i + 1 < slots) {
        op = O.LDDW;
        v = <i64>(<u64><u32>imm | (<u64>load<u32>(s, 12) << 32));
      }
    } else if (cls == 1) {
      const mode = c & 0xe0;
      const sz = c & 0x18;
      if (mode == 0x60) op = sz == 0x00 ? O.LDXW : sz == 0x08 ? O.LDXH : sz == 0x10 ? O.LDXB : O.LDXDW;
      else if (mode == 0x80) op = sz == 0x00 ? O.LDXSW : sz == 0x08 ? O.LDXSH : sz == 0x10 ? O.LDXSB : O.BAD_INSN;
      if (checked && op != O.BAD_INSN) op += O.CHK;
    } else if (cls == 2) {
      const sz = c & 0x18;
      if ((c & 0xe0) == 0x60) op = sz == 0x00 ? O.STW : sz == 0x08 ? O.STH : sz == 0x10 ? O.STB : O.STDW;
      if (checked && op != O.BAD_INSN) op += O.CHK;
    } else {
      const mode = c & 0xe0;
      const sz = c & 0x18;
      if (mode == 0x60) {
        op = sz == 0x00 ? O.STXW : sz == 0x08 ? O.STXH : sz == 0x10 ? O.STXB : O.STXDW;
        if (checked) op += O.CHK;
      } else if (mode == 0xc0) {
        const bytes = <u32>load<u8>(SIZE_BYTES + (sz >>> 3));
        if (validAtomic(<u32>imm, bytes)) { op = O.ATOMIC; v = <i64>(<u32>imm | (bytes << 16)); }
      }
    }
    const isJump = op == O.JA || op == O.CALL_LOCAL || op == O.MAY_GOTO || (op >= O.J_BASE && op < O.JA);
    // jumps carry the absolute address of their target's decoded slot
    put(code, i, op, dst, src, isJump ? <i32>(code + (<usize>target << 4)) : off, v);
    if (c == 0x18) i++;
  }
  put(code, slots, O.FELL_OFF, 0, 0, 0, 0);
  // Fusion: `rX = rY` followed by a 64-bit ALU op runs both in one dispatch (the interpreter's fused case falls
  // through into the ALU case). The second slot keeps its own decoding, so jumps into it stay valid.
  for (let i: u32 = 0; i + 1 < slots; i++) {
    const p = code + (<usize>i << 4);
    if (<i32>load<u8>(p) != O.A_MOV + 1) continue;
    const next = <i32>load<u8>(p, 16);
    const k = (next - O.A_ADD) >> 2;
    const f = (next - O.A_ADD) & 3;
    if (next >= O.A_ADD && next <= O.A_ARSH + 1 && f <= 1 && !(k == 9 && f == 1)) store<u8>(p, <u8>(O.FUSED_BASE + k * 2 + f));
  }
  // `rD = K1; if cond goto +1; rD = K2` (both movs of the same width): one branch-free SETCC on the first slot
  for (let i: u32 = 0; i + 2 < slots; i++) {
    const p = code + (<usize>i << 4);
    const m1 = <i32>load<u8>(p);
    if (m1 != O.A_MOV && m1 != O.A_MOV + 2) continue;
    const j = <i32>load<u8>(p, 16);
    if (j < O.J_BASE || j >= O.J_BASE + 44 || <usize>load<u32>(p, 20) != p + 48) continue;
    if (<i32>load<u8>(p, 32) != m1 || load<u8>(p, 33) != load<u8>(p, 1)) continue;
    store<u8>(p, <u8>(O.SETCC + (m1 == O.A_MOV ? 0 : 1)));
  }
  return code;
}

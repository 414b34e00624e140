// The wasm engine: a switch interpreter over the pre-decoded program (decode.ts).
// Registers live at the fixed address REGS (r0..r10, 8 bytes each); dst/src are pre-multiplied by 8.

import * as O from './ops';
import {
  REGS, FRAMES, SAVES, MAX_FRAMES, MAX_LOOPS, FUNC_BASE, frameTop, gDepth, setDepth, gFault, setFault, clearFault,
  gChecked, setChecked, gWasmRunning, setWasmRunning, FAULT_BUDGET, FAULT_BAD_ACCESS, FAULT_BAD_INSN, FAULT_BAD_JUMP,
  FAULT_STACK, FAULT_LOCK,
} from './state';
import { checkAccess64 } from './regions';
import { decodeCached } from './decode';
import { callHelperImpl } from './helpers';
import { callKfuncImpl } from './kfuncs';
import { locksHeld } from './locks';

// @ts-ignore: decorator
@inline function R(d: usize): u64 { return load<u64>(REGS + d); }
// @ts-ignore: decorator
@inline function R32(d: usize): u32 { return load<u32>(REGS + d); }
// @ts-ignore: decorator
@inline function W(d: usize, v: u64): void { store<u64>(REGS + d, v); }
// @ts-ignore: decorator
@inline function IMM64(p: usize): u64 { return load<u64>(p, 8); }
// @ts-ignore: decorator
@inline function IMM32(p: usize): u32 { return load<u32>(p, 8); }
// @ts-ignore: decorator
@inline function OFF(p: usize): i32 { return load<i32>(p, 4); }
// @ts-ignore: decorator
@inline function TGT(p: usize): i32 { return load<i32>(p, 4); }

/** Budget of the current run and instructions executed so far (flushed from the loop's local counter). */
let gBudget: i64 = 0;
let gInsns: i64 = 0;
let gR0: u64 = 0;
/** Decoded code and slot count of the program the wasm engine runs. */
let gCode: usize = 0;
let gSlots: u32 = 0;
/** Nesting of re-entrant callbacks (register files saved in SAVES). */
let gNest: i32 = 0;

export function lastR0(): u64 { return gR0; }
export function lastInsns(): i64 { return gInsns; }

function budgetFault(pc: i32, n: i64): void { gInsns += n; setFault(FAULT_BUDGET, <u32>pc, 0, 0); }
function accessFault(pc: i32, a: u64, n: i64): void { gInsns += n; setFault(FAULT_BAD_ACCESS, <u32>pc, <u32>a, 0); }

/** Enter a new frame at `target`; false (fault set) when the depth limit is hit. */
function pushFrame(retPc: i32, pc: i32): bool {
  const depth = gDepth;
  if (depth + 1 >= MAX_FRAMES) { setFault(FAULT_STACK, <u32>pc, 0, 0); return false; }
  const f = FRAMES + <usize>depth * 48;
  store<i32>(f, retPc);
  store<u64>(f, R(48), 8); store<u64>(f, R(56), 16); store<u64>(f, R(64), 24); store<u64>(f, R(72), 32);
  setDepth(depth + 1);
  const top = frameTop(depth + 1);
  W(80, <u64>top);
  store<u64>(top, MAX_LOOPS);
  return true;
}

function atomic(p: usize, d: usize, s: usize, pc: i32): bool {
  const spec = <u32>IMM64(p);
  const aop = spec & 0xffff;
  const size = spec >>> 16;
  if (aop == 0x100) { // load-acquire: dst = *(src + off)
    const a = R(s) + <u64><i64>OFF(p);
    if (gChecked && !checkAccess64(a, size, false)) { setFault(FAULT_BAD_ACCESS, <u32>pc, <u32>a, 0); return false; }
    const q = <usize>a;
    W(d, size == 1 ? <u64>load<u8>(q) : size == 2 ? <u64>load<u16>(q) : size == 4 ? <u64>load<u32>(q) : load<u64>(q));
    return true;
  }
  const a = R(d) + <u64><i64>OFF(p);
  if (gChecked && !checkAccess64(a, size, true)) { setFault(FAULT_BAD_ACCESS, <u32>pc, <u32>a, 0); return false; }
  const q = <usize>a;
  if (aop == 0x110) {
    const v = R(s);
    if (size == 1) store<u8>(q, <u8>v); else if (size == 2) store<u16>(q, <u16>v); else if (size == 4) store<u32>(q, <u32>v); else store<u64>(q, v);
    return true;
  }
  if (size == 4) {
    const old = load<u32>(q);
    const v = R32(s);
    switch (aop & ~1) {
      case 0x00: store<u32>(q, old + v); break;
      case 0x40: store<u32>(q, old | v); break;
      case 0x50: store<u32>(q, old & v); break;
      case 0xa0: store<u32>(q, old ^ v); break;
      case 0xe0: store<u32>(q, v); break;
      case 0xf0: { if (old == R32(0)) store<u32>(q, v); W(0, <u64>old); return true; }
    }
    if (aop & 1) W(s, <u64>old);
  } else {
    const old = load<u64>(q);
    const v = R(s);
    switch (aop & ~1) {
      case 0x00: store<u64>(q, old + v); break;
      case 0x40: store<u64>(q, old | v); break;
      case 0x50: store<u64>(q, old & v); break;
      case 0xa0: store<u64>(q, old ^ v); break;
      case 0xe0: store<u64>(q, v); break;
      case 0xf0: { if (old == R(0)) store<u64>(q, v); W(0, old); return true; }
    }
    if (aop & 1) W(s, old);
  }
  return true;
}

/** Run from `pc0` until the frame at `baseDepth` exits or a fault. Result in r0. */
export function interp(code: usize, pc0: i32, baseDepth: i32): void {
  let pc = pc0;
  let n: i64 = 0;
  let limit: i64 = gBudget - gInsns;
  while (true) {
    const p = code + (<usize>pc << 4);
    const d = <usize>load<u8>(p, 1);
    const s = <usize>load<u8>(p, 2);
    pc++;
    n++;
    switch (<i32>load<u8>(p)) {
      case O.A_ADD + 0: { const a = R(d); const b = IMM64(p); W(d, a + b); break; }
      case O.A_ADD + 1: { const a = R(d); const b = R(s); W(d, a + b); break; }
      case O.A_ADD + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a + b)); break; }
      case O.A_ADD + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a + b)); break; }
      case O.A_SUB + 0: { const a = R(d); const b = IMM64(p); W(d, a - b); break; }
      case O.A_SUB + 1: { const a = R(d); const b = R(s); W(d, a - b); break; }
      case O.A_SUB + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a - b)); break; }
      case O.A_SUB + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a - b)); break; }
      case O.A_MUL + 0: { const a = R(d); const b = IMM64(p); W(d, a * b); break; }
      case O.A_MUL + 1: { const a = R(d); const b = R(s); W(d, a * b); break; }
      case O.A_MUL + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a * b)); break; }
      case O.A_MUL + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a * b)); break; }
      case O.A_DIV + 0: { const a = R(d); const b = IMM64(p); W(d, b != 0 ? a / b : 0); break; }
      case O.A_DIV + 1: { const a = R(d); const b = R(s); W(d, b != 0 ? a / b : 0); break; }
      case O.A_DIV + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(b != 0 ? a / b : 0)); break; }
      case O.A_DIV + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(b != 0 ? a / b : 0)); break; }
      case O.A_OR + 0: { const a = R(d); const b = IMM64(p); W(d, a | b); break; }
      case O.A_OR + 1: { const a = R(d); const b = R(s); W(d, a | b); break; }
      case O.A_OR + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a | b)); break; }
      case O.A_OR + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a | b)); break; }
      case O.A_AND + 0: { const a = R(d); const b = IMM64(p); W(d, a & b); break; }
      case O.A_AND + 1: { const a = R(d); const b = R(s); W(d, a & b); break; }
      case O.A_AND + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a & b)); break; }
      case O.A_AND + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a & b)); break; }
      case O.A_LSH + 0: { const a = R(d); const b = IMM64(p); W(d, a << (b & 63)); break; }
      case O.A_LSH + 1: { const a = R(d); const b = R(s); W(d, a << (b & 63)); break; }
      case O.A_LSH + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a << (b & 31))); break; }
      case O.A_LSH + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a << (b & 31))); break; }
      case O.A_RSH + 0: { const a = R(d); const b = IMM64(p); W(d, a >> (b & 63)); break; }
      case O.A_RSH + 1: { const a = R(d); const b = R(s); W(d, a >> (b & 63)); break; }
      case O.A_RSH + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a >> (b & 31))); break; }
      case O.A_RSH + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a >> (b & 31))); break; }
      case O.A_MOD + 0: { const a = R(d); const b = IMM64(p); W(d, b != 0 ? a % b : a); break; }
      case O.A_MOD + 1: { const a = R(d); const b = R(s); W(d, b != 0 ? a % b : a); break; }
      case O.A_MOD + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(b != 0 ? a % b : a)); break; }
      case O.A_MOD + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(b != 0 ? a % b : a)); break; }
      case O.A_XOR + 0: { const a = R(d); const b = IMM64(p); W(d, a ^ b); break; }
      case O.A_XOR + 1: { const a = R(d); const b = R(s); W(d, a ^ b); break; }
      case O.A_XOR + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a ^ b)); break; }
      case O.A_XOR + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a ^ b)); break; }
      case O.A_ARSH + 0: { const a = R(d); const b = IMM64(p); W(d, <u64>(<i64>a >> <i64>(b & 63))); break; }
      case O.A_ARSH + 1: { const a = R(d); const b = R(s); W(d, <u64>(<i64>a >> <i64>(b & 63))); break; }
      case O.A_ARSH + 2: { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(<u32>(<i32>a >> <i32>(b & 31)))); break; }
      case O.A_ARSH + 3: { const a = R32(d); const b = R32(s); W(d, <u64><u32>(<u32>(<i32>a >> <i32>(b & 31)))); break; }
      case O.A_SDIV + 0: { const a = <i64>R(d); const b = <i64>IMM64(p); W(d, b == 0 ? 0 : b == -1 ? <u64>(0 - a) : <u64>(a / b)); break; }
      case O.A_SMOD + 0: { const a = <i64>R(d); const b = <i64>IMM64(p); W(d, b == 0 ? <u64>a : b == -1 ? 0 : <u64>(a % b)); break; }
      case O.A_SDIV + 1: { const a = <i64>R(d); const b = <i64>R(s); W(d, b == 0 ? 0 : b == -1 ? <u64>(0 - a) : <u64>(a / b)); break; }
      case O.A_SMOD + 1: { const a = <i64>R(d); const b = <i64>R(s); W(d, b == 0 ? <u64>a : b == -1 ? 0 : <u64>(a % b)); break; }
      case O.A_SDIV + 2: { const a = <i32>R32(d); const b = <i32>IMM32(p); W(d, b == 0 ? 0 : b == -1 ? <u64><u32>(0 - a) : <u64><u32>(a / b)); break; }
      case O.A_SMOD + 2: { const a = <i32>R32(d); const b = <i32>IMM32(p); W(d, b == 0 ? <u64><u32>a : b == -1 ? 0 : <u64><u32>(a % b)); break; }
      case O.A_SDIV + 3: { const a = <i32>R32(d); const b = <i32>R32(s); W(d, b == 0 ? 0 : b == -1 ? <u64><u32>(0 - a) : <u64><u32>(a / b)); break; }
      case O.A_SMOD + 3: { const a = <i32>R32(d); const b = <i32>R32(s); W(d, b == 0 ? <u64><u32>a : b == -1 ? 0 : <u64><u32>(a % b)); break; }
      case O.A_NEG + 0: { W(d, 0 - R(d)); break; }
      case O.A_NEG + 2: { W(d, <u64>(<u32>0 - R32(d))); break; }
      case O.A_MOV + 0: { W(d, IMM64(p)); break; }
      case O.A_MOV + 1: { W(d, R(s)); break; }
      case O.A_MOV + 2: { W(d, <u64>IMM32(p)); break; }
      case O.A_MOV + 3: { W(d, <u64>R32(s)); break; }
      case O.J_EQ + 0: { if (R(d) == IMM64(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_EQ + 1: { if (R(d) == R(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_EQ + 2: { if (R32(d) == IMM32(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_EQ + 3: { if (R32(d) == R32(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_GT + 0: { if (R(d) > IMM64(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_GT + 1: { if (R(d) > R(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_GT + 2: { if (R32(d) > IMM32(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_GT + 3: { if (R32(d) > R32(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_GE + 0: { if (R(d) >= IMM64(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_GE + 1: { if (R(d) >= R(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_GE + 2: { if (R32(d) >= IMM32(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_GE + 3: { if (R32(d) >= R32(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SET + 0: { if ((R(d) & IMM64(p)) != 0) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SET + 1: { if ((R(d) & R(s)) != 0) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SET + 2: { if ((R32(d) & IMM32(p)) != 0) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SET + 3: { if ((R32(d) & R32(s)) != 0) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_NE + 0: { if (R(d) != IMM64(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_NE + 1: { if (R(d) != R(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_NE + 2: { if (R32(d) != IMM32(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_NE + 3: { if (R32(d) != R32(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SGT + 0: { if (<i64>R(d) > <i64>IMM64(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SGT + 1: { if (<i64>R(d) > <i64>R(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SGT + 2: { if (<i32>R32(d) > <i32>IMM32(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SGT + 3: { if (<i32>R32(d) > <i32>R32(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SGE + 0: { if (<i64>R(d) >= <i64>IMM64(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SGE + 1: { if (<i64>R(d) >= <i64>R(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SGE + 2: { if (<i32>R32(d) >= <i32>IMM32(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SGE + 3: { if (<i32>R32(d) >= <i32>R32(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_LT + 0: { if (R(d) < IMM64(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_LT + 1: { if (R(d) < R(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_LT + 2: { if (R32(d) < IMM32(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_LT + 3: { if (R32(d) < R32(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_LE + 0: { if (R(d) <= IMM64(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_LE + 1: { if (R(d) <= R(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_LE + 2: { if (R32(d) <= IMM32(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_LE + 3: { if (R32(d) <= R32(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SLT + 0: { if (<i64>R(d) < <i64>IMM64(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SLT + 1: { if (<i64>R(d) < <i64>R(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SLT + 2: { if (<i32>R32(d) < <i32>IMM32(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SLT + 3: { if (<i32>R32(d) < <i32>R32(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SLE + 0: { if (<i64>R(d) <= <i64>IMM64(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SLE + 1: { if (<i64>R(d) <= <i64>R(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SLE + 2: { if (<i32>R32(d) <= <i32>IMM32(p)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.J_SLE + 3: { if (<i32>R32(d) <= <i32>R32(s)) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); } break; }
      case O.LDXB: { W(d, <u64>load<u8>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case O.C_LDXB: { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 1, false)) { accessFault(pc - 1, a, n); return; } W(d, <u64>load<u8>(<usize>a)); break; }
      case O.LDXH: { W(d, <u64>load<u16>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case O.C_LDXH: { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 2, false)) { accessFault(pc - 1, a, n); return; } W(d, <u64>load<u16>(<usize>a)); break; }
      case O.LDXW: { W(d, <u64>load<u32>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case O.C_LDXW: { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 4, false)) { accessFault(pc - 1, a, n); return; } W(d, <u64>load<u32>(<usize>a)); break; }
      case O.LDXDW: { W(d, load<u64>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case O.C_LDXDW: { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 8, false)) { accessFault(pc - 1, a, n); return; } W(d, load<u64>(<usize>a)); break; }
      case O.LDXSB: { W(d, <u64><i64>load<i8>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case O.C_LDXSB: { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 1, false)) { accessFault(pc - 1, a, n); return; } W(d, <u64><i64>load<i8>(<usize>a)); break; }
      case O.LDXSH: { W(d, <u64><i64>load<i16>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case O.C_LDXSH: { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 2, false)) { accessFault(pc - 1, a, n); return; } W(d, <u64><i64>load<i16>(<usize>a)); break; }
      case O.LDXSW: { W(d, <u64><i64>load<i32>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case O.C_LDXSW: { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 4, false)) { accessFault(pc - 1, a, n); return; } W(d, <u64><i64>load<i32>(<usize>a)); break; }
      case O.STB: { store<u8>(<usize>(R32(d) + <u32>OFF(p)), <u8>IMM64(p)); break; }
      case O.C_STB: { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 1, true)) { accessFault(pc - 1, a, n); return; } store<u8>(<usize>a, <u8>IMM64(p)); break; }
      case O.STH: { store<u16>(<usize>(R32(d) + <u32>OFF(p)), <u16>IMM64(p)); break; }
      case O.C_STH: { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 2, true)) { accessFault(pc - 1, a, n); return; } store<u16>(<usize>a, <u16>IMM64(p)); break; }
      case O.STW: { store<u32>(<usize>(R32(d) + <u32>OFF(p)), <u32>IMM64(p)); break; }
      case O.C_STW: { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 4, true)) { accessFault(pc - 1, a, n); return; } store<u32>(<usize>a, <u32>IMM64(p)); break; }
      case O.STDW: { store<u64>(<usize>(R32(d) + <u32>OFF(p)), <u64>IMM64(p)); break; }
      case O.C_STDW: { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 8, true)) { accessFault(pc - 1, a, n); return; } store<u64>(<usize>a, <u64>IMM64(p)); break; }
      case O.STXB: { store<u8>(<usize>(R32(d) + <u32>OFF(p)), <u8>R(s)); break; }
      case O.C_STXB: { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 1, true)) { accessFault(pc - 1, a, n); return; } store<u8>(<usize>a, <u8>R(s)); break; }
      case O.STXH: { store<u16>(<usize>(R32(d) + <u32>OFF(p)), <u16>R(s)); break; }
      case O.C_STXH: { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 2, true)) { accessFault(pc - 1, a, n); return; } store<u16>(<usize>a, <u16>R(s)); break; }
      case O.STXW: { store<u32>(<usize>(R32(d) + <u32>OFF(p)), <u32>R(s)); break; }
      case O.C_STXW: { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 4, true)) { accessFault(pc - 1, a, n); return; } store<u32>(<usize>a, <u32>R(s)); break; }
      case O.STXDW: { store<u64>(<usize>(R32(d) + <u32>OFF(p)), <u64>R(s)); break; }
      case O.C_STXDW: { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 8, true)) { accessFault(pc - 1, a, n); return; } store<u64>(<usize>a, <u64>R(s)); break; }
      case O.MOVSX64_8: { W(d, <u64><i64><i8>R(s)); break; }
      case O.MOVSX64_16: { W(d, <u64><i64><i16>R(s)); break; }
      case O.MOVSX64_32: { W(d, <u64><i64><i32>R(s)); break; }
      case O.MOVSX32_8: { W(d, <u64><u32><i32><i8>R(s)); break; }
      case O.MOVSX32_16: { W(d, <u64><u32><i32><i16>R(s)); break; }
      case O.LE16: { W(d, R(d) & 0xffff); break; }
      case O.LE32: { W(d, R(d) & 0xffffffff); break; }
      case O.NOP: break;
      case O.BSWAP16: { W(d, <u64>bswap<u16>(<u16>R(d))); break; }
      case O.BSWAP32: { W(d, <u64>bswap<u32>(<u32>R(d))); break; }
      case O.BSWAP64: { W(d, bswap<u64>(R(d))); break; }
      case O.LDDW: { W(d, IMM64(p)); pc++; break; }
      case O.JA: { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); break; }
      case O.MAY_GOTO: {
        const slot = frameTop(gDepth);
        const c = load<u64>(slot);
        if (c == 0) { if (n >= limit) { budgetFault(pc - 1, n); return; } pc = TGT(p); }
        else store<u64>(slot, c - 1);
        break;
      }
      case O.CALL_LOCAL: {
        if (n >= limit) { budgetFault(pc - 1, n); return; }
        if (!pushFrame(pc, pc - 1)) { gInsns += n; return; }
        pc = TGT(p);
        break;
      }
      case O.EXIT: {
        const depth = gDepth;
        if (depth <= baseDepth) { gInsns += n; return; }
        const f = FRAMES + <usize>(depth - 1) * 48;
        pc = load<i32>(f);
        W(48, load<u64>(f, 8)); W(56, load<u64>(f, 16)); W(64, load<u64>(f, 24)); W(72, load<u64>(f, 32));
        setDepth(depth - 1);
        W(80, <u64>frameTop(depth - 1));
        break;
      }
      case O.CALL_HELPER: {
        gInsns += n; n = 0;
        const r = callHelperImpl(<u32>IMM64(p), <u32>(pc - 1), R(8), R(16), R(24), R(32), R(40));
        if (gFault != 0) return;
        W(0, r);
        limit = gBudget - gInsns;
        break;
      }
      case O.CALL_KFUNC: {
        gInsns += n; n = 0;
        const r = callKfuncImpl(<u32>IMM64(p), <u32>(pc - 1), R(8), R(16), R(24), R(32), R(40));
        if (gFault != 0) return;
        W(0, r);
        limit = gBudget - gInsns;
        break;
      }
      case O.CALLX: {
        const v = R(d);
        if (v >= FUNC_BASE) {
          const t = v - FUNC_BASE;
          if (t >= <u64>gSlots || load<u8>(code + (<usize>t << 4)) == O.LDDW_HI) { gInsns += n; setFault(FAULT_BAD_JUMP, <u32>(pc - 1), <u32>t, 0); return; }
          if (n >= limit) { budgetFault(pc - 1, n); return; }
          if (!pushFrame(pc, pc - 1)) { gInsns += n; return; }
          pc = <i32>t;
        } else {
          gInsns += n; n = 0;
          const r = callHelperImpl(<u32>min<u64>(v, 0xffffffff), <u32>(pc - 1), R(8), R(16), R(24), R(32), R(40));
          if (gFault != 0) return;
          W(0, r);
          limit = gBudget - gInsns;
        }
        break;
      }
      case O.ATOMIC: { if (!atomic(p, d, s, pc - 1)) { gInsns += n; return; } break; }
      case O.BAD_JUMP: { gInsns += n; setFault(FAULT_BAD_JUMP, <u32>(pc - 1), 0, 0); return; }
      case O.FELL_OFF: { gInsns += n - 1; setFault(FAULT_BAD_JUMP, <u32>(pc - 1), 0, 0); return; }
      default: { gInsns += n; setFault(FAULT_BAD_INSN, <u32>(pc - 1), 0, 0); return; }
    }
  }
}

/** The wasm engine's entry point: 0 ok, else a fault code. */
export function run(text: usize, slots: u32, pc: u32, r1: u64, checked: bool, budget: i64, r2: u64): u32 {
  clearFault();
  gInsns = 0;
  gR0 = 0;
  const code = decodeCached(text, slots, checked);
  if (code == 0) { setFault(FAULT_BAD_ACCESS, 0, <u32>text, 0); return gFault; }
  if (pc >= slots || load<u8>(code + (<usize>pc << 4)) == O.LDDW_HI) { setFault(FAULT_BAD_JUMP, pc, 0, 0); return gFault; }
  const savedCode = gCode, savedSlots = gSlots, savedChecked = gChecked, savedDepth = gDepth;
  gCode = code; gSlots = slots;
  setChecked(checked);
  memory.fill(REGS, 0, 128);
  W(8, r1); W(16, r2);
  setDepth(0);
  W(80, <u64>frameTop(0));
  store<u64>(frameTop(0), MAX_LOOPS);
  gBudget = budget <= 0 ? i64.MAX_VALUE : budget;
  setWasmRunning(gWasmRunning + 1);
  interp(code, <i32>pc, 0);
  setWasmRunning(gWasmRunning - 1);
  gR0 = R(0);
  if (gFault == 0 && checked && locksHeld() != 0) setFault(FAULT_LOCK, 0, 0, 0);
  gCode = savedCode; gSlots = savedSlots; setChecked(savedChecked); setDepth(savedDepth);
  return gFault;
}

/** Reset engine state after the host caught a trap in the middle of a run. */
export function abortRun(): void {
  setWasmRunning(0); setDepth(0); gNest = 0; gCode = 0; gSlots = 0;
}

/** Run the BPF function at `fn` (FUNC_BASE + pc or a plain pc) re-entrantly in the wasm engine. */
export function runCallback(fn: u64, r1: u64, r2: u64, r3: u64, r4: u64, r5: u64, callPc: u32): u64 {
  const pc = fn >= FUNC_BASE ? fn - FUNC_BASE : fn;
  if (pc >= <u64>gSlots || load<u8>(gCode + (<usize>pc << 4)) == O.LDDW_HI) { setFault(FAULT_BAD_JUMP, callPc, <u32>pc, 0); return 0; }
  if (gNest >= 16 || gDepth + 1 >= MAX_FRAMES) { setFault(FAULT_STACK, callPc, 0, 0); return 0; }
  const save = SAVES + <usize>gNest * 96;
  memory.copy(save, REGS, 88);
  gNest++;
  const depth = gDepth;
  setDepth(depth + 1);
  const top = frameTop(depth + 1);
  store<u64>(top, MAX_LOOPS);
  W(8, r1); W(16, r2); W(24, r3); W(32, r4); W(40, r5); W(80, <u64>top);
  interp(gCode, <i32>pc, depth + 1);
  const r0 = R(0);
  setDepth(depth);
  gNest--;
  memory.copy(REGS, save, 88);
  return r0;
}

export { FAULT_BAD_INSN };

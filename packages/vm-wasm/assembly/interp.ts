// The wasm engine: a switch interpreter over the pre-decoded program (decode.ts).
// Registers live at the fixed address REGS (r0..r10, 8 bytes each); dst/src are pre-multiplied by 8.

import * as O from './ops';
import {
  REGS, FRAMES, MAX_FRAMES, MAX_LOOPS, FUNC_BASE, frameTop, gDepth, setDepth, gFault, setFault, clearFault,
  gChecked, setChecked, gWasmRunning, setWasmRunning, FAULT_BUDGET, FAULT_BAD_ACCESS, FAULT_BAD_INSN, FAULT_BAD_JUMP,
  FAULT_STACK, FAULT_LOCK,
} from './state';
import { checkAccess64 } from './regions';
import { decodeCached } from './decode';
import { callHelperImpl } from './helpers';
import { callKfuncImpl, rbAddStart, corruptFault } from './kfuncs';
import { rbAddNext, rbAddResult, clearCorrupt } from './coll';
import { locksHeld } from './locks';

// @ts-ignore: decorator
@inline function R(d: usize): u64 { return load<u64>(d, REGS); }
// @ts-ignore: decorator
@inline function R32(d: usize): u32 { return load<u32>(d, REGS); }
// @ts-ignore: decorator
@inline function W(d: usize, v: u64): void { store<u64>(d, v, REGS); }
// @ts-ignore: decorator
@inline function IMM64(p: usize): u64 { return load<u64>(p, 8); }
// @ts-ignore: decorator
@inline function IMM32(p: usize): u32 { return load<u32>(p, 8); }
/** Slot index of the decoded instruction at `p`. */
// @ts-ignore: decorator
@inline function PC(code: usize, p: usize): i32 { return <i32>((p - code) >>> 4); }
// @ts-ignore: decorator
@inline function OFF(p: usize): i32 { return load<i32>(p, 4); }
// @ts-ignore: decorator
@inline function TGT(p: usize): usize { return <usize>load<u32>(p, 4); }

/** Budget of the current run and instructions executed so far (flushed from the loop's local counter). */
let gBudget: i64 = 0;
let gInsns: i64 = 0;
let gR0: u64 = 0;
/** Decoded code and slot count of the program the wasm engine runs. */
let gCode: usize = 0;
let gSlots: u32 = 0;
/** Nesting of re-entrant callbacks. */
let gNest: i32 = 0;
/** Slot of the last frame exit (names the instruction of a lock still held at program exit). */
let gExitPc: u32 = 0;
/** Instruction of the helper/kfunc call in progress (-1: none); names the instruction when a service traps. */
let gInCall: i32 = -1;
export function inCallPc(): i32 { return gInCall; }

export function lastR0(): u64 { return gR0; }
export function lastInsns(): i64 { return gInsns; }

function budgetFault(pc: i32, n: i64): void { gInsns += n; setFault(FAULT_BUDGET, <u32>pc, 0, 0); }
function accessFault(pc: i32, a: u64, n: i64): void { gInsns += n; setFault(FAULT_BAD_ACCESS, <u32>pc, <u32>a, 0); }

/** Enter a new frame at `target`; false (fault set) when the depth limit is hit. */
function pushFrame(ret: usize, pc: i32): bool {
  const depth = gDepth;
  if (depth + 1 >= MAX_FRAMES) { setFault(FAULT_STACK, <u32>pc, 0, 0); return false; }
  const f = FRAMES + <usize>depth * 48;
  store<u32>(f, <u32>ret);
  store<u64>(f, R(48), 8); store<u64>(f, R(56), 16); store<u64>(f, R(64), 24); store<u64>(f, R(72), 32);
  setDepth(depth + 1);
  const top = frameTop(depth + 1);
  W(80, <u64>top);
  store<u64>(top, MAX_LOOPS);
  return true;
}

// ---- bpf_rbtree_add run by the interpreter (RB_ADD): each `less` call is a frame of the same dispatch loop ----
// Cursor per frame depth (the frame executing the call; a `less` that adds to a tree uses the next one):
// [0, 32) @bpfkit/collections add cursor, 32 less entry (decoded address), 36 return address, 40 call pc,
// 44 gInCall of the caller.
const CURSOR_STRIDE: usize = 64;
const CURSORS: usize = memory.data(8 * 64, 16);
/** The decoded slot every `less` frame returns to. */
const CONT_SLOT: usize = memory.data<u8>([190, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16);

/** The add finished: r0 = its result (a corrupt tree faults). Address to continue at, 0 on a fault. */
function rbAddDone(c: usize): usize {
  gInCall = load<i32>(c, 44);
  if (corruptFault(load<u32>(c, 40), 12)) return 0;
  W(0, <u64><i64>rbAddResult(c));
  return <usize>load<u32>(c, 36);
}

/** Call less(node, cmp) in a new frame (entry decoded address at c+32). False on a fault (call depth). */
// @ts-ignore: decorator
@inline function rbLessEnter(c: usize, cmp: u32): bool {
  if (!pushFrame(CONT_SLOT, load<i32>(c, 40))) return false;
  W(8, <u64>load<u32>(c, 4)); W(16, <u64>cmp); W(24, 0); W(32, 0); W(40, 0);
  return true;
}

/**
 * The next less call of the same add: the frame record pushed for the first call still holds the return slot
 * and the caller's r6-r9 (EXIT only reads it, and only calls made at this depth write it), so re-entering
 * the frame is the depth, r10 and the may_goto counter.
 */
// @ts-ignore: decorator
@inline function rbLessAgain(c: usize, cmp: u32): void {
  const depth = gDepth + 1;
  setDepth(depth);
  const top = frameTop(depth);
  W(80, <u64>top);
  store<u64>(top, MAX_LOOPS);
  W(8, <u64>load<u32>(c, 4)); W(16, <u64>cmp); W(24, 0); W(32, 0); W(40, 0);
}

/** Entry of the `less` function value `fn` (decoded address), 0 with a BadJump fault when it is not one. */
function lessEntry(code: usize, fn: u64, callPc: i32): usize {
  const t = fn >= FUNC_BASE ? fn - FUNC_BASE : fn;
  if (t >= <u64>gSlots || load<u8>(code + (<usize>t << 4)) == O.LDDW_HI) { setFault(FAULT_BAD_JUMP, <u32>callPc, <u32>t, 0); return 0; }
  return code + (<usize>t << 4);
}

/** Condition of the decoded conditional jump at `j` (any J op and form), without branching on the operands. */
// @ts-ignore: decorator
@inline function jumpCond(j: usize): bool {
  const w = load<u32>(j);
  const rel = <i32>(w & 0xff) - O.J_BASE;
  const d = <usize>((w >>> 8) & 0xff), s = <usize>(w >>> 16);
  const form = rel & 3;
  const wide = form < 2;
  let a: u64, b: u64;
  if (wide) { a = R(d); b = (form & 1) != 0 ? R(s) : IMM64(j); }
  else { a = <u64>R32(d); b = <u64>((form & 1) != 0 ? R32(s) : IMM32(j)); }
  const sa: i64 = wide ? <i64>a : <i64><i32><u32>a;
  const sb: i64 = wide ? <i64>b : <i64><i32><u32>b;
  switch (rel >> 2) {
    case 0: return a == b;      // JEQ
    case 1: return a > b;       // JGT
    case 2: return a >= b;      // JGE
    case 3: return (a & b) != 0; // JSET
    case 4: return a != b;      // JNE
    case 5: return sa > sb;     // JSGT
    case 6: return sa >= sb;    // JSGE
    case 7: return a < b;       // JLT
    case 8: return a <= b;      // JLE
    case 9: return sa < sb;     // JSLT
    default: return sa <= sb;   // JSLE
  }
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
  // `next` is the address of the next decoded slot; jump targets are decoded as absolute addresses.
  let next = code + (<usize>pc0 << 4);
  let n: i64 = 0;
  let limit: i64 = gBudget - gInsns;
  while (true) {
    let p = next;
    let w = load<u32>(p);
    let d = <usize>((w >>> 8) & 0xff);
    let s = <usize>(w >>> 16);
    next = p + 16;
    n++;
    // Case labels are literal numbers equal to the ops.ts constants (named in the comments): binaryen turns
    // the br_if chain into ONE br_table only when every label is a plain constant.
    switch (<i32>(w & 0xff)) {
      case 160: /* FUSED_MOVX+A_ADD+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 1: /* A_ADD+0 */ { const a = R(d); const b = IMM64(p); W(d, a + b); break; }
      case 161: /* FUSED_MOVX+A_ADD+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 2: /* A_ADD+1 */ { const a = R(d); const b = R(s); W(d, a + b); break; }
      case 3: /* A_ADD+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a + b)); break; }
      case 4: /* A_ADD+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a + b)); break; }
      case 162: /* FUSED_MOVX+A_SUB+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 5: /* A_SUB+0 */ { const a = R(d); const b = IMM64(p); W(d, a - b); break; }
      case 163: /* FUSED_MOVX+A_SUB+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 6: /* A_SUB+1 */ { const a = R(d); const b = R(s); W(d, a - b); break; }
      case 7: /* A_SUB+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a - b)); break; }
      case 8: /* A_SUB+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a - b)); break; }
      case 164: /* FUSED_MOVX+A_MUL+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 9: /* A_MUL+0 */ { const a = R(d); const b = IMM64(p); W(d, a * b); break; }
      case 165: /* FUSED_MOVX+A_MUL+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 10: /* A_MUL+1 */ { const a = R(d); const b = R(s); W(d, a * b); break; }
      case 11: /* A_MUL+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a * b)); break; }
      case 12: /* A_MUL+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a * b)); break; }
      case 166: /* FUSED_MOVX+A_DIV+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 13: /* A_DIV+0 */ { const a = R(d); const b = IMM64(p); W(d, b != 0 ? a / b : 0); break; }
      case 167: /* FUSED_MOVX+A_DIV+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 14: /* A_DIV+1 */ { const a = R(d); const b = R(s); W(d, b != 0 ? a / b : 0); break; }
      case 15: /* A_DIV+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(b != 0 ? a / b : 0)); break; }
      case 16: /* A_DIV+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(b != 0 ? a / b : 0)); break; }
      case 168: /* FUSED_MOVX+A_SDIV+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 17: /* A_SDIV+0 */ { const a = <i64>R(d); const b = <i64>IMM64(p); W(d, b == 0 ? 0 : b == -1 ? <u64>(0 - a) : <u64>(a / b)); break; }
      case 169: /* FUSED_MOVX+A_SDIV+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 18: /* A_SDIV+1 */ { const a = <i64>R(d); const b = <i64>R(s); W(d, b == 0 ? 0 : b == -1 ? <u64>(0 - a) : <u64>(a / b)); break; }
      case 19: /* A_SDIV+2 */ { const a = <i32>R32(d); const b = <i32>IMM32(p); W(d, b == 0 ? 0 : b == -1 ? <u64><u32>(0 - a) : <u64><u32>(a / b)); break; }
      case 20: /* A_SDIV+3 */ { const a = <i32>R32(d); const b = <i32>R32(s); W(d, b == 0 ? 0 : b == -1 ? <u64><u32>(0 - a) : <u64><u32>(a / b)); break; }
      case 170: /* FUSED_MOVX+A_OR+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 21: /* A_OR+0 */ { const a = R(d); const b = IMM64(p); W(d, a | b); break; }
      case 171: /* FUSED_MOVX+A_OR+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 22: /* A_OR+1 */ { const a = R(d); const b = R(s); W(d, a | b); break; }
      case 23: /* A_OR+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a | b)); break; }
      case 24: /* A_OR+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a | b)); break; }
      case 172: /* FUSED_MOVX+A_AND+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 25: /* A_AND+0 */ { const a = R(d); const b = IMM64(p); W(d, a & b); break; }
      case 173: /* FUSED_MOVX+A_AND+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 26: /* A_AND+1 */ { const a = R(d); const b = R(s); W(d, a & b); break; }
      case 27: /* A_AND+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a & b)); break; }
      case 28: /* A_AND+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a & b)); break; }
      case 174: /* FUSED_MOVX+A_LSH+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 29: /* A_LSH+0 */ { const a = R(d); const b = IMM64(p); W(d, a << (b & 63)); break; }
      case 175: /* FUSED_MOVX+A_LSH+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 30: /* A_LSH+1 */ { const a = R(d); const b = R(s); W(d, a << (b & 63)); break; }
      case 31: /* A_LSH+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a << (b & 31))); break; }
      case 32: /* A_LSH+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a << (b & 31))); break; }
      case 176: /* FUSED_MOVX+A_RSH+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 33: /* A_RSH+0 */ { const a = R(d); const b = IMM64(p); W(d, a >> (b & 63)); break; }
      case 177: /* FUSED_MOVX+A_RSH+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 34: /* A_RSH+1 */ { const a = R(d); const b = R(s); W(d, a >> (b & 63)); break; }
      case 35: /* A_RSH+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a >> (b & 31))); break; }
      case 36: /* A_RSH+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a >> (b & 31))); break; }
      case 178: /* FUSED_MOVX+A_NEG+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 37: /* A_NEG+0 */ { W(d, 0 - R(d)); break; }
      case 179: /* FUSED_MOVX+A_NEG+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 38: /* A_NEG+1 */ case 40: /* A_NEG+3 */ { gInsns += n; setFault(FAULT_BAD_INSN, <u32>PC(code, p), 0, 0); return; }
      case 39: /* A_NEG+2 */ { W(d, <u64>(<u32>0 - R32(d))); break; }
      case 180: /* FUSED_MOVX+A_MOD+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 41: /* A_MOD+0 */ { const a = R(d); const b = IMM64(p); W(d, b != 0 ? a % b : a); break; }
      case 181: /* FUSED_MOVX+A_MOD+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 42: /* A_MOD+1 */ { const a = R(d); const b = R(s); W(d, b != 0 ? a % b : a); break; }
      case 43: /* A_MOD+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(b != 0 ? a % b : a)); break; }
      case 44: /* A_MOD+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(b != 0 ? a % b : a)); break; }
      case 182: /* FUSED_MOVX+A_SMOD+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 45: /* A_SMOD+0 */ { const a = <i64>R(d); const b = <i64>IMM64(p); W(d, b == 0 ? <u64>a : b == -1 ? 0 : <u64>(a % b)); break; }
      case 183: /* FUSED_MOVX+A_SMOD+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 46: /* A_SMOD+1 */ { const a = <i64>R(d); const b = <i64>R(s); W(d, b == 0 ? <u64>a : b == -1 ? 0 : <u64>(a % b)); break; }
      case 47: /* A_SMOD+2 */ { const a = <i32>R32(d); const b = <i32>IMM32(p); W(d, b == 0 ? <u64><u32>a : b == -1 ? 0 : <u64><u32>(a % b)); break; }
      case 48: /* A_SMOD+3 */ { const a = <i32>R32(d); const b = <i32>R32(s); W(d, b == 0 ? <u64><u32>a : b == -1 ? 0 : <u64><u32>(a % b)); break; }
      case 184: /* FUSED_MOVX+A_XOR+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 49: /* A_XOR+0 */ { const a = R(d); const b = IMM64(p); W(d, a ^ b); break; }
      case 185: /* FUSED_MOVX+A_XOR+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 50: /* A_XOR+1 */ { const a = R(d); const b = R(s); W(d, a ^ b); break; }
      case 51: /* A_XOR+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(a ^ b)); break; }
      case 52: /* A_XOR+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(a ^ b)); break; }
      case 186: /* FUSED_MOVX+A_MOV+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 53: /* A_MOV+0 */ { W(d, IMM64(p)); break; }
      case 187: /* FUSED_MOVX+A_MOV+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 54: /* A_MOV+1 */ { W(d, R(s)); break; }
      case 55: /* A_MOV+2 */ { W(d, <u64>IMM32(p)); break; }
      case 56: /* A_MOV+3 */ { W(d, <u64>R32(s)); break; }
      case 188: /* FUSED_MOVX+A_ARSH+0: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 57: /* A_ARSH+0 */ { const a = R(d); const b = IMM64(p); W(d, <u64>(<i64>a >> <i64>(b & 63))); break; }
      case 189: /* FUSED_MOVX+A_ARSH+1: r[d] = r[s], then the next slot without dispatch */ {
        W(d, R(s)); p = next; next += 16; w = load<u32>(p); d = <usize>((w >>> 8) & 0xff); s = <usize>(w >>> 16); n++;
      }
      case 58: /* A_ARSH+1 */ { const a = R(d); const b = R(s); W(d, <u64>(<i64>a >> <i64>(b & 63))); break; }
      case 59: /* A_ARSH+2 */ { const a = R32(d); const b = IMM32(p); W(d, <u64><u32>(<u32>(<i32>a >> <i32>(b & 31)))); break; }
      case 60: /* A_ARSH+3 */ { const a = R32(d); const b = R32(s); W(d, <u64><u32>(<u32>(<i32>a >> <i32>(b & 31)))); break; }
      case 61: /* MOVSX64_8 */ { W(d, <u64><i64><i8>R(s)); break; }
      case 62: /* MOVSX64_16 */ { W(d, <u64><i64><i16>R(s)); break; }
      case 63: /* MOVSX64_32 */ { W(d, <u64><i64><i32>R(s)); break; }
      case 64: /* MOVSX32_8 */ { W(d, <u64><u32><i32><i8>R(s)); break; }
      case 65: /* MOVSX32_16 */ { W(d, <u64><u32><i32><i16>R(s)); break; }
      case 66: /* LE16 */ { W(d, R(d) & 0xffff); break; }
      case 67: /* LE32 */ { W(d, R(d) & 0xffffffff); break; }
      case 68: /* NOP */ break;
      case 69: /* BSWAP16 */ { W(d, <u64>bswap<u16>(<u16>R(d))); break; }
      case 70: /* BSWAP32 */ { W(d, <u64>bswap<u32>(<u32>R(d))); break; }
      case 71: /* BSWAP64 */ { W(d, bswap<u64>(R(d))); break; }
      case 72: /* LDDW */ { W(d, IMM64(p)); next += 16; break; }
      case 73: /* J_EQ+0 */ { if (R(d) == IMM64(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 74: /* J_EQ+1 */ { if (R(d) == R(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 75: /* J_EQ+2 */ { if (R32(d) == IMM32(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 76: /* J_EQ+3 */ { if (R32(d) == R32(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 77: /* J_GT+0 */ { if (R(d) > IMM64(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 78: /* J_GT+1 */ { if (R(d) > R(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 79: /* J_GT+2 */ { if (R32(d) > IMM32(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 80: /* J_GT+3 */ { if (R32(d) > R32(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 81: /* J_GE+0 */ { if (R(d) >= IMM64(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 82: /* J_GE+1 */ { if (R(d) >= R(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 83: /* J_GE+2 */ { if (R32(d) >= IMM32(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 84: /* J_GE+3 */ { if (R32(d) >= R32(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 85: /* J_SET+0 */ { if ((R(d) & IMM64(p)) != 0) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 86: /* J_SET+1 */ { if ((R(d) & R(s)) != 0) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 87: /* J_SET+2 */ { if ((R32(d) & IMM32(p)) != 0) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 88: /* J_SET+3 */ { if ((R32(d) & R32(s)) != 0) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 89: /* J_NE+0 */ { if (R(d) != IMM64(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 90: /* J_NE+1 */ { if (R(d) != R(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 91: /* J_NE+2 */ { if (R32(d) != IMM32(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 92: /* J_NE+3 */ { if (R32(d) != R32(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 93: /* J_SGT+0 */ { if (<i64>R(d) > <i64>IMM64(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 94: /* J_SGT+1 */ { if (<i64>R(d) > <i64>R(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 95: /* J_SGT+2 */ { if (<i32>R32(d) > <i32>IMM32(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 96: /* J_SGT+3 */ { if (<i32>R32(d) > <i32>R32(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 97: /* J_SGE+0 */ { if (<i64>R(d) >= <i64>IMM64(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 98: /* J_SGE+1 */ { if (<i64>R(d) >= <i64>R(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 99: /* J_SGE+2 */ { if (<i32>R32(d) >= <i32>IMM32(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 100: /* J_SGE+3 */ { if (<i32>R32(d) >= <i32>R32(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 101: /* J_LT+0 */ { if (R(d) < IMM64(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 102: /* J_LT+1 */ { if (R(d) < R(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 103: /* J_LT+2 */ { if (R32(d) < IMM32(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 104: /* J_LT+3 */ { if (R32(d) < R32(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 105: /* J_LE+0 */ { if (R(d) <= IMM64(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 106: /* J_LE+1 */ { if (R(d) <= R(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 107: /* J_LE+2 */ { if (R32(d) <= IMM32(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 108: /* J_LE+3 */ { if (R32(d) <= R32(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 109: /* J_SLT+0 */ { if (<i64>R(d) < <i64>IMM64(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 110: /* J_SLT+1 */ { if (<i64>R(d) < <i64>R(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 111: /* J_SLT+2 */ { if (<i32>R32(d) < <i32>IMM32(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 112: /* J_SLT+3 */ { if (<i32>R32(d) < <i32>R32(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 113: /* J_SLE+0 */ { if (<i64>R(d) <= <i64>IMM64(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 114: /* J_SLE+1 */ { if (<i64>R(d) <= <i64>R(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 115: /* J_SLE+2 */ { if (<i32>R32(d) <= <i32>IMM32(p)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 116: /* J_SLE+3 */ { if (<i32>R32(d) <= <i32>R32(s)) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); } break; }
      case 117: /* JA */ { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); break; }
      case 118: /* CALL_HELPER */ {
        gInsns += n; n = 0;
        const savedCall = gInCall; gInCall = PC(code, p);
        const r = callHelperImpl(<u32>IMM64(p), <u32>PC(code, p), R(8), R(16), R(24), R(32), R(40));
        gInCall = savedCall;
        if (gFault != 0) return;
        W(0, r);
        limit = gBudget - gInsns;
        break;
      }
      case 119: /* CALL_LOCAL */ {
        if (n >= limit) { budgetFault(PC(code, p), n); return; }
        if (!pushFrame(next, PC(code, p))) { gInsns += n; return; }
        next = TGT(p);
        break;
      }
      case 120: /* CALL_KFUNC */ {
        gInsns += n; n = 0;
        const savedCall = gInCall; gInCall = PC(code, p);
        const r = callKfuncImpl(<u32>IMM64(p), <u32>PC(code, p), R(8), R(16), R(24), R(32), R(40));
        gInCall = savedCall;
        if (gFault != 0) return;
        W(0, r);
        limit = gBudget - gInsns;
        break;
      }
      case 191: /* SETCC */ // rD = K1; if cond goto +1; rD = K2 — 64-bit movs (191) or 32-bit movs (192)
      case 192: /* SETCC+1 */ {
        const wide = (w & 1) != 0; // 191 is odd
        const k1 = wide ? IMM64(p) : <u64>IMM32(p);
        W(d, k1);
        n++;
        const c = jumpCond(p + 16);
        if (c & (n >= limit)) { budgetFault(PC(code, p) + 1, n); return; } // the taken jump checks the budget
        W(d, select<u64>(k1, wide ? IMM64(p + 32) : <u64>IMM32(p + 32), c));
        n += <i64>(!c);
        next = p + 48;
        break;
      }
      case 159: /* RB_ADD */ { // bpf_rbtree_add_impl(root, node, less, meta, off)
        const pc = PC(code, p);
        const c = CURSORS + <usize>gDepth * CURSOR_STRIDE;
        store<u32>(c, <u32>next, 36); store<i32>(c, pc, 40); store<i32>(c, gInCall, 44);
        gInCall = pc;
        const cmp = rbAddStart(c, <u32>pc, R(8), R(16));
        if (gFault != 0) { gInsns += n; return; }
        if (cmp == 0) { const r = rbAddDone(c); if (r == 0) { gInsns += n; return; } next = r; break; }
        const entry = lessEntry(code, R(24), pc); // checked at the first call, as a callback would be
        if (entry == 0) { gInsns += n; return; }
        store<u32>(c, <u32>entry, 32);
        if (n >= limit) { budgetFault(pc, n); return; }
        if (!rbLessEnter(c, cmp)) { gInsns += n; return; }
        next = <usize>load<u32>(c, 32);
        break;
      }
      case 190: /* RB_ADD_CONT */ { // a `less` frame of RB_ADD returned (a pseudo-slot, not an instruction)
        n--;
        const c = CURSORS + <usize>gDepth * CURSOR_STRIDE;
        const cmp = rbAddNext(c, R(0) != 0);
        if (cmp == 0) { const r = rbAddDone(c); if (r == 0) { gInsns += n; return; } next = r; break; }
        // the budget is checked at every less call: a walk that never ends runs out of it
        if (n >= limit) { budgetFault(load<i32>(c, 40), n); return; }
        rbLessAgain(c, cmp); // the depth limit passed at the first call
        next = <usize>load<u32>(c, 32);
        break;
      }
      case 121: /* CALLX */ {
        const v = R(d);
        if (v >= FUNC_BASE) {
          const t = v - FUNC_BASE;
          if (t >= <u64>gSlots || load<u8>(code + (<usize>t << 4)) == O.LDDW_HI) { gInsns += n; setFault(FAULT_BAD_JUMP, <u32>PC(code, p), <u32>t, 0); return; }
          if (n >= limit) { budgetFault(PC(code, p), n); return; }
          if (!pushFrame(next, PC(code, p))) { gInsns += n; return; }
          next = code + (<usize>t << 4);
        } else {
          gInsns += n; n = 0;
          const savedCall = gInCall; gInCall = PC(code, p);
        const r = callHelperImpl(<u32>min<u64>(v, 0xffffffff), <u32>PC(code, p), R(8), R(16), R(24), R(32), R(40));
          gInCall = savedCall;
          if (gFault != 0) return;
          W(0, r);
          limit = gBudget - gInsns;
        }
        break;
      }
      case 122: /* EXIT */ {
        const depth = gDepth;
        if (depth <= baseDepth) { gInsns += n; gExitPc = <u32>PC(code, p); return; }
        const f = FRAMES + <usize>(depth - 1) * 48;
        next = <usize>load<u32>(f);
        W(48, load<u64>(f, 8)); W(56, load<u64>(f, 16)); W(64, load<u64>(f, 24)); W(72, load<u64>(f, 32));
        setDepth(depth - 1);
        W(80, <u64>frameTop(depth - 1));
        break;
      }
      case 123: /* MAY_GOTO */ {
        const slot = frameTop(gDepth);
        const c = load<u64>(slot);
        if (c == 0) { if (n >= limit) { budgetFault(PC(code, p), n); return; } next = TGT(p); }
        else store<u64>(slot, c - 1);
        break;
      }
      case 124: /* LDXB */ { W(d, <u64>load<u8>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case 125: /* LDXH */ { W(d, <u64>load<u16>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case 126: /* LDXW */ { W(d, <u64>load<u32>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case 127: /* LDXDW */ { W(d, load<u64>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case 128: /* LDXSB */ { W(d, <u64><i64>load<i8>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case 129: /* LDXSH */ { W(d, <u64><i64>load<i16>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case 130: /* LDXSW */ { W(d, <u64><i64>load<i32>(<usize>(R32(s) + <u32>OFF(p)))); break; }
      case 131: /* STB */ { store<u8>(<usize>(R32(d) + <u32>OFF(p)), <u8>IMM64(p)); break; }
      case 132: /* STH */ { store<u16>(<usize>(R32(d) + <u32>OFF(p)), <u16>IMM64(p)); break; }
      case 133: /* STW */ { store<u32>(<usize>(R32(d) + <u32>OFF(p)), <u32>IMM64(p)); break; }
      case 134: /* STDW */ { store<u64>(<usize>(R32(d) + <u32>OFF(p)), <u64>IMM64(p)); break; }
      case 135: /* STXB */ { store<u8>(<usize>(R32(d) + <u32>OFF(p)), <u8>R(s)); break; }
      case 136: /* STXH */ { store<u16>(<usize>(R32(d) + <u32>OFF(p)), <u16>R(s)); break; }
      case 137: /* STXW */ { store<u32>(<usize>(R32(d) + <u32>OFF(p)), <u32>R(s)); break; }
      case 138: /* STXDW */ { store<u64>(<usize>(R32(d) + <u32>OFF(p)), <u64>R(s)); break; }
      case 139: /* C_LDXB */ { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 1, false)) { accessFault(PC(code, p), a, n); return; } W(d, <u64>load<u8>(<usize>a)); break; }
      case 140: /* C_LDXH */ { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 2, false)) { accessFault(PC(code, p), a, n); return; } W(d, <u64>load<u16>(<usize>a)); break; }
      case 141: /* C_LDXW */ { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 4, false)) { accessFault(PC(code, p), a, n); return; } W(d, <u64>load<u32>(<usize>a)); break; }
      case 142: /* C_LDXDW */ { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 8, false)) { accessFault(PC(code, p), a, n); return; } W(d, load<u64>(<usize>a)); break; }
      case 143: /* C_LDXSB */ { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 1, false)) { accessFault(PC(code, p), a, n); return; } W(d, <u64><i64>load<i8>(<usize>a)); break; }
      case 144: /* C_LDXSH */ { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 2, false)) { accessFault(PC(code, p), a, n); return; } W(d, <u64><i64>load<i16>(<usize>a)); break; }
      case 145: /* C_LDXSW */ { const a = R(s) + <u64><i64>OFF(p); if (!checkAccess64(a, 4, false)) { accessFault(PC(code, p), a, n); return; } W(d, <u64><i64>load<i32>(<usize>a)); break; }
      case 146: /* C_STB */ { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 1, true)) { accessFault(PC(code, p), a, n); return; } store<u8>(<usize>a, <u8>IMM64(p)); break; }
      case 147: /* C_STH */ { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 2, true)) { accessFault(PC(code, p), a, n); return; } store<u16>(<usize>a, <u16>IMM64(p)); break; }
      case 148: /* C_STW */ { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 4, true)) { accessFault(PC(code, p), a, n); return; } store<u32>(<usize>a, <u32>IMM64(p)); break; }
      case 149: /* C_STDW */ { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 8, true)) { accessFault(PC(code, p), a, n); return; } store<u64>(<usize>a, <u64>IMM64(p)); break; }
      case 150: /* C_STXB */ { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 1, true)) { accessFault(PC(code, p), a, n); return; } store<u8>(<usize>a, <u8>R(s)); break; }
      case 151: /* C_STXH */ { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 2, true)) { accessFault(PC(code, p), a, n); return; } store<u16>(<usize>a, <u16>R(s)); break; }
      case 152: /* C_STXW */ { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 4, true)) { accessFault(PC(code, p), a, n); return; } store<u32>(<usize>a, <u32>R(s)); break; }
      case 153: /* C_STXDW */ { const a = R(d) + <u64><i64>OFF(p); if (!checkAccess64(a, 8, true)) { accessFault(PC(code, p), a, n); return; } store<u64>(<usize>a, <u64>R(s)); break; }
      case 154: /* ATOMIC */ { if (!atomic(p, d, s, PC(code, p))) { gInsns += n; return; } break; }
      case 156: /* BAD_JUMP */ { gInsns += n; setFault(FAULT_BAD_JUMP, <u32>PC(code, p), 0, 0); return; }
      case 157: /* FELL_OFF */ { gInsns += n - 1; setFault(FAULT_BAD_JUMP, <u32>PC(code, p), 0, 0); return; }
      default: { gInsns += n; setFault(FAULT_BAD_INSN, <u32>PC(code, p), 0, 0); return; }
    }
  }
}

/** The wasm engine's entry point: 0 ok, else a fault code. */
export function run(text: usize, slots: u32, pc: u32, r1: u64, checked: bool, budget: i64, r2: u64): u32 {
  clearFault();
  clearCorrupt();
  gInsns = 0;
  gR0 = 0;
  const code = decodeCached(text, slots, checked);
  if (code == 0) { setFault(FAULT_BAD_ACCESS, 0, <u32>text, 0); return gFault; }
  if (pc >= slots || load<u8>(code + (<usize>pc << 4)) == O.LDDW_HI) { setFault(FAULT_BAD_JUMP, pc, 0, 0); return gFault; }
  const savedCode = gCode, savedSlots = gSlots, savedChecked = gChecked, savedDepth = gDepth;
  gCode = code; gSlots = slots;
  setChecked(checked);
  for (let i: usize = 0; i < 128; i += 8) store<u64>(REGS + i, 0);
  W(8, r1); W(16, r2);
  setDepth(0);
  W(80, <u64>frameTop(0));
  store<u64>(frameTop(0), MAX_LOOPS);
  gBudget = budget <= 0 ? i64.MAX_VALUE : budget;
  setWasmRunning(gWasmRunning + 1);
  interp(code, <i32>pc, 0);
  setWasmRunning(gWasmRunning - 1);
  gR0 = R(0);
  if (gFault == 0 && checked && locksHeld() != 0) setFault(FAULT_LOCK, gExitPc, 0, 0);
  gCode = savedCode; gSlots = savedSlots; setChecked(savedChecked); setDepth(savedDepth);
  return gFault;
}

/** Reset engine state after the host caught a trap in the middle of a run. */
export function abortRun(): void {
  setWasmRunning(0); setDepth(0); gNest = 0; gCode = 0; gSlots = 0; gInCall = -1;
}

/** Run the BPF function at `fn` (FUNC_BASE + pc or a plain pc) re-entrantly in the wasm engine. */
// @ts-ignore: decorator
@inline export function runCallback(fn: u64, r1: u64, r2: u64, r3: u64, r4: u64, r5: u64, callPc: u32): u64 {
  const pc = fn >= FUNC_BASE ? fn - FUNC_BASE : fn;
  if (pc >= <u64>gSlots || load<u8>(gCode + (<usize>pc << 4)) == O.LDDW_HI) { setFault(FAULT_BAD_JUMP, callPc, <u32>pc, 0); return 0; }
  if (gNest >= 16 || gDepth + 1 >= MAX_FRAMES) { setFault(FAULT_STACK, callPc, 0, 0); return 0; }
  // the budget holds inside callbacks too (a straight-line callback has no taken jump that would check it)
  if (gInsns >= gBudget) { setFault(FAULT_BUDGET, callPc, 0, 0); return 0; }
  // r0..r5 are dead across the calling helper/kfunc (its arguments were read already); r6..r10 survive,
  // kept in locals (a save area in linear memory measured 3x slower: store-to-load stalls)
  const s6 = R(48), s7 = R(56), s8 = R(64), s9 = R(72), s10 = R(80);
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
  W(48, s6); W(56, s7); W(64, s8); W(72, s9); W(80, s10);
  return r0;
}

export { FAULT_BAD_INSN };

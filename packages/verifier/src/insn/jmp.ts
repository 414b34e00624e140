/**
 * Jumps (`check_cond_jmp_op`, verifier-core.md §8, §18.2): unconditional
 * jumps, may_goto, conditional jumps with static prediction, refinement of
 * both successors, null checks and packet range learning.
 */
import { checkInsn, Class, JmpOp, type Insn } from '@bpfkit/isa';
import { isBranchTaken, refineBranch, scalarConst, scalarAlu, tnumAdd } from '../scalar/index.js';
import type { Env } from '../env.js';
import { mayPointToSpinLock } from '../graph/records.js';
import { reject } from '../errors.js';
import { pushBranch } from '../explore.js';
import { forkMayGoto } from '../loops.js';
import { linkedKeys, markRegPrecise } from '../precision.js';
import { readReg } from '../operands.js';
import { copyReg, isPkt, scalarReg } from '../reg.js';
import { allRegs, curFrame } from '../state.js';
import { F, T, type RegState, type VState } from '../types.js';

export const AT_PKT_END = -1;
export const BEYOND_PKT_END = -2;

export function checkJa(env: Env, insn: Insn): void {
  const msg = checkInsn(insn);
  if (msg !== undefined) reject(env.insnIdx, 'EINVAL', msg);
  env.nextIdx = env.insnIdx + ((insn.code & 0x07) === Class.JMP32 ? insn.imm : insn.off) + 1;
}

/** may_goto: the exit edge (jump) first, the loop body queued one level deeper (§18.2). */
export function checkMayGoto(env: Env, insn: Insn): void {
  const msg = checkInsn(insn);
  if (msg !== undefined) reject(env.insnIdx, 'EINVAL', msg);
  forkMayGoto(env, insn);
}

const flip = (op: number): number => {
  switch (op) {
    case JmpOp.JGT: return JmpOp.JLT;
    case JmpOp.JGE: return JmpOp.JLE;
    case JmpOp.JLT: return JmpOp.JGT;
    case JmpOp.JLE: return JmpOp.JGE;
    case JmpOp.JSGT: return JmpOp.JSLT;
    case JmpOp.JSGE: return JmpOp.JSLE;
    case JmpOp.JSLT: return JmpOp.JSGT;
    case JmpOp.JSLE: return JmpOp.JSGE;
    default: return op;
  }
};

const isConstReg = (r: RegState, is32: boolean): boolean =>
  r.type === T.SCALAR && (is32 ? (r.s.varOff.mask & 0xffffffffn) === 0n : r.s.varOff.mask === 0n);

function regNotNull(r: RegState): boolean {
  if (r.flags & F.MAYBE_NULL) return false;
  switch (r.type) {
    case T.PTR_TO_SOCKET:
    case T.PTR_TO_TCP_SOCK:
    case T.PTR_TO_MAP_VALUE:
    case T.PTR_TO_MAP_KEY:
    case T.PTR_TO_SOCK_COMMON:
      return true;
    case T.PTR_TO_BTF_ID:
      return (r.flags & F.TRUSTED) !== 0 || (r.flags & F.MEM_ALLOC) !== 0;
    case T.PTR_TO_MEM:
      return (r.flags & F.UNTRUSTED) === 0;
    default:
      return false;
  }
}

function pktBranchTaken(dst: RegState, src: RegState, op: number): number {
  let pkt: RegState;
  if (src.type === T.PTR_TO_PACKET_END) pkt = dst;
  else if (dst.type === T.PTR_TO_PACKET_END) {
    pkt = src;
    op = flip(op);
  } else return -1;
  if (pkt.range >= 0) return -1;
  switch (op) {
    case JmpOp.JLE:
    case JmpOp.JGT:
      if (pkt.range === BEYOND_PKT_END) return op === JmpOp.JGT ? 1 : 0;
      break;
    case JmpOp.JLT:
    case JmpOp.JGE:
      if (pkt.range === BEYOND_PKT_END || pkt.range === AT_PKT_END) return op === JmpOp.JGE ? 1 : 0;
      break;
  }
  return -1;
}

function branchTaken(dst: RegState, src: RegState, op: number, is32: boolean, sameReg: boolean): number {
  if (isPkt(dst) || dst.type === T.PTR_TO_PACKET_END) {
    if ((isPkt(src) || src.type === T.PTR_TO_PACKET_END) && !is32) return pktBranchTaken(dst, src, op);
  }
  if (dst.type !== T.SCALAR || src.type !== T.SCALAR) {
    let r1 = dst;
    let r2 = src;
    if (!isConstReg(r2, is32)) {
      op = flip(op);
      [r1, r2] = [r2, r1];
    }
    if (!isConstReg(r2, is32)) return -1;
    if (!regNotNull(r1)) return -1;
    const v = is32 ? r2.s.varOff.value & 0xffffffffn : r2.s.varOff.value;
    if (v !== 0n) return -1;
    return op === JmpOp.JEQ ? 0 : op === JmpOp.JNE ? 1 : -1;
  }
  return isBranchTaken(op, is32, dst.s, src.s, sameReg);
}

/** Null check on `regno`'s id in `state`: NULL → constant 0, else the non-null type (§8.4). */
function markPtrOrNull(state: VState, regno: number, isNull: boolean, keepId: (r: RegState) => boolean): void {
  const reg = curFrame(state).regs[regno]!;
  const id = reg.id;
  const refId = reg.refObjId;
  if (refId && refId === id && isNull) {
    const k = state.refs.findIndex((r) => r.kind === 'ptr' && r.id === refId);
    if (k >= 0) state.refs.splice(k, 1);
  }
  if (!id) return;
  for (const r of allRegs(state)) {
    if (!(r.flags & F.MAYBE_NULL) || r.id !== id) continue;
    if (isNull) {
      const z = scalarReg(scalarConst(0n));
      Object.assign(r, z);
      continue;
    }
    markNotNull(r);
    if (!keepId(r)) r.id = 0;
  }
}

export function markNotNull(r: RegState): void {
  if (r.type === T.PTR_TO_MAP_VALUE && r.map) {
    const m = r.map;
    r.flags &= ~F.MAYBE_NULL;
    if (m.inner) {
      r.type = T.CONST_PTR_TO_MAP;
      r.map = m.inner;
    } else if (m.type === 17 /* XSKMAP */) r.type = T.PTR_TO_XDP_SOCK;
    else if (m.type === 15 /* SOCKMAP */ || m.type === 18 /* SOCKHASH */) r.type = T.PTR_TO_SOCKET;
    return;
  }
  r.flags &= ~F.MAYBE_NULL;
}

/** Packet range learning (`try_match_pkt_pointers`, §8.5); true when the comparison was one. */
function matchPktPointers(insn: Insn, dst: RegState, src: RegState, thisBranch: VState, otherBranch: VState): boolean {
  if ((insn.code & 0x08) === 0 || (insn.code & 0x07) === Class.JMP32) return false;
  // normalise to `A op E`
  let a: RegState | undefined;
  let op = insn.code & 0xf0;
  const isEnd = (r: RegState, other: RegState) =>
    (r.type === T.PTR_TO_PACKET_END && other.type === T.PTR_TO_PACKET) || (r.type === T.PTR_TO_PACKET && other.type === T.PTR_TO_PACKET_META && r.id === 0 && r.off === 0 && r.s.varOff.mask === 0n && r.s.varOff.value === 0n);
  if ((dst.type === T.PTR_TO_PACKET || dst.type === T.PTR_TO_PACKET_META) && isEnd(src, dst)) a = dst;
  else if ((src.type === T.PTR_TO_PACKET || src.type === T.PTR_TO_PACKET_META) && isEnd(dst, src)) {
    a = src;
    op = flip(op);
  }
  if (!a) return false;
  // the taken successor is otherBranch; the fall-through is thisBranch
  let taken: 'le' | 'lt' | 'gt' | 'ge';
  let fall: 'le' | 'lt' | 'gt' | 'ge';
  switch (op) {
    case JmpOp.JGT: taken = 'gt'; fall = 'le'; break;
    case JmpOp.JLT: taken = 'lt'; fall = 'ge'; break;
    case JmpOp.JGE: taken = 'ge'; fall = 'lt'; break;
    case JmpOp.JLE: taken = 'le'; fall = 'gt'; break;
    default: return false;
  }
  const aIsDst = a === dst;
  const regno = aIsDst ? insn.dst : insn.src;
  applyPkt(otherBranch, regno, taken);
  applyPkt(thisBranch, regno, fall);
  return true;
}

function applyPkt(state: VState, regno: number, rel: 'le' | 'lt' | 'gt' | 'ge'): void {
  const a = curFrame(state).regs[regno]!;
  if (rel === 'gt' || rel === 'ge') {
    if (a.type === T.PTR_TO_PACKET) a.range = rel === 'gt' ? BEYOND_PKT_END : AT_PKT_END;
    return;
  }
  // find_good_pkt_pointers
  if (a.off < 0 || (a.off === 0 && rel === 'lt')) return;
  if (a.s.umax > 0xffffn || a.s.umax + BigInt(a.off) > 0xffffn) return;
  const newRange = rel === 'lt' ? a.off + 1 : a.off;
  const type = a.type;
  const id = a.id;
  for (const r of allRegs(state)) if (r.type === type && r.id === id) r.range = Math.max(r.range, newRange);
}

/** Linked scalars (§6.6): every register sharing `known`'s id gets its bounds (plus its delta). */
function syncLinked(state: VState, known: RegState): void {
  if (!known.id) return;
  for (const r of allRegs(state)) {
    if (r === known || r.type !== T.SCALAR || r.id !== known.id) continue;
    if ((!r.addConst && !known.addConst) || r.off === known.off) {
      r.s = known.s;
      continue;
    }
    const delta = BigInt(r.off - known.off);
    const d = scalarConst(BigInt.asUintN(64, delta));
    r.s = { ...scalarAlu(0x0f /* ALU64 ADD X */, true, known.s, d), varOff: tnumAdd(known.s.varOff, d.varOff) };
  }
}

export function checkCondJmp(env: Env, insn: Insn): void {
  const idx = env.insnIdx;
  const is32 = (insn.code & 0x07) === Class.JMP32;
  const op = insn.code & 0xf0;
  const dst = readReg(env, insn.dst);
  let src: RegState;
  if (insn.code & 0x08) {
    if (insn.imm !== 0) reject(idx, 'EINVAL', 'BPF_JMP/JMP32 uses reserved fields');
    src = readReg(env, insn.src);
  } else {
    if (insn.src !== 0) reject(idx, 'EINVAL', 'BPF_JMP/JMP32 uses reserved fields');
    src = scalarReg(scalarConst(is32 ? BigInt(insn.imm >>> 0) : BigInt.asUintN(64, BigInt(insn.imm))));
  }
  const sameReg = (insn.code & 0x08) !== 0 && insn.src === insn.dst;
  const pred = branchTaken(dst, src, op, is32, sameReg);
  if (pred >= 0) {
    // the path taken depends on the operands' values: they must be exact in checkpoints
    if (dst.type === T.SCALAR) markRegPrecise(env, insn.dst);
    if (insn.code & 0x08 && src.type === T.SCALAR) markRegPrecise(env, insn.src);
  } else if (env.curHist) {
    const linked: number[] = [];
    if (insn.code & 0x08 && src.type === T.SCALAR && src.id) linked.push(...linkedKeys(env.cur, src.id));
    if (dst.type === T.SCALAR && dst.id) linked.push(...linkedKeys(env.cur, dst.id));
    if (linked.length > 1) env.curHist.linked = linked;
  }
  if (pred === 1) {
    env.nextIdx = idx + insn.off + 1;
    return;
  }
  if (pred === 0) return;

  const target = idx + insn.off + 1;
  pushBranch(env, target, env.cur);
  const other = env.pending[env.pending.length - 1]!.state;
  const thisRegs = curFrame(env.cur).regs;
  const otherRegs = curFrame(other).regs;
  const x = (insn.code & 0x08) !== 0;
  if (dst.type === T.SCALAR && src.type === T.SCALAR) {
    const fd = thisRegs[insn.dst]!;
    const od = otherRegs[insn.dst]!;
    const fs = x ? thisRegs[insn.src]! : src;
    const os = x ? otherRegs[insn.src]! : copyReg(src);
    const t = refineBranch(op, is32, od.s, os.s, true, sameReg);
    const f = refineBranch(op, is32, fd.s, fs.s, false, sameReg);
    od.s = t.dst;
    fd.s = f.dst;
    if (x) {
      os.s = t.src;
      fs.s = f.src;
      if (fs.id) {
        syncLinked(env.cur, fs);
        syncLinked(other, os);
      }
    }
    if (fd.id) {
      syncLinked(env.cur, fd);
      syncLinked(other, od);
    }
  }
  // pointer == pointer: a maybe-null one becomes non-null in the equal branch
  if (!is32 && x && dst.type !== T.SCALAR && src.type !== T.SCALAR && !!(src.flags & F.MAYBE_NULL) !== !!(dst.flags & F.MAYBE_NULL) &&
      src.type !== T.PTR_TO_BTF_ID && dst.type !== T.PTR_TO_BTF_ID) {
    const eq = op === JmpOp.JEQ ? otherRegs : op === JmpOp.JNE ? thisRegs : undefined;
    if (eq) markNotNull(src.flags & F.MAYBE_NULL ? eq[insn.src]! : eq[insn.dst]!);
  }
  if (!is32 && !x && insn.imm === 0 && (op === JmpOp.JEQ || op === JmpOp.JNE) && dst.flags & F.MAYBE_NULL) {
    const keepId = (r: RegState) => mayPointToSpinLock(env, r);
    markPtrOrNull(env.cur, insn.dst, op === JmpOp.JNE, keepId);
    markPtrOrNull(other, insn.dst, op === JmpOp.JEQ, keepId);
  } else if (x) {
    matchPktPointers(insn, dst, src, env.cur, other);
  }
}

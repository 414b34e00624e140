/**
 * Stack accesses (verifier-core.md §10): bounds, spills and fills, partial and
 * variable-offset reads and writes, `check_stack_range_initialized`, and the
 * frame's allocated depth.
 */
import { reject } from '../errors.js';
import { nextId, sourceLineAt, type Env } from '../env.js';
import { setReg } from '../operands.js';
import { constScalar, copyReg, isNull, notInit, unknownScalar } from '../reg.js';
import { fls64, tnumStr } from '../scalar/index.js';
import { curFrame, MAX_BPF_STACK, slotAt } from '../state.js';
import { markRegPrecise } from '../precision.js';
import {
  STACK_DYNPTR,
  STACK_INVALID,
  STACK_IRQ_FLAG,
  STACK_ITER,
  STACK_MISC,
  STACK_SPILL,
  STACK_ZERO,
  T,
  type Frame,
  type RegState,
  type StackSlot,
} from '../types.js';
import { BPF_MAX_VAR_OFF } from './region.js';

export type AccessKind = 'read' | 'write';

/** `verbose_linfo(env, insn, "; ")`: the source line before an error, when line info exists. */
export function sourceBeforeError(env: Env): void {
  const line = sourceLineAt(env, env.insnIdx);
  if (line && env.log.enabled) env.log.source(line.file, line.line, line.text);
}

/** The frame a stack pointer points into. */
export function frameOf(env: Env, reg: RegState): Frame {
  return env.cur.frames[reg.frameno] ?? curFrame(env.cur);
}

export const isSpilledReg = (sl: StackSlot | undefined): boolean => sl !== undefined && sl.bytes[7] === STACK_SPILL;
const spilledOf = (sl: StackSlot): RegState => sl.spilled ?? notInit();
const isSpilledScalar = (sl: StackSlot): boolean => isSpilledReg(sl) && sl.spilled?.type === T.SCALAR;

function isSlotSpecial(sl: StackSlot): boolean {
  const t = sl.bytes[7];
  return t === STACK_SPILL || t === STACK_DYNPTR || t === STACK_ITER || t === STACK_IRQ_FLAG;
}

/** `get_reg_width`. */
const regWidth = (r: RegState): number => fls64(r.s.umax);

/** `assign_scalar_id_before_mov`. */
export function assignScalarIdBeforeMov(env: Env, r: RegState): void {
  if (r.type !== T.SCALAR) return;
  if (r.addConst) {
    r.id = 0;
    r.off = 0;
    r.addConst = false;
  }
  if (!r.id && r.s.varOff.mask !== 0n) r.id = nextId(env);
}

function clearScalarId(r: RegState): void {
  r.id = 0;
  r.addConst = false;
  r.off = 0;
}

function constZero(): RegState {
  return constScalar(0n);
}

/** `grow_stack_state`: allocate up to `size` bytes and record the subprogram's depth. */
function growStack(env: Env, f: Frame, size: number): void {
  const rounded = (size + 7) & ~7;
  const n = rounded / 8;
  if (f.stack.length >= n) return;
  slotAt(f, n - 1);
  const sp = env.cfg.subprogs[f.subprog];
  if (sp && sp.stackDepth < rounded) sp.stackDepth = rounded;
}

/** `check_stack_access_within_bounds`; `off` is insn off + fixed off. Grows the frame. */
export function checkStackBounds(env: Env, regno: number, reg: RegState, off: number, size: number, kind: AccessKind): void {
  const extra = kind === 'read' ? ' read from' : ' write to';
  const f = frameOf(env, reg);
  const known = reg.s.varOff.mask === 0n;
  let minOff: bigint;
  let maxOff: bigint;
  if (known) {
    minOff = BigInt.asIntN(64, reg.s.varOff.value) + BigInt(off);
    maxOff = minOff + BigInt(size);
  } else {
    if (reg.s.smax >= BPF_MAX_VAR_OFF || reg.s.smin <= -BPF_MAX_VAR_OFF) {
      reject(env.insnIdx, 'EACCES', `invalid unbounded variable-offset${extra} stack R${regno}`);
    }
    minOff = reg.s.smin + BigInt(off);
    maxOff = reg.s.smax + BigInt(off) + BigInt(size);
  }
  // privileged: reads may go below the allocated part (allow_uninit_stack)
  const minValid = kind === 'write' || env.bpfCapable ? -MAX_BPF_STACK : -f.stack.length * 8;
  let errno: 'EACCES' | 'EINVAL' | 'EFAULT' | undefined;
  if (minOff < BigInt(minValid) || minOff > -1n) errno = 'EACCES';
  else if (maxOff > 0n) errno = 'EINVAL';
  else if (size < 0) errno = 'EFAULT';
  if (errno) {
    if (known) reject(env.insnIdx, errno, `invalid${extra} stack R${regno} off=${off} size=${size}`);
    reject(env.insnIdx, errno, `invalid variable-offset${extra} stack R${regno} var_off=${tnumStr(reg.s.varOff)} off=${off} size=${size}`);
  }
  growStack(env, f, Number(-minOff));
}

/** Writing over part of a dynptr destroys it (`destroy_if_dynptr_stack_slot`). */
function destroyIfDynptr(env: Env, f: Frame, spi: number): void {
  const sl = f.stack[spi];
  if (!sl || sl.bytes[0] !== STACK_DYNPTR) return;
  if (sl.spilled?.refObjId) reject(env.insnIdx, 'EINVAL', 'cannot overwrite referenced dynptr');
  const other = f.stack[spi + 1]?.bytes[0] === STACK_DYNPTR ? spi + 1 : spi - 1;
  for (const k of [spi, other]) {
    const s = f.stack[k];
    if (!s) continue;
    s.bytes.fill(STACK_INVALID);
    s.spilled = undefined;
    env.scratchSlots.add(k);
  }
}

function markStackSlotMisc(env: Env, bytes: Uint8Array, j: number): void {
  const t = bytes[j];
  if (t === STACK_ZERO) return;
  if (env.allowPtrLeaks && t === STACK_INVALID) return;
  bytes[j] = STACK_MISC;
}

/** `save_register_state`: a spill of `size` bytes (the slot's low-address bytes). */
function saveRegisterState(env: Env, sl: StackSlot, reg: RegState, size: number): void {
  sl.spilled = copyReg(reg);
  let i = 8;
  for (; i > 8 - size; i--) sl.bytes[i - 1] = STACK_SPILL;
  for (; i > 0; i--) markStackSlotMisc(env, sl.bytes, i - 1);
}

/** `mark_chain_precision` for the value register of a zero write (the register is in the current frame). */
function markPrecise(env: Env, regno: number): void {
  if (regno < 0) return;
  curFrame(env.cur).regs[regno]!.precise = true;
  markRegPrecise(env, regno);
}

/** Records a fixed-offset stack access in the instruction's history entry (spill/fill backtracking). */
function noteStackAccess(env: Env, f: Frame, spi: number): void {
  const h = env.curHist;
  if (!h) return;
  if (h.slotFrame !== undefined && (h.slotFrame !== f.frameno || h.spi !== spi)) h.varStack = f.frameno + 1;
  h.slotFrame = f.frameno;
  h.spi = spi;
}

export interface StackWriteValue {
  /** Register holding the stored value, or -1 (ST immediate, helper writes). */
  regno: number;
  /** The instruction is `ST` with this immediate. */
  stImm?: number;
}

/** `check_stack_write_fixed_off`: `off` is the full constant offset from the frame's fp. */
function stackWriteFixed(env: Env, f: Frame, off: number, size: number, v: StackWriteValue): void {
  const slot = -off - 1;
  const spi = slot >> 3;
  noteStackAccess(env, f, spi);
  const sl = slotAt(f, spi);
  if (!env.allowPtrLeaks && isSpilledReg(sl) && !isSpilledScalar(sl) && size !== 8) {
    reject(env.insnIdx, 'EACCES', 'attempt to corrupt spilled pointer on stack');
  }
  const cur = curFrame(env.cur);
  const reg = v.regno >= 0 ? cur.regs[v.regno]! : undefined;
  destroyIfDynptr(env, f, spi);
  env.scratchSlots.add(spi);
  const aligned = off % 8 === 0;
  if (reg && aligned && reg.type === T.SCALAR && env.bpfCapable) {
    const fits = regWidth(reg) <= 8 * size;
    if (fits) assignScalarIdBeforeMov(env, reg);
    saveRegisterState(env, sl, reg, size);
    if (!fits) clearScalarId(sl.spilled!);
  } else if (!reg && aligned && v.stImm !== undefined && env.bpfCapable) {
    saveRegisterState(env, sl, constScalar(BigInt(v.stImm)), size);
  } else if (reg && reg.type !== T.SCALAR && reg.type !== T.NOT_INIT) {
    if (size !== 8) {
      sourceBeforeError(env);
      reject(env.insnIdx, 'EACCES', 'invalid size of register spill');
    }
    if (f !== cur && reg.type === T.PTR_TO_STACK) {
      reject(env.insnIdx, 'EINVAL', 'cannot spill pointers to stack into stack frame of the caller');
    }
    saveRegisterState(env, sl, reg, size);
  } else {
    sl.spilled = undefined;
    if (isSlotSpecial(sl)) for (let i = 0; i < 8; i++) if (sl.bytes[i] !== STACK_INVALID) sl.bytes[i] = STACK_MISC;
    let type = STACK_MISC;
    // 6.18 no longer marks the zero register precise here (its log prints `R1=0` after such a store)
    if ((reg && isNull(reg)) || (!reg && v.stImm === 0)) type = STACK_ZERO;
    for (let i = 0; i < size; i++) sl.bytes[(slot - i) % 8] = type;
  }
}

/** `check_stack_write_var_off`. */
function stackWriteVar(env: Env, f: Frame, ptr: RegState, off: number, size: number, v: StackWriteValue): void {
  if (env.curHist) env.curHist.varStack = f.frameno + 1;
  const minOff = Number(ptr.s.smin) + off;
  const maxOff = Number(ptr.s.smax) + off + size;
  const cur = curFrame(env.cur);
  const valueReg = v.regno >= 0 ? cur.regs[v.regno]! : undefined;
  const writingZero = (valueReg !== undefined && isNull(valueReg)) || (!valueReg && v.stImm === 0);
  let zeroUsed = false;
  for (let i = minOff; i < maxOff; i++) destroyIfDynptr(env, f, (-i - 1) >> 3);
  for (let i = minOff; i < maxOff; i++) {
    const slot = -i - 1;
    const spi = slot >> 3;
    const sl = slotAt(f, spi);
    const j = slot % 8;
    env.scratchSlots.add(spi);
    const t = sl.bytes[j]!;
    if (!env.allowPtrLeaks && t !== STACK_MISC && t !== STACK_ZERO) {
      reject(env.insnIdx, 'EINVAL', `spilled ptr in range of var-offset stack write; insn ${env.insnIdx}, ptr off: ${i}`);
    }
    if (writingZero && t === STACK_SPILL && isSpilledScalar(sl)) {
      const s = sl.spilled!;
      if (s.s.varOff.mask === 0n && s.s.varOff.value === 0n) {
        zeroUsed = true;
        continue;
      }
    }
    sl.spilled = undefined;
    let nt = STACK_MISC;
    if (writingZero && t === STACK_ZERO) {
      nt = STACK_ZERO;
      zeroUsed = true;
    }
    if (t === STACK_INVALID && !env.bpfCapable) {
      reject(env.insnIdx, 'EINVAL', `uninit stack in range of var-offset write prohibited for !root; insn ${env.insnIdx}, off: ${i}`);
    }
    sl.bytes[j] = nt;
  }
  if (zeroUsed) markPrecise(env, v.regno);
}

/** `check_stack_write`: `off` = insn off + fixed off of `ptr` (bounds already checked). */
export function checkStackWrite(env: Env, ptr: RegState, off: number, size: number, v: StackWriteValue): void {
  const f = frameOf(env, ptr);
  if (ptr.s.varOff.mask === 0n) stackWriteFixed(env, f, off + Number(BigInt.asIntN(64, ptr.s.varOff.value)), size, v);
  else stackWriteVar(env, f, ptr, off, size, v);
}

/** `mark_reg_stack_read`: constant 0 when every byte is `STACK_ZERO`, else unknown. */
function markRegStackRead(env: Env, f: Frame, minOff: number, maxOff: number, dst: number): void {
  let zeros = 0;
  for (let i = minOff; i < maxOff; i++) {
    const slot = -i - 1;
    const spi = slot >> 3;
    env.scratchSlots.add(spi);
    if (f.stack[spi]?.bytes[slot % 8] !== STACK_ZERO) break;
    zeros++;
  }
  setReg(env, dst, zeros === maxOff - minOff ? constZero() : unknownScalar());
}

const readErr = (env: Env, off: number, i: number, size: number): never =>
  reject(env.insnIdx, 'EACCES', `invalid read from stack off ${off}+${i} size ${size}`);

/** `check_stack_read_fixed_off`. */
function stackReadFixed(env: Env, f: Frame, off: number, size: number, dst: number): void {
  const slot = -off - 1;
  const spi = slot >> 3;
  noteStackAccess(env, f, spi);
  const sl = slotAt(f, spi);
  const st = sl.bytes;
  env.scratchSlots.add(spi);
  if (isSpilledReg(sl)) {
    let spillSize = 1;
    for (let i = 7; i > 0 && st[i - 1] === STACK_SPILL; i--) spillSize++;
    const reg = spilledOf(sl);
    if (size !== 8 || spillSize !== 8) {
      if (reg.type !== T.SCALAR) {
        sourceBeforeError(env);
        reject(env.insnIdx, 'EACCES', 'invalid size of register fill');
      }
      if (dst < 0) return;
      if (size <= spillSize && off % 8 === 0) {
        if (env.bpfCapable && size === 4 && spillSize === 4 && regWidth(reg) <= 32) assignScalarIdBeforeMov(env, reg);
        const r = copyReg(reg);
        if (regWidth(reg) > size * 8) clearScalarId(r);
        setReg(env, dst, r);
      } else {
        let spillCnt = 0;
        let zeroCnt = 0;
        for (let i = 0; i < size; i++) {
          const t = st[(slot - i) % 8];
          if (t === STACK_SPILL) spillCnt++;
          else if (t === STACK_MISC) continue;
          else if (t === STACK_ZERO) zeroCnt++;
          else if (t === STACK_INVALID && env.bpfCapable) continue;
          else readErr(env, off, i, size);
        }
        if (spillCnt === size && reg.s.varOff.mask === 0n && reg.s.varOff.value === 0n) setReg(env, dst, constZero());
        else if (zeroCnt === size) setReg(env, dst, constZero());
        else setReg(env, dst, unknownScalar());
      }
    } else if (dst >= 0) {
      if (env.bpfCapable) assignScalarIdBeforeMov(env, reg);
      setReg(env, dst, copyReg(reg));
    } else if (!env.allowPtrLeaks && reg.type !== T.SCALAR) {
      reject(env.insnIdx, 'EACCES', `leaking pointer from stack off ${off}`);
    }
    return;
  }
  for (let i = 0; i < size; i++) {
    const t = st[(slot - i) % 8];
    if (t === STACK_MISC || t === STACK_ZERO) continue;
    if (t === STACK_INVALID && env.bpfCapable) continue;
    readErr(env, off, i, size);
  }
  if (dst >= 0) markRegStackRead(env, f, off, off + size, dst);
}

/**
 * `check_stack_range_initialized`: every byte of the access must be readable
 * (§10.5, §11.3). `write` (a helper writing) clobbers zeros and spills.
 * `raw`: uninitialised memory a helper fills (constant offset only): nothing
 * to check; returns true so the caller marks the bytes after the call.
 */
export function checkStackRangeInitialized(
  env: Env,
  regno: number,
  reg: RegState,
  off: number,
  size: number,
  zeroOk: boolean,
  write: boolean,
  raw: boolean,
): boolean {
  if (size === 0 && !zeroOk) reject(env.insnIdx, 'EACCES', 'invalid zero-sized read');
  checkStackBounds(env, regno, reg, off, size, write ? 'write' : 'read');
  const f = frameOf(env, reg);
  const known = reg.s.varOff.mask === 0n;
  let minOff: number;
  let maxOff: number;
  if (known) {
    minOff = maxOff = Number(BigInt.asIntN(64, reg.s.varOff.value)) + off;
  } else {
    if (!env.bpfCapable) {
      reject(env.insnIdx, 'EACCES', `R${regno} variable offset stack access prohibited for !root, var_off=${tnumStr(reg.s.varOff)}`);
    }
    raw = false;
    minOff = Number(reg.s.smin) + off;
    maxOff = Number(reg.s.smax) + off;
  }
  if (raw) {
    for (let i = minOff; i < maxOff + size; i++) {
      const slot = -i - 1;
      if (f.stack.length * 8 <= slot) continue;
      if (f.stack[slot >> 3]!.bytes[slot % 8] === STACK_DYNPTR) {
        reject(env.insnIdx, 'EACCES', `potential write to dynptr at off=${i} disallowed`);
      }
    }
    return true;
  }
  for (let i = minOff; i < maxOff + size; i++) {
    const slot = -i - 1;
    const spi = slot >> 3;
    if (f.stack.length * 8 <= slot) reject(env.insnIdx, 'EFAULT', 'allocated_stack too small');
    const sl = f.stack[spi]!;
    const j = slot % 8;
    const t = sl.bytes[j];
    if (t === STACK_MISC) continue;
    if (t === STACK_ZERO || (t === STACK_INVALID && env.bpfCapable)) {
      if (write) sl.bytes[j] = STACK_MISC;
      continue;
    }
    if (isSpilledReg(sl) && (sl.spilled?.type === T.SCALAR || env.allowPtrLeaks)) {
      if (write) {
        sl.spilled = undefined;
        for (let k = 0; k < 8; k++) if (sl.bytes[k] !== STACK_INVALID) sl.bytes[k] = STACK_MISC;
        env.scratchSlots.add(spi);
      }
      continue;
    }
    const ind = write ? ' indirect' : '';
    if (known) reject(env.insnIdx, 'EACCES', `invalid${ind} read from stack R${regno} off ${minOff}+${i - minOff} size ${size}`);
    reject(env.insnIdx, 'EACCES', `invalid${ind} read from stack R${regno} var_off ${tnumStr(reg.s.varOff)}+${i - minOff} size ${size}`);
  }
  return false;
}

/** `check_stack_read`: `off` = insn off + fixed off of `ptr` (bounds already checked). `dst` -1: no register receives it. */
export function checkStackRead(env: Env, regno: number, ptr: RegState, off: number, size: number, dst: number): void {
  const f = frameOf(env, ptr);
  const varOff = ptr.s.varOff.mask !== 0n;
  if (dst < 0 && varOff) {
    reject(
      env.insnIdx,
      'EACCES',
      `variable offset stack pointer cannot be passed into helper function; var_off=${tnumStr(ptr.s.varOff)} off=${off} size=${size}`,
    );
  }
  if (!varOff) {
    stackReadFixed(env, f, off + Number(BigInt.asIntN(64, ptr.s.varOff.value)), size, dst);
    return;
  }
  checkStackRangeInitialized(env, regno, ptr, off, size, false, false, false);
  const minOff = Number(ptr.s.smin) + off;
  const maxOff = Number(ptr.s.smax) + off;
  markRegStackRead(env, f, minOff, maxOff + size, dst);
}

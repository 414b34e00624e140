/**
 * Helper argument checking (`check_func_arg`, verifier-core.md §11.2), one
 * register at a time, in the kernel's order: readable → ARG_ANYTHING → packet
 * access → NULL shortcut → type → offsets → release/ref bookkeeping → kind rules.
 */
import { compatibleRegTypes, hasFlag, type ArgSpec } from '@bpfkit/platform';
import { BPF_KPTR_PERCPU, BPF_KPTR_REF } from '@bpfkit/btf';
import type { Env } from '../env.js';
import { kptrMatchType } from '../graph/access.js';
import { reject } from '../errors.js';
import { checkHelperMemAccess } from './helper-mem.js';
import { readReg } from '../operands.js';
import { isNull, isPkt } from '../reg.js';
import { F, STACK_SPILL, STACK_ZERO, T, type RegState } from '../types.js';
import { checkFuncArgRegOff, matchTypeName, regTypeStr } from './common.js';
import type { CallMeta } from './meta.js';
import { processKptrXchgDest, processSpinLock } from './locks.js';
import { markRegPrecise, markSlotPrecise } from '../precision.js';

const BPF_MAX_VAR_SIZ = 1n << 29n;
const MAP_TYPE_ARRAY = 2;
const MAP_TYPE_PERCPU_ARRAY = 6;

/** `check_reg_type`: the register's type (with the argument's flags folded) must be in the compatible set. */
function checkRegType(env: Env, regno: number, r: RegState, arg: ArgSpec, fnId: number): void {
  const types = compatibleRegTypes(arg.kind);
  let fold = 0;
  if (hasFlag(arg, 'MEM_RDONLY')) fold |= F.RDONLY;
  if (hasFlag(arg, 'PTR_MAYBE_NULL')) fold |= F.MAYBE_NULL;
  // allocated objects are accepted by the spin lock helpers and as bpf_kptr_xchg's source (also per-CPU ones)
  if (r.flags & F.MEM_ALLOC && arg.kind === 'ARG_PTR_TO_SPIN_LOCK') fold |= F.MEM_ALLOC;
  if (r.flags & F.MEM_ALLOC && fnId === 194 && regno === 2) fold |= F.MEM_ALLOC | F.PERCPU;
  const name = matchTypeName(r, fold);
  // MEM_ALLOC does not print, but an allocated object only matches where it was folded above
  if (types.includes(name) && !(r.flags & F.MEM_ALLOC & ~fold)) return;
  // `ptr_` entries accept any BTF object (untrusted/trusted flags are matched by the table's spelling)
  reject(env.insnIdx, 'EACCES', `R${regno} type=${regTypeStr(env, r)} expected=${types.join(', ')}`);
}

/** `get_constant_map_key` (§9.3): the constant key of an array lookup, or -1. */
function constantMapKey(env: Env, key: RegState, keySize: number): bigint {
  if (key.type !== T.PTR_TO_STACK || key.s.varOff.mask !== 0n) return -1n;
  const frame = env.cur.frames[key.frameno];
  if (!frame) return -1n;
  const stackOff = key.off + Number(BigInt.asIntN(64, key.s.varOff.value));
  const slot = -stackOff - 1;
  if (slot < 0) return -1n;
  const spi = Math.floor(slot / 8);
  const off = slot % 8;
  const sl = frame.stack[spi];
  if (!sl) return -1n;
  let zero = 0;
  for (let i = off; i >= 0 && sl.bytes[i] === STACK_ZERO; i--) zero++;
  if (zero >= keySize) return 0n;
  if (sl.bytes[7] !== STACK_SPILL || !sl.spilled || sl.spilled.type !== T.SCALAR) return -1n;
  let spill = 0;
  for (let i = off; i >= 0 && sl.bytes[i] === STACK_SPILL; i--) spill++;
  if (spill !== keySize) return -1n;
  const v = sl.spilled;
  if (v.s.varOff.mask !== 0n) return -1n;
  v.precise = true;
  markSlotPrecise(env, key.frameno, spi);
  return v.s.varOff.value;
}

/** `check_mem_size_reg` for the size argument `regno` describing the memory in `regno - 1`. */
function checkMemSizeReg(env: Env, regno: number, r: RegState, meta: CallMeta, memArg: ArgSpec | undefined, zeroOk: boolean): void {
  meta.msizeMaxValue = r.s.umax;
  const constSize = r.s.varOff.mask === 0n;
  if (r.s.smin < 0n) reject(env.insnIdx, 'EACCES', `R${regno} min value is negative, either use unsigned or 'var &= const'`);
  if (r.s.umin === 0n && !zeroOk) {
    reject(env.insnIdx, 'EACCES', `R${regno} invalid zero-sized read: u64=[${BigInt.asIntN(64, r.s.umin)},${BigInt.asIntN(64, r.s.umax)}]`);
  }
  if (r.s.umax >= BPF_MAX_VAR_SIZ) reject(env.insnIdx, 'EACCES', `R${regno} unbounded memory access, use 'var &= const' or 'if (var < const)'`);
  const write = memArg ? hasFlag(memArg, 'MEM_WRITE') : false;
  const raw = constSize && memArg !== undefined && hasFlag(memArg, 'MEM_UNINIT');
  checkHelperMemAccess(env, regno - 1, Number(r.s.umax), { write, zeroSizeAllowed: zeroOk, raw });
  r.precise = true;
  markRegPrecise(env, regno);
}

/** Checks argument `i` (0-based; register i+1) of a helper call. */
export function checkFuncArg(env: Env, i: number, meta: CallMeta): void {
  const fn = meta.fn;
  const arg = fn.args[i];
  if (!arg || arg.kind === 'ARG_DONTCARE') return;
  const regno = i + 1;
  const r = readReg(env, regno);
  if (arg.kind === 'ARG_ANYTHING') return; // root may pass pointers as scalars
  if (isPkt(r) && !fn.pktAccess) reject(env.insnIdx, 'EACCES', 'helper access to the packet is not allowed');
  const mayBeNull = hasFlag(arg, 'PTR_MAYBE_NULL');
  const release = hasFlag(arg, 'OBJ_RELEASE');
  if (!(isNull(r) && mayBeNull)) {
    checkRegType(env, regno, r, arg, fn.id);
    if (fn.id === 194 && regno === 2 && r.type === T.PTR_TO_BTF_ID && r.flags & F.MEM_ALLOC && r.flags & F.MAYBE_NULL) {
      reject(env.insnIdx, 'EFAULT', 'verifier bug: invalid PTR_TO_BTF_ID register for type match');
    }
    if (fn.id === 194 && regno === 2 && r.type === T.PTR_TO_BTF_ID) {
      kptrMatchType(env, { type: meta.kptrPercpu ? BPF_KPTR_PERCPU : BPF_KPTR_REF, kptrBtfId: meta.kptrBtfId, local: meta.kptrLocal }, r, regno);
    }
    checkFuncArgRegOff(env, r, regno, release);
  }
  if (release) {
    if (!r.refObjId && !isNull(r)) reject(env.insnIdx, 'EINVAL', `R${regno} must be referenced when passed to release function`);
    meta.releaseRegno = regno;
  }
  if (r.refObjId && arg.kind !== 'ARG_KPTR_XCHG_DEST') {
    if (meta.refObjId) reject(env.insnIdx, 'EFAULT', `more than one arg with ref_obj_id R${regno} ${r.refObjId} ${meta.refObjId}`);
    meta.refObjId = r.refObjId;
  }
  switch (arg.kind) {
    case 'ARG_CONST_MAP_PTR':
      meta.map = r.map;
      return;
    case 'ARG_PTR_TO_MAP_KEY': {
      const map = meta.map;
      if (!map) reject(env.insnIdx, 'EACCES', 'invalid map_ptr to access map->key');
      checkHelperMemAccess(env, regno, map.keySize, { write: false, zeroSizeAllowed: false, raw: false });
      if (env.bpfCapable && (map.type === MAP_TYPE_ARRAY || map.type === MAP_TYPE_PERCPU_ARRAY)) {
        meta.constMapKey = constantMapKey(env, r, map.keySize);
      }
      return;
    }
    case 'ARG_PTR_TO_MAP_VALUE': {
      if (mayBeNull && isNull(r)) return;
      const map = meta.map;
      if (!map) reject(env.insnIdx, 'EACCES', 'invalid map_ptr to access map->value');
      checkHelperMemAccess(env, regno, map.valueSize, { write: hasFlag(arg, 'MEM_WRITE'), zeroSizeAllowed: false, raw: hasFlag(arg, 'MEM_UNINIT') });
      return;
    }
    case 'ARG_PTR_TO_SPIN_LOCK':
      processSpinLock(env, regno, r, fn.id === 93);
      return;
    case 'ARG_KPTR_XCHG_DEST':
      processKptrXchgDest(env, regno, r, meta);
      return;
    case 'ARG_PTR_TO_FUNC':
      meta.subprogno = r.subprog;
      return;
    case 'ARG_PTR_TO_MEM':
      if (hasFlag(arg, 'MEM_FIXED_SIZE') && arg.size !== undefined) {
        if (mayBeNull && isNull(r)) return;
        checkHelperMemAccess(env, regno, arg.size, { write: hasFlag(arg, 'MEM_WRITE'), zeroSizeAllowed: false, raw: hasFlag(arg, 'MEM_UNINIT') });
      }
      return;
    case 'ARG_CONST_SIZE':
    case 'ARG_CONST_SIZE_OR_ZERO':
      checkMemSizeReg(env, regno, r, meta, fn.args[i - 1], arg.kind === 'ARG_CONST_SIZE_OR_ZERO');
      return;
    case 'ARG_CONST_ALLOC_SIZE_OR_ZERO':
      if (r.s.varOff.mask !== 0n) reject(env.insnIdx, 'EACCES', `R${regno} is not a known constant'`);
      meta.memSize = Number(r.s.varOff.value);
      r.precise = true;
      markRegPrecise(env, regno);
      return;
    default:
      return;
  }
}

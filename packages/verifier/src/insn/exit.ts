/** `exit` (verifier-core.md §13): resource checks and the return-value rules of the program type. */
import { checkInsn, type Insn } from '@bpfkit/isa';
import type { Env } from '../env.js';
import { reject, rejectWith } from '../errors.js';
import { readReg } from '../operands.js';
import { regTypeName } from '../reg.js';
import { T } from '../types.js';
import { returnFromSubprog } from './call.js';
import { markRegPrecise } from '../precision.js';

const S64_MIN = -(1n << 63n);
const S64_MAX = (1n << 63n) - 1n;

/** `check_resource_leak` with the given message prefix. */
export function checkResourceLeak(env: Env, checkLock: boolean, prefix: string): void {
  const st = env.cur;
  if (checkLock && st.activeLock) rejectWith(env.insnIdx, 'EINVAL', [{ insn: st.lockInsn, role: 'lock taken' }], `${prefix} cannot be used inside bpf_spin_lock-ed region`);
  const leaks = st.refs.filter((r) => r.kind === 'ptr');
  if (leaks.length) {
    const iterRefs = new Set(st.frames.flatMap((f) => f.stack.flatMap((sl) => (sl?.iter ? [sl.iter.refId] : []))));
    const related = leaks.map((r) => ({ insn: r.insn, role: iterRefs.has(r.id) ? 'iterator created' : 'acquired' }));
    rejectWith(env.insnIdx, 'EINVAL', related, ...leaks.map((r) => `Unreleased reference id=${r.id} alloc_insn=${r.insn}`), `${prefix} would lead to reference leak`);
  }
  if (checkLock && st.refs.some((r) => r.kind === 'rcu')) reject(env.insnIdx, 'EINVAL', `${prefix} cannot be used inside bpf_rcu_read_lock-ed region`);
}

export function checkExit(env: Env, insn: Insn): void {
  const msg = checkInsn(insn);
  if (msg !== undefined) reject(env.insnIdx, 'EINVAL', msg);
  if (env.cur.frames.length > 1) {
    returnFromSubprog(env);
    return;
  }
  checkResourceLeak(env, true, 'BPF_EXIT instruction in main prog');
  const r0 = readReg(env, 0);
  if (env.verifyingGlobal) {
    if (r0.type !== T.SCALAR) reject(env.insnIdx, 'EACCES', `At subprogram exit the register R0 is not a scalar value (${regTypeName(r0.type, r0.flags)})`);
    env.nextIdx = -1;
    return;
  }
  const range = env.progType.returnRange(env.input.attachType);
  if (range) {
    if (r0.type !== T.SCALAR) reject(env.insnIdx, 'EACCES', `At program exit the register R0 is not a known value (${regTypeName(r0.type, r0.flags)})`);
    r0.precise = true;
    markRegPrecise(env, 0);
    const lo = range.bits32 ? BigInt(r0.s.s32min) : r0.s.smin;
    const hi = range.bits32 ? BigInt(r0.s.s32max) : r0.s.smax;
    if (lo < BigInt(range.min) || hi > BigInt(range.max)) {
      let what = '';
      if (lo > (range.bits32 ? -0x80000000n : S64_MIN)) what += ` smin=${lo}`;
      if (hi < (range.bits32 ? 0x7fffffffn : S64_MAX)) what += ` smax=${hi}`;
      if (!what) what = ' unknown scalar value';
      reject(env.insnIdx, 'EACCES', `At program exit the register R0 has${what} should have been in [${range.min}, ${range.max}]`);
    }
  }
  env.nextIdx = -1;
}

/** Register operand rules (`check_reg_arg`, verifier-core.md §2.1). */
import { reject } from './errors.js';
import type { Env } from './env.js';
import { curFrame } from './state.js';
import { T, type RegState } from './types.js';

/** The register for reading: `R%d is invalid`, `R%d !read_ok`. */
export function readReg(env: Env, regno: number): RegState {
  if (regno > 10) reject(env.insnIdx, 'EINVAL', `R${regno} is invalid`);
  const r = curFrame(env.cur).regs[regno]!;
  env.scratchRegs |= 1 << regno;
  if (r.type === T.NOT_INIT) reject(env.insnIdx, 'EACCES', `R${regno} !read_ok`);
  return r;
}

/** Checks that `regno` may be written: `R%d is invalid`, `frame pointer is read only`. */
export function checkWritable(env: Env, regno: number): void {
  if (regno > 10) reject(env.insnIdx, 'EINVAL', `R${regno} is invalid`);
  if (regno === 10) reject(env.insnIdx, 'EACCES', 'frame pointer is read only');
  env.scratchRegs |= 1 << regno;
}

/** Replaces register `regno` of the current frame. */
export function setReg(env: Env, regno: number, r: RegState): void {
  curFrame(env.cur).regs[regno] = r;
  env.scratchRegs |= 1 << regno;
}

export function getReg(env: Env, regno: number): RegState {
  return curFrame(env.cur).regs[regno]!;
}

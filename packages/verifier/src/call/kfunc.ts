/**
 * Kfunc calls (src 2). Graph-collection kfuncs come with a later issue; until
 * then every kfunc is refused with the kernel's message for a kfunc that is
 * not registered for the program type (graph-collections.md §1.4, §4).
 */
import type { Insn } from '@bpfkit/isa';
import type { Env } from '../env.js';
import { reject } from '../errors.js';

export function checkKfuncCall(env: Env, insn: Insn): void {
  const name = env.input.kfuncName?.(insn);
  if (name === undefined) reject(env.insnIdx, 'EINVAL', `kernel btf_id ${insn.imm} is not a function`);
  reject(env.insnIdx, 'EACCES', `calling kernel function ${name} is not allowed`);
}

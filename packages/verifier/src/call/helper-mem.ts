/**
 * `check_helper_mem_access` (verifier-core.md §11.3) for helper and global
 * function memory arguments, built on the memory module's region, packet and
 * stack checks. (The memory engineer's `mem/helper-access.ts` is meant to
 * replace this file; the signature is the agreed one.)
 */
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { checkMapAccessType, checkMemRegionAccess, checkPacketAccess } from '../mem/region.js';
import { checkStackRangeInitialized } from '../mem/stack.js';
import { getReg } from '../operands.js';
import { F, T } from '../types.js';
import { regTypeStr } from './common.js';

export interface HelperMemOptions {
  write: boolean;
  zeroSizeAllowed: boolean;
  raw: boolean;
}

export function checkHelperMemAccess(env: Env, regno: number, size: number, o: HelperMemOptions): void {
  const r = getReg(env, regno);
  const idx = env.insnIdx;
  switch (r.type) {
    case T.PTR_TO_PACKET:
    case T.PTR_TO_PACKET_META:
      return checkPacketAccess(env, regno, r, r.off, size, o.zeroSizeAllowed);
    case T.PTR_TO_MAP_KEY:
      if (o.write) reject(idx, 'EACCES', `R${regno} cannot write into ${regTypeStr(env, r)}`);
      return checkMemRegionAccess(env, regno, r, r.off, size, r.map!.keySize, false);
    case T.PTR_TO_MAP_VALUE:
      checkMapAccessType(env, r, r.off, size, o.write);
      return checkMemRegionAccess(env, regno, r, r.off, size, r.map!.valueSize, o.zeroSizeAllowed);
    case T.PTR_TO_MEM:
    case T.PTR_TO_BUF:
      if (o.write && r.flags & F.RDONLY) reject(idx, 'EACCES', `R${regno} cannot write into ${regTypeStr(env, r)}`);
      return checkMemRegionAccess(env, regno, r, r.off, size, r.memSize, o.zeroSizeAllowed);
    case T.PTR_TO_STACK:
      checkStackRangeInitialized(env, regno, r, r.off, size, o.zeroSizeAllowed, o.write, o.raw);
      return;
    case T.PTR_TO_CTX:
      if (env.progType.ctxIsMemory) return;
      break;
    case T.SCALAR:
      if (o.zeroSizeAllowed && r.s.varOff.mask === 0n && r.s.varOff.value === 0n) return;
      break;
  }
  reject(idx, 'EACCES', `R${regno} type=${regTypeStr(env, r)} expected=fp`);
}

/** Helper memory arguments (`check_helper_mem_access`, verifier-core.md §11.3). */
import { checkMapValueFieldsByHelper } from '../graph/access.js';
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { isNull, regTypeName } from '../reg.js';
import { curFrame } from '../state.js';
import { F, T, type RegState } from '../types.js';
import { checkMemAccess } from './access.js';
import { checkBufferAccess, checkMapAccessType, checkMemRegionAccess, checkPacketAccess } from './region.js';
import { checkStackRangeInitialized } from './stack.js';

export interface HelperMemOptions {
  /** The helper writes the memory (`MEM_WRITE` / uninit arguments). */
  write: boolean;
  /** A size of 0 is acceptable (`ARG_CONST_SIZE_OR_ZERO`). */
  zeroSizeAllowed: boolean;
  /** `MEM_UNINIT` with a constant size: stack bytes need not be initialised; mark them with {@link markHelperStackWrite} after the call. */
  raw: boolean;
}

/** What the caller must do after the call: set when raw stack bytes must be marked written. */
export interface HelperMemResult {
  rawStack?: { regno: number; size: number };
}

const typeStr = (r: RegState): string => regTypeName(r.type, r.flags);

/**
 * Checks that the helper may access `size` bytes at register `regno`.
 * Returns `rawStack` when a raw (uninitialised) stack buffer was accepted:
 * call {@link markHelperStackWrite} with it after the helper's effects.
 */
export function checkHelperMemAccess(env: Env, regno: number, size: number, opts: HelperMemOptions): HelperMemResult {
  const reg = curFrame(env.cur).regs[regno]!;
  const idx = env.insnIdx;
  switch (reg.type) {
    case T.PTR_TO_PACKET:
    case T.PTR_TO_PACKET_META:
      checkPacketAccess(env, regno, reg, reg.off, size, opts.zeroSizeAllowed);
      return {};
    case T.PTR_TO_MAP_KEY:
      if (opts.write) reject(idx, 'EACCES', `R${regno} cannot write into ${typeStr(reg)}`);
      checkMemRegionAccess(env, regno, reg, reg.off, size, reg.map!.keySize, false);
      return {};
    case T.PTR_TO_MAP_VALUE:
      checkMapAccessType(env, reg, reg.off, size, opts.write);
      checkMemRegionAccess(env, regno, reg, reg.off, size, reg.map!.valueSize, opts.zeroSizeAllowed);
      checkMapValueFieldsByHelper(env, reg, reg.off, size);
      return {};
    case T.PTR_TO_MEM:
      if (reg.flags & F.RDONLY && opts.write) reject(idx, 'EACCES', `R${regno} cannot write into ${typeStr(reg)}`);
      checkMemRegionAccess(env, regno, reg, reg.off, size, reg.memSize, opts.zeroSizeAllowed);
      return {};
    case T.PTR_TO_BUF:
      if (reg.flags & F.RDONLY && opts.write) reject(idx, 'EACCES', `R${regno} cannot write into ${typeStr(reg)}`);
      checkBufferAccess(env, regno, reg, reg.flags & F.RDONLY ? 'rdonly' : 'rdwr', reg.off, size);
      return {};
    case T.PTR_TO_STACK: {
      const raw = checkStackRangeInitialized(env, regno, reg, reg.off, size, opts.zeroSizeAllowed, opts.write, opts.raw);
      return raw ? { rawStack: { regno, size } } : {};
    }
    case T.PTR_TO_BTF_ID:
      checkMemAccess(env, regno, 0, size, 'read', -1);
      return {};
    case T.PTR_TO_CTX:
      if (env.progType.ctxIsMemory) {
        if (size === 0) {
          if (opts.zeroSizeAllowed) return {};
          reject(idx, 'EACCES');
        }
        checkMemAccess(env, regno, size - 1, 1, opts.write ? 'write' : 'read', -1);
        return {};
      }
      break;
    default:
      break;
  }
  if (opts.zeroSizeAllowed && size === 0 && isNull(reg)) return {};
  reject(idx, 'EACCES', `R${regno} type=${typeStr(reg)} expected=fp`);
}

/**
 * After a helper wrote a raw stack buffer: each byte becomes `STACK_MISC` and
 * spills in the range are dropped (the kernel's byte-wise `check_mem_access`
 * writes with no value register).
 */
export function markHelperStackWrite(env: Env, regno: number, size: number): void {
  for (let i = 0; i < size; i++) checkMemAccess(env, regno, i, 1, 'write', -1);
}

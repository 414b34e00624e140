/** `checkCtxAccess`: one entry point over the per-type ctx rules (verifier-core.md §9.6). */
import { PlatformError } from './errors.js';
import { findProgType, LINUX_618_PROG_TYPES } from './prog-types.js';
import type { CtxAccessOptions, CtxAccessResult, ProgTypeInfo } from './types.js';

/**
 * Decides a ctx load (`write` false) or store of `size` bytes at byte offset `off`.
 * `progType` is a `ProgTypeInfo` or a name/id looked up in the Linux 6.18 table;
 * `attach` is the expected attach type name or a full options object.
 * Types without a modelled layout reject every access. Unknown type names throw
 * `PlatformError('UNKNOWN_PROG_TYPE')`.
 */
export function checkCtxAccess(
  progType: ProgTypeInfo | string | number,
  off: number,
  size: number,
  write: boolean,
  attach?: string | CtxAccessOptions,
): CtxAccessResult {
  let t: ProgTypeInfo | undefined;
  if (typeof progType === 'object') t = progType;
  else {
    t = findProgType(LINUX_618_PROG_TYPES, progType);
    if (!t) throw new PlatformError('UNKNOWN_PROG_TYPE', `unknown program type ${JSON.stringify(progType)}`, { progType });
  }
  const opts: CtxAccessOptions = typeof attach === 'string' ? { attachType: attach } : (attach ?? {});
  if (!t.checkCtxAccess || size <= 0) return { ok: false };
  return t.checkCtxAccess(off, size, write, opts);
}

/** Pointer alignment (`check_ptr_alignment`, verifier-core.md §9.7). */
import { reject } from '../errors.js';
import type { Env } from '../env.js';
import { tnumAdd, tnumConst, tnumIsAligned, tnumStr, type Tnum } from '../scalar/index.js';
import { T, type RegState } from '../types.js';

/** The var_off text of alignment messages: a constant prints as a signed decimal, otherwise `(0x..; 0x..)`. */
export function varOffText(t: Tnum): string {
  return t.mask === 0n ? BigInt.asIntN(64, t.value).toString() : tnumStr(t);
}

const DESC: Partial<Record<number, string>> = {
  [T.PTR_TO_FLOW_KEYS]: 'flow keys ',
  [T.PTR_TO_MAP_KEY]: 'key ',
  [T.PTR_TO_MAP_VALUE]: 'value ',
  [T.PTR_TO_CTX]: 'context ',
  [T.PTR_TO_STACK]: 'stack ',
  [T.PTR_TO_SOCKET]: 'sock ',
  [T.PTR_TO_SOCK_COMMON]: 'sock_common ',
  [T.PTR_TO_TCP_SOCK]: 'tcp_sock ',
  [T.PTR_TO_XDP_SOCK]: 'xdp_sock ',
};

/**
 * Rejects a misaligned access of `size` bytes at insn offset `off` through `reg`.
 * Stack accesses and `strictOnce` (atomics) are always strict; byte accesses always pass.
 */
export function checkPtrAlignment(env: Env, reg: RegState, off: number, size: number, strictOnce: boolean): void {
  let strict = env.strictAlignment || strictOnce;
  if (reg.type === T.PTR_TO_ARENA) return;
  if (reg.type === T.PTR_TO_PACKET || reg.type === T.PTR_TO_PACKET_META) {
    if (!strict || size === 1) return;
    const ipAlign = 2;
    const t = tnumAdd(reg.s.varOff, tnumConst(BigInt(ipAlign + reg.off + off)));
    if (!tnumIsAligned(t, BigInt(size))) {
      reject(env.insnIdx, 'EACCES', `misaligned packet access off ${ipAlign}+${varOffText(reg.s.varOff)}+${reg.off}+${off} size ${size}`);
    }
    return;
  }
  const desc = reg.flags === 0 || reg.type === T.PTR_TO_MAP_VALUE ? (DESC[reg.type] ?? '') : '';
  if (reg.type === T.PTR_TO_STACK) strict = true;
  if (!strict || size === 1) return;
  const t = tnumAdd(reg.s.varOff, tnumConst(BigInt(reg.off + off)));
  if (!tnumIsAligned(t, BigInt(size))) {
    reject(env.insnIdx, 'EACCES', `misaligned ${desc}access off ${varOffText(reg.s.varOff)}+${reg.off}+${off} size ${size}`);
  }
}

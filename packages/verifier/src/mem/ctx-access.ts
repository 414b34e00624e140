/** Context access (`check_ptr_off_reg` + `check_ctx_access`, verifier-core.md §9.6). */
import { nextId, type Env } from '../env.js';
import { reject } from '../errors.js';
import { setReg } from '../operands.js';
import { ptrReg, regTypeName, unknownScalar } from '../reg.js';
import { tnumStr } from '../scalar/index.js';
import { F, T, type RegState } from '../types.js';
import { sourceBeforeError } from './stack.js';

/** `__check_ptr_off_reg`: the pointer must be unmodified (fixed offset allowed only when `fixedOffOk`). */
export function checkPtrOffReg(env: Env, reg: RegState, regno: number, fixedOffOk: boolean): void {
  const tn = regTypeName(reg.type, reg.flags);
  if (reg.off < 0) reject(env.insnIdx, 'EACCES', `negative offset ${tn} ptr R${regno} off=${reg.off} disallowed`);
  if (!fixedOffOk && reg.off) reject(env.insnIdx, 'EACCES', `dereference of modified ${tn} ptr R${regno} off=${reg.off} disallowed`);
  if (reg.s.varOff.mask !== 0n || reg.s.varOff.value !== 0n) {
    reject(env.insnIdx, 'EACCES', `variable ${tn} access var_off=${tnumStr(reg.s.varOff)} disallowed`);
  }
}

/** A ctx load or store at `off` (insn off + fixed off); a load sets `valueRegno`. */
export function checkCtxMemAccess(env: Env, regno: number, reg: RegState, off: number, size: number, write: boolean, valueRegno: number, ldsx: boolean): void {
  checkPtrOffReg(env, reg, regno, false);
  const fn = env.progType.checkCtxAccess;
  const res = fn
    ? fn(off, size, write, { ...(env.input.attachType ? { attachType: env.input.attachType } : {}), signExtend: ldsx })
    : { ok: false as const };
  if (!res.ok) {
    sourceBeforeError(env);
    reject(env.insnIdx, 'EACCES', `invalid bpf_context access off=${off} size=${size}`);
  }
  if (write || valueRegno < 0) return;
  let r: RegState;
  switch (res.kind) {
    case 'scalar':
      r = unknownScalar();
      break;
    case 'pkt':
      r = ptrReg(T.PTR_TO_PACKET);
      break;
    case 'pkt_meta':
      r = ptrReg(T.PTR_TO_PACKET_META);
      break;
    case 'pkt_end':
      r = ptrReg(T.PTR_TO_PACKET_END);
      break;
    case 'flow_keys':
      r = ptrReg(T.PTR_TO_FLOW_KEYS);
      break;
    case 'sock_common_or_null':
      r = ptrReg(T.PTR_TO_SOCK_COMMON, F.MAYBE_NULL);
      r.id = nextId(env);
      break;
  }
  // raw_tp.w: args[0] is the writable tracepoint buffer
  if (res.pointer === 'tp_buffer') r = ptrReg(T.PTR_TO_TP_BUFFER);
  setReg(env, valueRegno, r);
}

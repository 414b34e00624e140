/**
 * `check_mem_access` (verifier-core.md §9.1): alignment, then the per-type
 * rules for one load or store of `size` bytes at `base + off`; a load sets the
 * value register (and B/H/W loads truncate or sign-extend it).
 */
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { setReg } from '../operands.js';
import { constScalar, regTypeName, unknownScalar } from '../reg.js';
import { scalarLoadSx, scalarTruncate, tnumStr } from '../scalar/index.js';
import { curFrame } from '../state.js';
import { F, T, type RegState } from '../types.js';
import { checkAllocObjAccess, checkMapValueFields } from '../graph/access.js';
import { checkPtrAlignment } from './align.js';
import { checkCtxMemAccess } from './ctx-access.js';
import { checkBufferAccess, checkMapAccessType, checkMemRegionAccess, checkPacketAccess, mapIsRdonly } from './region.js';
import { sockAccessValid } from './sock-access.js';
import { checkStackBounds, checkStackRead, checkStackWrite, type AccessKind } from './stack.js';

export type { AccessKind };

export interface MemAccessOptions {
  /** Alignment is strict for this access regardless of the program flags (atomics). */
  strictOnce?: boolean;
  /** Sign-extending load (`BPF_MEMSX`). */
  ldsx?: boolean;
  /** The store is `BPF_ST` with this immediate (no value register). */
  stImm?: number;
}

const BPF_MAP_TYPE_ARRAY = 2;
/** `sizeof(struct bpf_flow_keys)`. */
export const FLOW_KEYS_SIZE = 56;

const MAP_STRUCT: Partial<Record<number, string>> = {
  1: 'bpf_htab', 2: 'bpf_array', 3: 'bpf_array', 4: 'bpf_array', 5: 'bpf_htab', 6: 'bpf_array', 7: 'bpf_stack_map',
  9: 'bpf_htab', 10: 'bpf_htab', 14: 'bpf_dtab', 16: 'bpf_cpu_map', 17: 'xsk_map', 22: 'bpf_queue_stack',
  23: 'bpf_queue_stack', 27: 'bpf_ringbuf_map', 30: 'bpf_bloom_filter',
};

const typeStr = (r: RegState): string => regTypeName(r.type, r.flags);

/** Little-endian bytes of a frozen read-only map (`bpf_map_direct_read`). */
function directRead(env: Env, reg: RegState, off: number, size: number, ldsx: boolean): bigint {
  const map = reg.map!;
  // array_map_direct_value_addr: only single-element arrays; fails without a message otherwise
  if (map.maxEntries !== 1) reject(env.insnIdx, 'ENOTSUPP');
  const data = map.initialData;
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(data?.[off + i] ?? 0);
  if (ldsx && size < 8) v = BigInt.asUintN(64, BigInt.asIntN(size * 8, v));
  return v;
}

function mapValueAccess(env: Env, regno: number, reg: RegState, off: number, size: number, write: boolean, valueRegno: number, ldsx: boolean, stImm: number | undefined): void {
  const map = reg.map!;
  checkMapAccessType(env, reg, off, size, write);
  checkMemRegionAccess(env, regno, reg, off, size, map.valueSize, false);
  if (checkMapValueFields(env, reg, off, size, write, valueRegno, stImm)) return;
  if (write || valueRegno < 0) return;
  if (reg.s.varOff.mask === 0n && mapIsRdonly(reg) && map.type === BPF_MAP_TYPE_ARRAY) {
    const mapOff = off + Number(reg.s.varOff.value);
    setReg(env, valueRegno, constScalar(directRead(env, reg, mapOff, size, ldsx)));
    return;
  }
  setReg(env, valueRegno, unknownScalar());
}

/**
 * The kernel's `check_mem_access`. `off` is the instruction offset; `valueRegno`
 * is the register loaded into (reads) or stored from (writes), -1 for none.
 */
export function checkMemAccess(env: Env, regno: number, off: number, size: number, kind: AccessKind, valueRegno: number, opts: MemAccessOptions = {}): void {
  const reg = curFrame(env.cur).regs[regno]!;
  const write = kind === 'write';
  const ldsx = opts.ldsx ?? false;
  const idx = env.insnIdx;
  checkPtrAlignment(env, reg, off, size, opts.strictOnce ?? false);
  off += reg.off;
  const plain = reg.flags === 0;
  const readInto = !write && valueRegno >= 0;
  switch (reg.type) {
    case T.PTR_TO_MAP_KEY:
      if (!plain) break;
      if (write) reject(idx, 'EACCES', `write to change key R${regno} not allowed`);
      checkMemRegionAccess(env, regno, reg, off, size, reg.map!.keySize, false);
      if (valueRegno >= 0) setReg(env, valueRegno, unknownScalar());
      return finishLoad(env, size, kind, valueRegno, ldsx);
    case T.PTR_TO_MAP_VALUE:
      if (!plain) break;
      mapValueAccess(env, regno, reg, off, size, write, valueRegno, ldsx, opts.stImm);
      return finishLoad(env, size, kind, valueRegno, ldsx);
    case T.PTR_TO_MEM: {
      if (reg.flags & F.MAYBE_NULL) break;
      const rdonly = (reg.flags & F.RDONLY) !== 0;
      if (write && rdonly) reject(idx, 'EACCES', `R${regno} cannot write into ${typeStr(reg)}`);
      if (!(rdonly && reg.flags & F.UNTRUSTED)) checkMemRegionAccess(env, regno, reg, off, size, reg.memSize, false);
      if (valueRegno >= 0 && (!write || rdonly)) setReg(env, valueRegno, unknownScalar());
      return finishLoad(env, size, kind, valueRegno, ldsx);
    }
    case T.PTR_TO_CTX:
      if (!plain) break;
      checkCtxMemAccess(env, regno, reg, off, size, write, valueRegno, ldsx);
      return finishLoad(env, size, kind, valueRegno, ldsx);
    case T.PTR_TO_STACK:
      if (!plain) break;
      checkStackBounds(env, regno, reg, off, size, kind);
      if (write) checkStackWrite(env, reg, off, size, { regno: valueRegno, ...(opts.stImm !== undefined ? { stImm: opts.stImm } : {}) });
      else checkStackRead(env, regno, reg, off, size, valueRegno);
      return finishLoad(env, size, kind, valueRegno, ldsx);
    case T.PTR_TO_PACKET:
    case T.PTR_TO_PACKET_META:
      if (write && !env.progType.packet.write) reject(idx, 'EACCES', 'cannot write into packet');
      checkPacketAccess(env, regno, reg, off, size, false);
      if (readInto) setReg(env, valueRegno, unknownScalar());
      return finishLoad(env, size, kind, valueRegno, ldsx);
    case T.PTR_TO_FLOW_KEYS:
      if (!plain) break;
      if (size < 0 || off < 0 || off + size > FLOW_KEYS_SIZE) reject(idx, 'EACCES', `invalid access to flow keys off=${off} size=${size}`);
      if (readInto) setReg(env, valueRegno, unknownScalar());
      return finishLoad(env, size, kind, valueRegno, ldsx);
    case T.PTR_TO_SOCKET:
    case T.PTR_TO_SOCK_COMMON:
    case T.PTR_TO_TCP_SOCK:
    case T.PTR_TO_XDP_SOCK:
      if (!plain) break;
      if (write) reject(idx, 'EACCES', `R${regno} cannot write into ${typeStr(reg)}`);
      if (reg.s.smin < 0n) reject(idx, 'EACCES', `R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`);
      if (!sockAccessValid(reg.type, off, size)) reject(idx, 'EACCES', `R${regno} invalid ${typeStr(reg)} access off=${off} size=${size}`);
      if (valueRegno >= 0) setReg(env, valueRegno, unknownScalar());
      return finishLoad(env, size, kind, valueRegno, ldsx);
    case T.PTR_TO_TP_BUFFER:
      if (!plain) break;
      checkBufferAccess(env, regno, reg, 'tracepoint', off, size);
      if (readInto) setReg(env, valueRegno, unknownScalar());
      return finishLoad(env, size, kind, valueRegno, ldsx);
    case T.PTR_TO_BTF_ID:
      if (reg.flags & F.MAYBE_NULL) break;
      if (reg.flags & (F.MEM_ALLOC | F.PERCPU)) {
        checkAllocObjAccess(env, regno, reg, off, size, write, valueRegno);
        return finishLoad(env, size, kind, valueRegno, ldsx);
      }
      // BTF struct walking is not modelled: offsets are checked, loads give unknown scalars
      if (off < 0) reject(idx, 'EACCES', `R${regno} is ${typeStr(reg)} invalid negative access: off=${off}`);
      if (reg.s.varOff.mask !== 0n) {
        reject(idx, 'EACCES', `R${regno} is ${typeStr(reg)} invalid variable offset: off=${off}, var_off=${tnumStr(reg.s.varOff)}`);
      }
      if (write) reject(idx, 'EACCES', 'only read is supported');
      if (valueRegno >= 0) setReg(env, valueRegno, unknownScalar());
      return finishLoad(env, size, kind, valueRegno, ldsx);
    case T.CONST_PTR_TO_MAP: {
      if (!plain) break;
      const tname = MAP_STRUCT[reg.map?.type ?? -1] ?? 'bpf_map';
      if (off < 0) reject(idx, 'EACCES', `R${regno} is ${tname} invalid negative access: off=${off}`);
      if (write) reject(idx, 'EACCES', `only read from ${tname} is supported`);
      if (valueRegno >= 0) setReg(env, valueRegno, unknownScalar());
      return finishLoad(env, size, kind, valueRegno, ldsx);
    }
    case T.PTR_TO_BUF: {
      if (reg.flags & F.MAYBE_NULL) break;
      const rdonly = (reg.flags & F.RDONLY) !== 0;
      if (rdonly && write) reject(idx, 'EACCES', `R${regno} cannot write into ${typeStr(reg)}`);
      checkBufferAccess(env, regno, reg, rdonly ? 'rdonly' : 'rdwr', off, size);
      if (valueRegno >= 0 && (rdonly || !write)) setReg(env, valueRegno, unknownScalar());
      return finishLoad(env, size, kind, valueRegno, ldsx);
    }
    case T.PTR_TO_ARENA:
      if (readInto) setReg(env, valueRegno, unknownScalar());
      return finishLoad(env, size, kind, valueRegno, ldsx);
    default:
      break;
  }
  reject(idx, 'EACCES', `R${regno} invalid mem access '${typeStr(reg)}'`);
}

/** B/H/W loads into a scalar: zero-extend (`coerce_reg_to_size`) or sign-extend (`coerce_reg_to_size_sx`). */
function finishLoad(env: Env, size: number, kind: AccessKind, valueRegno: number, ldsx: boolean): void {
  if (kind !== 'read' || valueRegno < 0 || size >= 8) return;
  const r = curFrame(env.cur).regs[valueRegno]!;
  if (r.type !== T.SCALAR) return;
  r.s = ldsx ? scalarLoadSx(r.s, size) : scalarTruncate(r.s, size);
}

/**
 * Region checks (verifier-core.md §9.2, §9.4): `check_mem_region_access`,
 * `__check_mem_access`, `check_packet_access`, `check_map_access_type`.
 */
import { reject } from '../errors.js';
import type { Env } from '../env.js';
import { S64_MIN, tnumStr } from '../scalar/index.js';
import { T, type RegState } from '../types.js';

/** `BPF_MAX_VAR_OFF`: bounds at or above it are "unbounded". */
export const BPF_MAX_VAR_OFF = 1n << 29n;
const BPF_F_RDONLY_PROG = 1 << 7;
const BPF_F_WRONLY_PROG = 1 << 8;

/** C `int` conversion of a 64-bit sum (the kernel passes these offsets as `int`). */
export const toInt = (v: bigint): number => Number(BigInt.asIntN(32, v));

/** The kind line of `__check_mem_access`, or undefined when `[off, off+size)` fits in `[0, memSize)`. */
function memAccessLine(reg: RegState, regno: number, off: number, size: number, memSize: number, zeroOk: boolean): string | undefined {
  const sizeOk = size > 0 || (size === 0 && zeroOk);
  if (off >= 0 && sizeOk && off + size <= memSize) return undefined;
  switch (reg.type) {
    case T.PTR_TO_MAP_KEY:
      return `invalid access to map key, key_size=${memSize} off=${off} size=${size}`;
    case T.PTR_TO_MAP_VALUE:
      return `invalid access to map value, value_size=${memSize} off=${off} size=${size}`;
    case T.PTR_TO_PACKET:
    case T.PTR_TO_PACKET_META:
    case T.PTR_TO_PACKET_END:
      return `invalid access to packet, off=${off} size=${size}, R${regno}(id=${reg.id},off=${off},r=${memSize})`;
    default:
      return `invalid access to memory, mem_size=${memSize >>> 0} off=${off} size=${size}`;
  }
}

const MIN_NEGATIVE = (regno: number) => `R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`;

/** `check_mem_region_access`: `[off + var, +size)` inside `[0, memSize)` for every possible var. */
export function checkMemRegionAccess(env: Env, regno: number, reg: RegState, off: number, size: number, memSize: number, zeroOk: boolean): void {
  const smin = reg.s.smin;
  if (smin < 0n && (smin === S64_MIN || BigInt(off) + smin !== BigInt.asIntN(32, BigInt(off) + smin) || smin + BigInt(off) < 0n)) {
    reject(env.insnIdx, 'EACCES', MIN_NEGATIVE(regno));
  }
  const lo = memAccessLine(reg, regno, toInt(smin + BigInt(off)), size, memSize, zeroOk);
  if (lo !== undefined) reject(env.insnIdx, 'EACCES', lo, `R${regno} min value is outside of the allowed memory range`);
  if (reg.s.umax >= BPF_MAX_VAR_OFF) {
    reject(env.insnIdx, 'EACCES', `R${regno} unbounded memory access, make sure to bounds check any such access`);
  }
  const hi = memAccessLine(reg, regno, toInt(reg.s.umax + BigInt(off)), size, memSize, zeroOk);
  if (hi !== undefined) reject(env.insnIdx, 'EACCES', hi, `R${regno} max value is outside of the allowed memory range`);
}

/** `check_packet_access`: `off` is the fixed part (insn off + pointer off); the range covers the variable part. */
export function checkPacketAccess(env: Env, regno: number, reg: RegState, off: number, size: number, zeroOk: boolean): void {
  if (reg.s.smin < 0n) reject(env.insnIdx, 'EACCES', MIN_NEGATIVE(regno));
  if (reg.range < 0) reject(env.insnIdx, 'EINVAL', `R${regno} offset is outside of the packet`);
  const line = memAccessLine(reg, regno, off, size, reg.range, zeroOk);
  if (line !== undefined) reject(env.insnIdx, 'EACCES', line, `R${regno} offset is outside of the packet`);
}

/** `check_map_access_type`: `BPF_F_RDONLY_PROG` / `BPF_F_WRONLY_PROG`. */
export function checkMapAccessType(env: Env, reg: RegState, off: number, size: number, write: boolean): void {
  const map = reg.map!;
  if (write && map.flags & BPF_F_RDONLY_PROG) {
    reject(env.insnIdx, 'EACCES', `write into map forbidden, value_size=${map.valueSize} off=${off} size=${size}`);
  }
  if (!write && map.flags & BPF_F_WRONLY_PROG) {
    reject(env.insnIdx, 'EACCES', `read from map forbidden, value_size=${map.valueSize} off=${off} size=${size}`);
  }
}

/** Read-only and frozen: loads at constant offsets see the map's bytes (`bpf_map_is_rdonly`). */
export function mapIsRdonly(reg: RegState): boolean {
  const m = reg.map!;
  return (m.flags & BPF_F_RDONLY_PROG) !== 0 && m.frozen;
}

/** `__check_buffer_access` (tp_buffer, buf). */
export function checkBufferAccess(env: Env, regno: number, reg: RegState, info: string, off: number, size: number): void {
  if (off < 0) reject(env.insnIdx, 'EACCES', `R${regno} invalid ${info} buffer access: off=${off}, size=${size}`);
  if (reg.s.varOff.mask !== 0n || reg.s.varOff.value !== 0n) {
    reject(env.insnIdx, 'EACCES', `R${regno} invalid variable buffer offset: off=${off}, var_off=${tnumStr(reg.s.varOff)}`);
  }
}


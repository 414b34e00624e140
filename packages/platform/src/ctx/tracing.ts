/**
 * Context rules of the tracing program types (from memory of kernel/trace/bpf_trace.c and
 * kernel/bpf/btf.c; the cases in packages/verifier/cases/tracing.txt record the kernel's answers):
 *
 * * KPROBE — `struct pt_regs` (x86-64: 21 registers, 168 bytes), `kprobe_prog_is_valid_access`: reads
 *   only, inside the struct, `off % size == 0`; every access size.
 * * TRACEPOINT — the raw trace record, `tp_prog_is_valid_access`: reads only, `8 <= off < PERF_MAX_TRACE_SIZE`
 *   (8192; the first 8 bytes are the common fields no program may read), `off % size == 0`. The bound by the
 *   tracepoint's real record size is checked at attach time (`max_ctx_offset`), not at load.
 * * PERF_EVENT — `struct bpf_perf_event_data` (`regs` 0..167, `sample_period` 168, `addr` 176; 184 bytes),
 *   `pe_prog_is_valid_access`: reads only, aligned; `sample_period` and `addr` may be read narrow (1, 2, 4
 *   or 8 bytes), `regs` only as whole 8-byte longs.
 * * RAW_TRACEPOINT — `u64 args[MAX_BPF_FUNC_ARGS]` (96 bytes), reads only, aligned, any size.
 * * RAW_TRACEPOINT_WRITABLE — the same, but `args[0]` must be read as 8 bytes and is the writable tracepoint
 *   buffer (`PTR_TO_TP_BUFFER`, reported as `pointer: 'tp_buffer'`).
 * * TRACING/LSM (fentry, fexit, fmod_ret, ...) without BTF of the attach target: `bpf_tracing_ctx_access`
 *   (reads only, inside the 12 u64 slots, aligned) plus `btf_ctx_access`'s `off % 8 == 0`. What needs the
 *   target's BTF is not possible here: the argument count (the bound is 12 slots unless the caller passes
 *   `btfArgCount`; fexit/fmod_ret's return value is the slot after the arguments), pointer arguments (the
 *   kernel gives `ptr_<struct>` / `trusted_ptr_`, here they are scalars) and the per-argument messages.
 */
import type { CtxAccessOptions, CtxAccessResult } from '../types.js';
import type { CtxField } from './layout.js';

const REG_NAMES = [
  'r15', 'r14', 'r13', 'r12', 'bp', 'bx', 'r11', 'r10', 'r9', 'r8', 'ax', 'cx', 'dx', 'si', 'di', 'orig_ax', 'ip', 'cs', 'flags', 'sp', 'ss',
];

/** x86-64 `struct pt_regs` (the kprobe and perf_event `regs` layout). */
export const PT_REGS_FIELDS: readonly CtxField[] = Object.freeze(REG_NAMES.map((name, i) => ({ name, off: i * 8, size: 8 })));
export const PT_REGS_SIZE = 168;
/** `PERF_MAX_TRACE_SIZE` */
export const TRACEPOINT_CTX_MAX = 8192;
export const PERF_EVENT_DATA_SIZE = 184;
/** `MAX_BPF_FUNC_ARGS` u64 slots */
export const RAW_TP_CTX_SIZE = 96;

const NO: CtxAccessResult = { ok: false };
const regName = (off: number): string | undefined => REG_NAMES[Math.floor(off / 8)];

export function checkKprobeCtx(off: number, size: number, write: boolean, _opts: CtxAccessOptions): CtxAccessResult {
  if (off < 0 || off >= PT_REGS_SIZE || write || off % size !== 0 || off + size > PT_REGS_SIZE) return NO;
  return { ok: true, kind: 'scalar', field: regName(off)! };
}

export function checkTracepointCtx(off: number, size: number, write: boolean, _opts: CtxAccessOptions): CtxAccessResult {
  if (off < 8 || off >= TRACEPOINT_CTX_MAX || write || off % size !== 0) return NO;
  return { ok: true, kind: 'scalar' };
}

export function checkPerfEventCtx(off: number, size: number, write: boolean, _opts: CtxAccessOptions): CtxAccessResult {
  if (off < 0 || off >= PERF_EVENT_DATA_SIZE || write || off % size !== 0) return NO;
  if (off >= PT_REGS_SIZE) {
    const field = off < 176 ? 'sample_period' : 'addr';
    if ((size & (size - 1)) !== 0 || size > 8) return NO;
    return size < 8 ? { ok: true, kind: 'scalar', field, narrowedSize: 8 } : { ok: true, kind: 'scalar', field };
  }
  if (size !== 8) return NO;
  return { ok: true, kind: 'scalar', field: 'regs.' + regName(off)! };
}

export function checkRawTpCtx(off: number, size: number, write: boolean, _opts: CtxAccessOptions): CtxAccessResult {
  if (off < 0 || off >= RAW_TP_CTX_SIZE || write || off % size !== 0) return NO;
  return { ok: true, kind: 'scalar', field: `args[${Math.floor(off / 8)}]` };
}

export function checkRawTpWritableCtx(off: number, size: number, write: boolean, opts: CtxAccessOptions): CtxAccessResult {
  if (off === 0) {
    if (size !== 8 || write) return NO;
    return { ok: true, kind: 'scalar', field: 'args[0]', pointer: 'tp_buffer' };
  }
  return checkRawTpCtx(off, size, write, opts);
}

/** fentry/fexit/fmod_ret/LSM without the target's BTF (see the file comment for what is not modelled). */
export function checkBtfArgsCtx(off: number, size: number, write: boolean, opts: CtxAccessOptions): CtxAccessResult {
  if (off < 0 || off >= RAW_TP_CTX_SIZE || write || off % size !== 0 || off % 8 !== 0) return NO;
  if (opts.btfArgCount !== undefined) {
    const slots = opts.attachType === 'BPF_TRACE_FENTRY' ? opts.btfArgCount : opts.btfArgCount + 1;
    if (off / 8 >= slots) return NO;
  }
  return { ok: true, kind: 'scalar', field: `args[${off / 8}]` };
}

/**
 * Tracing ctx rules. Every [off, size, write] row below is a kernel-recorded case of
 * packages/verifier/cases/tracing.txt (Linux 6.18), except the fentry rows (not loadable without BTF).
 */
import { describe, expect, it } from 'vitest';
import { checkCtxAccess } from '../ctx-access.js';
import { linux618 } from '../linux.js';

type Row = readonly [off: number, size: number, write: boolean, ok: boolean];
const check = (type: string | number, rows: readonly Row[]) => {
  for (const [off, size, write, ok] of rows) expect(checkCtxAccess(type, off, size, write).ok, `${type} off=${off} size=${size} write=${write}`).toBe(ok);
};

describe('kprobe: struct pt_regs', () => {
  it('reads at size-aligned offsets inside 168 bytes; no writes', () => {
    check('kprobe', [
      [0, 8, false, true], [80, 8, false, true], [112, 8, false, true], [160, 8, false, true], [84, 4, false, true], [82, 2, false, true],
      [81, 1, false, true], [164, 4, false, true],
      [2, 4, false, false], [164, 8, false, false], [168, 8, false, false], [80, 8, true, false],
    ]);
  });
  it('names registers; kretprobe is an alias of the same type', () => {
    expect(checkCtxAccess('kprobe', 80, 8, false)).toMatchObject({ ok: true, kind: 'scalar', field: 'ax' });
    expect(linux618.progType('kretprobe')).toBe(linux618.progType('kprobe'));
    expect(linux618.progType('kprobe')!.ctx).toEqual({ name: 'pt_regs', size: 168 });
  });
});

describe('tracepoint: the raw record', () => {
  it('reads from byte 8 up to PERF_MAX_TRACE_SIZE; no writes', () => {
    check('tracepoint', [
      [8, 8, false, true], [12, 4, false, true], [17, 1, false, true], [8188, 4, false, true],
      [0, 8, false, false], [4, 4, false, false], [8192, 4, false, false], [10, 4, false, false], [8, 8, true, false],
    ]);
  });
});

describe('perf_event: struct bpf_perf_event_data', () => {
  it('regs as whole longs, sample_period and addr also narrow; no writes', () => {
    check('perf_event', [
      [0, 8, false, true], [128, 8, false, true], [168, 8, false, true], [176, 8, false, true], [168, 4, false, true], [172, 4, false, true],
      [176, 2, false, true], [183, 1, false, true],
      [0, 4, false, false], [184, 8, false, false], [168, 8, true, false],
    ]);
    expect(checkCtxAccess('perf_event', 172, 4, false)).toMatchObject({ field: 'sample_period', narrowedSize: 8 });
  });
});

describe('raw_tracepoint and raw_tracepoint.w', () => {
  it('raw_tp: u64 args[12], aligned reads of any size', () => {
    check('raw_tp', [
      [0, 8, false, true], [88, 8, false, true], [4, 4, false, true], [9, 1, false, true],
      [96, 8, false, false], [4, 8, false, false], [8, 8, true, false],
    ]);
  });
  it('raw_tp.w: args[0] is an 8-byte read of the writable buffer', () => {
    check('raw_tp.w', [[0, 8, false, true], [8, 8, false, true], [12, 4, false, true], [0, 4, false, false], [8, 8, true, false]]);
    expect(checkCtxAccess(24, 0, 8, false)).toMatchObject({ ok: true, pointer: 'tp_buffer' });
    expect(checkCtxAccess(24, 8, 8, false)).not.toHaveProperty('pointer');
  });
});

describe('fentry/fexit without BTF of the target (not kernel-recorded: needs attach_btf_id)', () => {
  it('8-aligned reads inside the 12 u64 slots; bounded by the argument count when known', () => {
    check('tracing', [[0, 8, false, true], [88, 8, false, true], [4, 4, false, false], [96, 8, false, false], [0, 8, true, false]]);
    expect(checkCtxAccess('tracing', 16, 8, false, { attachType: 'BPF_TRACE_FENTRY', btfArgCount: 2 }).ok).toBe(false);
    expect(checkCtxAccess('tracing', 16, 8, false, { attachType: 'BPF_TRACE_FEXIT', btfArgCount: 2 }).ok).toBe(true);
    expect(checkCtxAccess('tracing', 24, 8, false, { attachType: 'BPF_TRACE_FEXIT', btfArgCount: 2 }).ok).toBe(false);
  });
});

describe('return ranges of the tracing family', () => {
  it('kprobe, tracepoint, perf_event, raw_tp: anything; kprobe session [0,1]; fentry/fexit and BTF raw_tp [0,0]', () => {
    for (const n of ['kprobe', 'tracepoint', 'perf_event', 'raw_tp', 'raw_tp.w']) expect(linux618.progType(n)!.returnRange(), n).toBeUndefined();
    expect(linux618.progType('kprobe')!.returnRange('BPF_TRACE_KPROBE_SESSION')).toEqual({ min: 0, max: 1 });
    expect(linux618.progType('tracing')!.returnRange('BPF_TRACE_FEXIT')).toEqual({ min: 0, max: 0 });
    expect(linux618.progType('raw_tp')!.returnRange(undefined, { attachBtf: true })).toEqual({ min: 0, max: 0 });
  });
});

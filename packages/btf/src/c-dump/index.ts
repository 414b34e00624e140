/**
 * BTF → C header, byte-identical to `bpftool btf dump file X format c` of bpftool 7.1
 * (libbpf 1.1 `btf_dump`): every type id from `startId` up is handed to the dumper in
 * order; each request orders its dependencies topologically and emits definitions and
 * the forward declarations they need.
 */
import type { BtfType } from '../types.js';
import { DumpContext } from './context.js';
import { tableOf } from './table.js';
import { emitType } from './emit.js';
import { BtfCDumpError } from './errors.js';
import { orderType } from './order.js';

export { BtfCDumpError, type BtfCDumpErrorCode } from './errors.js';

export interface DumpCOptions {
  /** Dump only these ids (and what they need), like bpftool's `root_id`; default: all. */
  readonly rootIds?: readonly number[];
  /** First id to dump when `rootIds` is absent (default 1). */
  readonly startId?: number;
}

const HEADER =
  '#ifndef __VMLINUX_H__\n' +
  '#define __VMLINUX_H__\n' +
  '\n' +
  '#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n' +
  '#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n' +
  '#endif\n\n';

const FOOTER =
  '#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n' +
  '#pragma clang attribute pop\n' +
  '#endif\n' +
  '\n' +
  '#endif /* __VMLINUX_H__ */\n';

/** One `btf_dump__dump_type` request: order `id`'s dependencies, then emit them. */
function dumpType(ctx: DumpContext, id: number): void {
  if (id < 0 || id >= ctx.count) throw new BtfCDumpError('BAD_TYPE', `no type with id ${id}`, id);
  ctx.queueLen = 0;
  orderType(ctx, id, false);
  const queue = ctx.queue;
  for (let i = 0; i < ctx.queueLen; i++) emitType(ctx, queue[i], 0);
}

/** The whole `bpftool btf dump … format c` output for `btf`. */
export function dumpC(btf: { readonly types: readonly BtfType[] }, opts: DumpCOptions = {}): string {
  try {
    return dumpCUnchecked(btf, opts);
  } catch (e) {
    // Self-containing anonymous types or absurdly deep chains recurse without end.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new BtfCDumpError('TOO_DEEP', 'type nesting too deep to render (type loop through anonymous types?)', 0);
    }
    throw e;
  }
}

function dumpCUnchecked(btf: { readonly types: readonly BtfType[] }, opts: DumpCOptions): string {
  const ctx = new DumpContext(tableOf(btf));
  ctx.out.push(HEADER);
  if (opts.rootIds && opts.rootIds.length) {
    for (const id of opts.rootIds) dumpType(ctx, id);
  } else {
    const n = ctx.count;
    for (let id = opts.startId ?? 1; id < n; id++) dumpType(ctx, id);
  }
  ctx.out.push(FOOTER);
  return ctx.out.toString();
}

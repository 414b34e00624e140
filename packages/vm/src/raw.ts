/**
 * Raw bytecode without an object (the bpf_conformance protocol): r1 = a writable copy of
 * `mem` (0 when none), r2 = its length, r10 = top of the stack; checked mode. Helpers are the
 * core's; there are no maps. r2 is set by a one-instruction prologue (`r2 = len`) placed before
 * the program, so fault instruction indices are reported relative to the program itself.
 */
import type { Core } from '@bpfkit/vm-wasm';
import { newCore } from './core.js';
import { RunFault, type Engine, type EngineName } from './engine.js';
import { createEngine } from './engines.js';
import { LoadError, RunError } from './errors.js';
import { relocate } from './image.js';

export interface RawRunOptions {
  readonly engine?: EngineName | Engine;
  readonly mem?: Uint8Array;
  readonly budget?: bigint | number;
  /** Reuse this core (a fresh one otherwise). */
  readonly core?: Core;
  readonly checked?: boolean;
}

export interface RawRunResult {
  readonly r0: bigint;
  readonly insns: number;
  /** `mem` after the run. */
  readonly mem: Uint8Array;
}

const noMaps = { mapAddr: () => undefined, mapValueAddr: () => undefined, kfuncName: () => undefined };

export async function runRaw(program: Uint8Array, opts: RawRunOptions = {}): Promise<RawRunResult> {
  const core = opts.core ?? (await newCore({}));
  const engine = typeof opts.engine === 'object' ? opts.engine : createEngine(opts.engine ?? 'wasm');
  if (program.byteLength === 0 || program.byteLength % 8 !== 0) {
    throw new LoadError('BAD_OBJECT', `program of ${program.byteLength} bytes is not a whole number of 8-byte instructions`);
  }
  const rel = relocate('raw', program, noMaps);
  const mem = opts.mem ?? new Uint8Array(0);
  const memAddr = mem.byteLength ? core.staticAlloc(mem.byteLength, 8) : 0;
  if (mem.byteLength) {
    core.u8.set(mem, memAddr);
    core.regionAdd(memAddr, mem.byteLength, 3);
  }
  const text = new Uint8Array(rel.text.byteLength + 8);
  // r2 = len: mov64 imm (0xb7), dst 2
  text[0] = 0xb7;
  text[1] = 0x02;
  new DataView(text.buffer).setInt32(4, mem.byteLength, true);
  text.set(rel.text, 8);
  const textAddr = core.staticAlloc(text.byteLength, 8);
  core.u8.set(text, textAddr);
  const prepared = engine.prepare(core, { name: 'raw', text, textAddr, slots: text.byteLength / 8, describeCall: rel.describeCall });
  try {
    const r = prepared.run({ r1: BigInt(memAddr), checked: opts.checked ?? true, budget: BigInt(opts.budget ?? 100_000_000) });
    return { r0: BigInt.asUintN(64, r.r0), insns: r.insns - 1, mem: mem.byteLength ? core.u8.slice(memAddr, memAddr + mem.byteLength) : mem };
  } catch (e) {
    if (e instanceof RunFault) {
      const pc = e.pc - 1;
      const msg = e.message.replace(/insn (\d+)/, (_, n: string) => `insn ${Number(n) - 1}`);
      throw new RunError(msg, 'raw', e.code, pc, e.addr !== undefined ? { addr: e.addr } : {});
    }
    throw e;
  } finally {
    core.endRun();
  }
}

/**
 * `bpfkit bench FILE --prog NAME [--engine wasm|ts|all] [--data HEX | --data-size N] [--time MS]`:
 * the program run over and over on each engine (verified mode when the verifier accepts it — no
 * per-access checks —, else checked mode), side by side: instructions per run, runs, ns per run
 * and millions of BPF instructions per second.
 */
import type { Instance } from '@bpfkit/vm';
import { CliError, EXIT_OK, EXIT_REJECTED } from '../errors.js';
import type { Out } from '../output.js';
import { table } from '../table.js';
import { instanceFor, packetFromOptions, type RunCliOptions } from './run.js';

export interface BenchCliOptions extends RunCliOptions {
  time?: string;
}

export interface BenchResult {
  engine: 'wasm' | 'ts';
  mode: 'verified' | 'checked';
  insnsPerRun: number;
  runs: number;
  nsPerRun: number;
  mInsnsPerSec: number;
}

export interface BenchJson {
  results: BenchResult[];
}

/** An instance running `prog` verified when the verifier accepts it, else checked. */
async function instanceForBench(file: string, prog: string, engine: 'wasm' | 'ts'): Promise<{ inst: Instance; mode: BenchResult['mode'] }> {
  const inst = await instanceFor(file, { engine, verify: true });
  if (!inst.programs.some((p) => p.name === prog)) {
    throw new CliError(`no program named '${prog}' (programs: ${inst.programs.map((p) => p.name).join(', ') || 'none'})`);
  }
  if (inst.verify(prog).accepted) return { inst, mode: 'verified' };
  return { inst: await instanceFor(file, { engine }), mode: 'checked' };
}

/** Runs `prog` in batches for about `timeMs`; `tick(elapsedMs)` after each batch. */
export function measure(inst: Instance, prog: string, data: Uint8Array, timeMs: number, tick: (elapsedMs: number) => void): Omit<BenchResult, 'engine' | 'mode'> {
  const first = inst.run(prog, { data }); // warm-up, and the instruction count
  const insnsPerRun = first.insns;
  let batch = 1;
  let runs = 0;
  let ns = 0;
  const budgetNs = timeMs * 1e6;
  while (ns < budgetNs) {
    const t0 = process.hrtime.bigint();
    inst.run(prog, { data, repeat: batch });
    const dt = Number(process.hrtime.bigint() - t0);
    runs += batch;
    ns += dt;
    tick(ns / 1e6);
    // batches of ~25 ms: a responsive bar, little timing overhead
    const per = Math.max(1, dt / batch);
    batch = Math.max(1, Math.min(10_000_000, Math.floor(25e6 / per), Math.ceil((budgetNs - ns) / per)));
  }
  const nsPerRun = ns / runs;
  return {
    insnsPerRun,
    runs,
    nsPerRun: Math.round(nsPerRun * 10) / 10,
    mInsnsPerSec: Math.round(((insnsPerRun * runs) / ns) * 1e3 * 10) / 10,
  };
}

function timeOption(v: string | undefined): number {
  if (v === undefined) return 1000;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 600_000) throw new CliError(`--time must be a whole number of milliseconds between 1 and 600000, got '${v}'`);
  return Number(v);
}

export async function benchCommand(file: string, opts: BenchCliOptions, out: Out, stderr: (s: string) => void): Promise<number> {
  const prog = opts.prog?.[0];
  if (!prog || opts.prog!.length > 1) throw new CliError('give one --prog NAME to measure');
  const engineOpt = opts.engine ?? 'all';
  if (!['wasm', 'ts', 'all'].includes(engineOpt)) throw new CliError(`--engine must be wasm, ts or all, got '${engineOpt}'`);
  const engines: ('wasm' | 'ts')[] = engineOpt === 'all' ? ['wasm', 'ts'] : [engineOpt as 'wasm' | 'ts'];
  const timeMs = timeOption(opts.time);
  const data = packetFromOptions(opts);
  const { RunError, LoadError } = await import('@bpfkit/vm');
  const { progress } = await import('../progress.js');
  const total = timeMs * engines.length;
  const bar = progress(`bench ${prog}`, total);
  const results: BenchResult[] = [];
  try {
    for (const [i, engine] of engines.entries()) {
      const { inst, mode } = await instanceForBench(file, prog, engine);
      const m = measure(inst, prog, data, timeMs, (ms) => bar.update(i * timeMs + ms));
      results.push({ engine, mode, ...m });
    }
  } catch (e) {
    bar.done();
    if (e instanceof RunError) {
      stderr(`bpfkit: ${file}: ${e.message}\n`);
      return EXIT_REJECTED;
    }
    if (e instanceof LoadError || e instanceof RangeError) throw new CliError(e.message);
    throw e;
  }
  bar.done();
  if (out.json) {
    out.writeJson({ results } satisfies BenchJson);
    return EXIT_OK;
  }
  const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  let s = `${out.bold(prog)}: ${data.byteLength}-byte input, ${n(timeMs)} ms per engine\n`;
  s += table(
    ['engine', 'mode', 'insns/run', 'runs', 'ns/run', 'M insns/s'],
    results.map((r) => [r.engine, r.mode, n(r.insnsPerRun), n(r.runs), n(r.nsPerRun, 1), n(r.mInsnsPerSec, 1)]),
  );
  if (results.length === 2) {
    const [a, b] = results as [BenchResult, BenchResult];
    const fast = a.nsPerRun <= b.nsPerRun ? a : b;
    const slow = fast === a ? b : a;
    s += out.dim(`  ${fast.engine} is ${n(slow.nsPerRun / fast.nsPerRun, 2)}× as fast as ${slow.engine} on this program\n`);
  }
  out.write(s);
  return EXIT_OK;
}

/**
 * `bpfkit demo [--events N] [--engine wasm|ts] [--seed S]`: the bundled deadline scheduler
 * (demo/sched.bpf.c, committed with its object) end to end — verify its three programs, run a
 * seeded stream of enqueue / dispatch / reap events (the mix of demo/record-kernel.mjs, whose
 * first 250 events the kernel ran), then show throughput, the run queue, the heap, and the
 * final red-black tree and FIFO.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Instance } from '@bpfkit/vm';
import { CliError, EXIT_OK, EXIT_REJECTED } from '../errors.js';
import type { Out } from '../output.js';
import { countOf, renderAscii, toJson, type GraphJson } from '../graph/index.js';
import { graphView, truncateView } from './graph.js';

export type SchedProg = 'sched_enqueue' | 'sched_dispatch' | 'sched_reap';
export const SCHED_PROGS: readonly SchedProg[] = ['sched_enqueue', 'sched_dispatch', 'sched_reap'];

/** The seed of demo/record-kernel.mjs: with it, the first 250 events are the kernel's. */
export const DEFAULT_SEED = 0x9e3779b9;

export interface SchedEvent {
  prog: SchedProg;
  deadline: number;
  pid: number;
  cpu: number;
}

/** The event stream of demo/record-kernel.mjs: 45 % enqueue, 35 % dispatch, 20 % reap. */
export function* schedEvents(count: number, seed: number = DEFAULT_SEED): Generator<SchedEvent> {
  let s = seed >>> 0;
  const rnd = (): number => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0), s);
  for (let i = 0; i < count; i++) {
    const r = rnd() % 100;
    if (r < 45) yield { prog: 'sched_enqueue', deadline: rnd() % 10000, pid: i + 1, cpu: 0 };
    else if (r < 80) yield { prog: 'sched_dispatch', deadline: 0, pid: 0, cpu: rnd() % 4 };
    else yield { prog: 'sched_reap', deadline: 0, pid: 0, cpu: 0 };
  }
}

/** `struct sched_args` { u64 deadline; u32 pid; u32 cpu; } as the syscall program's ctx. */
export function schedArgs(e: SchedEvent, into: Uint8Array = new Uint8Array(16)): Uint8Array {
  const v = new DataView(into.buffer, into.byteOffset, 16);
  v.setBigUint64(0, BigInt(e.deadline), true);
  v.setUint32(8, e.pid, true);
  v.setUint32(12, e.cpu, true);
  return into;
}

/** demo/sched.bpf.o of this package, wherever it is installed and whatever the cwd. */
export function demoObjectPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === '@bpfkit/cli') return join(dir, 'demo', 'sched.bpf.o');
      } catch {
        // not ours: keep looking
      }
    }
    dir = dirname(dir);
  }
  throw new CliError('the demo object demo/sched.bpf.o was not found beside the @bpfkit/cli package');
}

export interface DemoCliOptions {
  events?: string;
  engine?: string;
  seed?: string;
}

export interface DemoJson {
  object: string;
  engine: 'wasm' | 'ts';
  seed: number;
  programs: { name: string; accepted: boolean; message?: string }[];
  events: number;
  counts: Record<SchedProg, number>;
  /** dispatches that found a task, reaps that released one */
  dispatched: number;
  released: number;
  seconds: number;
  eventsPerSec: number;
  mInsnsPerSec: number;
  runqueue: { nrQueued: number; nrDispatched: number; waiting: number; fifo: number };
  cpus: { cpu: number; switches: number; currentPid: number | null }[];
  heap: { objects: number; bytes: number };
  graph: GraphJson;
}

function wholeNumber(v: string | undefined, flag: string, dflt: number, max: number): number {
  if (v === undefined) return dflt;
  const t = v.replace(/_/g, '');
  if (!/^(\d+|0x[0-9a-f]+)$/i.test(t) || Number(t) > max) throw new CliError(`${flag} must be a whole number up to ${max}, got '${v}'`);
  return Number(t);
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);

export async function demoCommand(opts: DemoCliOptions, out: Out, stderr: (s: string) => void): Promise<number> {
  const events = wholeNumber(opts.events, '--events', 100_000, 10_000_000);
  const seed = wholeNumber(opts.seed, '--seed', DEFAULT_SEED, 0xffffffff);
  const engine = opts.engine ?? 'wasm';
  if (engine !== 'wasm' && engine !== 'ts') throw new CliError(`--engine must be wasm or ts, got '${engine}'`);
  const file = demoObjectPath();
  const { loadInstance, RunError } = await import('@bpfkit/vm');
  const inst: Instance = await loadInstance(readFileSync(file), { engine, verify: true, name: 'sched' });
  const programs = SCHED_PROGS.map((name) => {
    const v = inst.verify(name);
    return { name, accepted: v.accepted, ...(v.message ? { message: v.message } : {}) };
  });
  let s = '';
  if (!out.json) {
    s += `${out.bold('bpfkit demo')}: a deadline scheduler in BPF graph collections (${file.replace(/\\/g, '/').split('/').slice(-2).join('/')}, C source beside it)\n`;
    s += `tasks are refcounted bpf_obj_new objects in an rbtree by deadline and a FIFO list, dispatched into per-CPU bpf_kptr_xchg slots\n\n`;
    s += `${out.bold('verify')} (Linux 6.18 rules)\n`;
    for (const p of programs) s += `  ${p.name.padEnd(15)} ${p.accepted ? out.green('accepted') : out.red(`rejected: ${p.message ?? ''}`)}\n`;
    out.write(s);
    s = '';
  }
  if (programs.some((p) => !p.accepted)) {
    stderr(`bpfkit: ${file}: the verifier rejected ${programs.filter((p) => !p.accepted).map((p) => p.name).join(', ')}\n`);
    return EXIT_REJECTED;
  }

  // the event stream
  const counts: Record<SchedProg, number> = { sched_enqueue: 0, sched_dispatch: 0, sched_reap: 0 };
  let dispatched = 0;
  let released = 0;
  let insns = 0;
  const ctx = new Uint8Array(16);
  const { progress } = await import('../progress.js');
  const bar = progress('demo', events, { detail: (d) => `${d.toLocaleString('en-US')} events` });
  const t0 = process.hrtime.bigint();
  let i = 0;
  try {
    for (const e of schedEvents(events, seed)) {
      const r = inst.run(e.prog, { ctx: schedArgs(e, ctx) });
      counts[e.prog]++;
      insns += r.insns;
      if (e.prog === 'sched_dispatch' && r.retval > 0) dispatched++;
      else if (e.prog === 'sched_reap' && r.retval === 1) released++;
      if ((++i & 4095) === 0) bar.update(i);
    }
  } catch (err) {
    bar.done();
    if (err instanceof RunError) {
      stderr(`bpfkit: ${file}: event ${i + 1}: ${err.message}\n`);
      return EXIT_REJECTED;
    }
    throw err;
  }
  bar.done();
  const ns = Number(process.hrtime.bigint() - t0);

  const rq = inst.map('rq').lookupValue(0) as Record<string, unknown>;
  const view = graphView(inst, { map: 'rq' }, `map rq key 0 after ${events.toLocaleString('en-US')} events`);
  const waiting = view.collections.find((c) => c.kind === 'rbtree');
  const fifo = view.collections.find((c) => c.kind === 'list');
  const cpus = [0, 1, 2, 3].map((cpu) => {
    const v = inst.map('cpus').lookupValue(cpu) as { switches?: unknown; curr?: { value?: { pid?: unknown } } } | undefined;
    const pid = v?.curr?.value?.pid;
    return { cpu, switches: num(v?.switches), currentPid: pid === undefined ? null : num(pid) };
  });
  const picture = truncateView(view, 3, 8);
    const json: DemoJson = {
    object: file,
    engine,
    seed,
    programs,
    events,
    counts,
    dispatched,
    released,
    seconds: Math.round(ns / 1e6) / 1e3,
    eventsPerSec: Math.round(events / (ns / 1e9)),
    mInsnsPerSec: Math.round((insns / (ns / 1e3)) * 10) / 10,
    runqueue: { nrQueued: num(rq.nr_queued), nrDispatched: num(rq.nr_dispatched), waiting: waiting ? countOf(waiting) : 0, fifo: fifo ? countOf(fifo) : 0 },
    cpus,
    heap: inst.heap(),
    graph: toJson(picture),
  };
  if (out.json) {
    out.writeJson(json);
    return EXIT_OK;
  }
  const n = (x: number) => x.toLocaleString('en-US');
  s += `\n${out.bold('run')} ${n(events)} events on the ${engine} engine (seed ${seed}): ${n(counts.sched_enqueue)} enqueue, ${n(counts.sched_dispatch)} dispatch, ${n(counts.sched_reap)} reap\n`;
  s += `  ${json.seconds.toFixed(2)} s: ${out.cyan(n(json.eventsPerSec))} events/s, ${out.cyan(json.mInsnsPerSec.toFixed(1))} M insns/s (${n(insns)} BPF instructions)\n`;
  s += `\n${out.bold('run queue')}\n`;
  s += `  nr_queued ${n(json.runqueue.nrQueued)}, nr_dispatched ${n(json.runqueue.nrDispatched)}; waiting in the tree ${n(json.runqueue.waiting)}, in the FIFO ${n(json.runqueue.fifo)}\n`;
  s += `  dispatches that found a task ${n(dispatched)}, reaps that released one ${n(released)}\n`;
  s += `  cpus: ${cpus.map((c) => `cpu${c.cpu} ${n(c.switches)} switches, running ${c.currentPid === null ? '-' : `pid ${c.currentPid}`}`).join('; ')}\n`;
  s += `\n${out.bold('heap')}: ${n(json.heap.objects)} live objects, ${n(json.heap.bytes)} bytes (a task stays in the FIFO until reaped; waiting ones are also in the tree, running ones in a CPU slot)\n`;
  s += `\n${out.bold('final state')} (the tree to depth 3, the FIFO's first 8)\n`;
  s += renderAscii(picture, { red: out.red, dim: out.dim });
  const shown = relative(process.cwd(), file);
  const f = shown.startsWith('..') || isAbsolute(shown) ? file : shown;
  s += out.dim(`\nnext: bpfkit verify ${f}\n      bpfkit graph ${f} --after sched_enqueue@2c010000000000000100000000000000 --map rq\n`);
  out.write(s);
  return EXIT_OK;
}

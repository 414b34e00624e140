/**
 * `bpfkit demo` end to end (spawned from another directory: the object is found beside the
 * package), and the scheduler it runs checked against the kernel: the 250 events of
 * demo/kernel-runs.json replayed on both engines give the kernel's return values, in order.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, test } from 'vitest';
import { loadInstance } from '@bpfkit/vm';
import { schedArgs, schedEvents } from './commands/demo.js';
import { bpfkit } from './testing/spawn.js';

const OBJ = new URL('../demo/sched.bpf.o', import.meta.url);
const kernel = JSON.parse(readFileSync(new URL('../demo/kernel-runs.json', import.meta.url), 'utf8')) as {
  kernel: string;
  events: { prog: string; args: string; retval: number }[];
};

describe('bpfkit demo', () => {
  test('the main job: verify, 100,000 events on wasm, throughput, run queue, heap, final tree — under 10 s, from any cwd', () => {
    const t0 = performance.now();
    const r = bpfkit(['demo'], {}, { cwd: tmpdir() });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(seconds).toBeLessThan(10);
    const o = r.stdout;
    for (const p of ['sched_enqueue', 'sched_dispatch', 'sched_reap']) expect(o).toMatch(new RegExp(`^  ${p} +accepted$`, 'm'));
    expect(o).toMatch(/^run 100,000 events on the wasm engine \(seed 2654435769\): 44,918 enqueue, 35,085 dispatch, 19,997 reap$/m);
    expect(o).toMatch(/^ {2}\d+\.\d\d s: [\d,]+ events\/s, \d+\.\d M insns\/s \([\d,]+ BPF instructions\)$/m);
    // every enqueue counted; every dispatch that found a task took it out of the tree
    const rq = /nr_queued ([\d,]+), nr_dispatched ([\d,]+); waiting in the tree ([\d,]+), in the FIFO ([\d,]+)/.exec(o);
    expect(rq).not.toBeNull();
    const [queued, dispatched, waiting] = rq!.slice(1, 4).map((x) => Number(x.replace(/,/g, ''))) as [number, number, number];
    expect(queued).toBe(44_918);
    expect(queued - dispatched).toBe(waiting);
    expect(o).toMatch(/^heap: [\d,]+ live objects, [\d,]+ bytes/m);
    // the tree picture: a black root, depth-limited, and the FIFO excerpt
    expect(o).toMatch(/^by_deadline \(15 of [\d,]+ shown\) {2}\(rbtree, 15 nodes\)$/m);
    expect(o).toMatch(/^ {2}● B deadline=\d+ pid=\d+ dispatched=0$/m);
    expect(o).toMatch(/… [\d,]+ below$/m);
    expect(o).toMatch(/^arrivals \(8 of [\d,]+ shown\)/m);
    expect(o).toMatch(/└─ \[8\] … [\d,]+ more$/m);
    expect(o).not.toMatch(/\x1b\[/);
  });

  test('--json: the same counters on both engines (a seeded, deterministic run)', () => {
    const run = (engine: string) => {
      const r = bpfkit(['--json', 'demo', '--events', '3000', '--engine', engine, '--seed', '7']);
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown> & { runqueue: { nrQueued: number; nrDispatched: number; waiting: number; fifo: number }; heap: { objects: number } };
    };
    const w = run('wasm');
    const t = run('ts');
    expect(Object.keys(w)).toEqual(['object', 'engine', 'seed', 'programs', 'events', 'counts', 'dispatched', 'released', 'seconds', 'eventsPerSec', 'mInsnsPerSec', 'runqueue', 'cpus', 'heap', 'graph']);
    expect(w.engine).toBe('wasm');
    expect(t.engine).toBe('ts');
    expect(w.seed).toBe(7);
    expect(w.programs).toEqual([
      { name: 'sched_enqueue', accepted: true },
      { name: 'sched_dispatch', accepted: true },
      { name: 'sched_reap', accepted: true },
    ]);
    for (const k of ['counts', 'dispatched', 'released', 'runqueue', 'cpus', 'heap', 'graph'] as const) expect(t[k]).toEqual(w[k]);
    expect(w.runqueue.nrQueued - w.runqueue.nrDispatched).toBe(w.runqueue.waiting);
    expect(w.heap.objects).toBeGreaterThanOrEqual(w.runqueue.fifo);
  });

  test('bad flags: exit 2, one line', () => {
    for (const args of [['demo', '--events', 'many'], ['demo', '--engine', 'jit'], ['demo', '--seed', '-1']]) {
      const r = bpfkit(args);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^bpfkit: /);
    }
  });
});

describe('the demo scheduler against the kernel', () => {
  test("the demo's event stream starts with the kernel-recorded events", () => {
    const ours = [...schedEvents(kernel.events.length)].map((e) => ({ prog: e.prog, args: Buffer.from(schedArgs(e)).toString('hex') }));
    expect(ours).toEqual(kernel.events.map(({ prog, args }) => ({ prog, args })));
  });

  for (const [engine, verify] of [['wasm', true], ['ts', true], ['wasm', false], ['ts', false]] as const) {
    test(`${engine} (${verify ? 'verified' : 'checked'}): the 250 events give the kernel's return values (${kernel.kernel}), event by event`, async () => {
      const vm = await loadInstance(readFileSync(OBJ), { engine, verify, name: 'sched' });
      const got = kernel.events.map((e) => vm.run(e.prog, { ctx: Uint8Array.from(Buffer.from(e.args, 'hex')) }).retval);
      expect(got).toEqual(kernel.events.map((e) => e.retval));
      // some of each outcome, so the comparison means something
      expect(new Set(kernel.events.map((e) => `${e.prog}:${Math.sign(e.retval)}`)).size).toBeGreaterThanOrEqual(5);
    });
  }
});

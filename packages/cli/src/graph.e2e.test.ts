/**
 * End-to-end: `bpfkit graph` spawned as a process. The pictures of fixed runs are goldens
 * (src/__golden__/graph.*); the JSON is nodes and edges; errors are one line with exit 2.
 */
import { describe, expect, test } from 'vitest';
import { bpfkit, golden } from './testing/spawn.js';

const SCHED = 'packages/cli/demo/sched.bpf.o';
/** struct sched_args { u64 deadline; u32 pid; u32 cpu; } as hex */
const args = (deadline: number, pid: number, cpu = 0): string => {
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(BigInt(deadline), 0);
  b.writeUInt32LE(pid, 8);
  b.writeUInt32LE(cpu, 12);
  return b.toString('hex');
};
/** Seven tasks, then one dispatch (takes deadline 50, pid 4) and one reap (pid 1 is still waiting: back to the FIFO). */
const SCHED_RUNS = [
  ...[
    [300, 1],
    [200, 2],
    [700, 3],
    [50, 4],
    [500, 5],
    [100, 6],
    [650, 7],
  ].flatMap(([d, p]) => ['--after', `sched_enqueue@${args(d!, p!)}`]),
  '--after',
  `sched_dispatch@${args(0, 0, 2)}`,
  '--after',
  `sched_reap@${args(0, 0)}`,
];

function oneLineError(r: { status: number | null; stderr: string; stdout: string }, status: number, pattern: RegExp): void {
  expect(r.status).toBe(status);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^bpfkit: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('bpfkit graph', () => {
  test('ascii: the scheduler run queue after fixed runs (golden)', () => {
    const r = bpfkit(['graph', SCHED, ...SCHED_RUNS, '--map', 'rq']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(golden('graph.sched.ascii.txt', r.stdout));
    // six tasks wait in the tree in deadline order; the FIFO keeps arrival order (pid 1 went round)
    expect(r.stdout).toMatch(/by_deadline {2}\(rbtree, 6 nodes\)/);
    expect(r.stdout).toMatch(/arrivals {2}\(list, 7 nodes\)/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  test('dot and svg of the same state (goldens); svg needs no graphviz', () => {
    const dot = bpfkit(['graph', SCHED, ...SCHED_RUNS, '--map', 'rq', '--format', 'dot']);
    expect(dot.status).toBe(0);
    expect(dot.stdout).toMatch(/^digraph bpfkit \{/);
    expect(dot.stdout).toBe(golden('graph.sched.dot', dot.stdout));
    const svg = bpfkit(['graph', SCHED, ...SCHED_RUNS, '--map', 'rq', '--format', 'svg']);
    expect(svg.status).toBe(0);
    expect(svg.stdout).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.stdout.trimEnd()).toMatch(/<\/svg>$/);
    expect(svg.stdout).toBe(golden('graph.sched.svg', svg.stdout));
  });

  test('a global section: rbtree.bpf.o after rbtree_add_three (golden)', () => {
    const r = bpfkit(['graph', 'fixtures/obj/rbtree.bpf.o', '--after', 'rbtree_add_three', '--global', '.data.R']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(golden('graph.rbtree.ascii.txt', r.stdout));
    expect(r.stdout).toContain('● B key=3 data=6');
  });

  test('nested lists: list_nested.bpf.o (golden)', () => {
    const r = bpfkit(['graph', 'fixtures/obj/list_nested.bpf.o', '--after', 'nested_push', '--after', 'nested_push', '--map', 'roots']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(golden('graph.list_nested.ascii.txt', r.stdout));
    expect(r.stdout).toMatch(/inners {2}\(list, 1 node\)/);
  });

  test('objects stashed with bpf_kptr_xchg: the task running on cpu 2 (golden)', () => {
    const r = bpfkit(['graph', SCHED, ...SCHED_RUNS, '--map', 'cpus', '--key', '2']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(golden('graph.sched-cpu2.ascii.txt', r.stdout));
    expect(r.stdout).toMatch(/^curr \(kptr\) {2}\(list, 1 node\)\n {2}└─ \[0\] deadline=50 pid=4 dispatched=1$/m);
    // cpu 0 runs nothing
    expect(bpfkit(['graph', SCHED, ...SCHED_RUNS, '--map', 'cpus', '--key', '0']).stdout).toMatch(/\(no bpf_list_head or bpf_rb_root in map cpus key 0\)/);
  });

  test('--json: nodes and edges, colours, tree order', () => {
    const r = bpfkit(['--json', 'graph', SCHED, ...SCHED_RUNS, '--map', 'rq']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as {
      source: string;
      collections: { kind: string; name: string; count: number; nodes: { id: string; label: string; color?: string }[]; edges: { from: string; to: string; kind: string }[]; nested: unknown[] }[];
    };
    expect(j.source).toMatch(/^map rq key 0 after sched_enqueue/);
    expect(j.collections.map((c) => [c.kind, c.name, c.count])).toEqual([
      ['rbtree', 'by_deadline', 6],
      ['list', 'arrivals', 7],
    ]);
    const tree = j.collections[0]!;
    expect(tree.nodes.map((n) => n.label.split(' ')[0])).toEqual(['deadline=100', 'deadline=200', 'deadline=300', 'deadline=500', 'deadline=650', 'deadline=700']);
    expect(tree.nodes.every((n) => n.color === 'red' || n.color === 'black')).toBe(true);
    // a tree of 6 nodes has 5 parent-child edges
    expect(tree.edges.filter((e) => e.kind === 'left' || e.kind === 'right')).toHaveLength(5);
    const fifo = j.collections[1]!;
    expect(fifo.nodes.map((n) => /pid=(\d+)/.exec(n.label)![1])).toEqual(['2', '3', '4', '5', '6', '7', '1']);
    expect(fifo.edges).toHaveLength(6);
  });

  test('colour on request (FORCE_COLOR), never with NO_COLOR or --no-color', () => {
    const coloured = bpfkit(['graph', 'fixtures/obj/rbtree.bpf.o', '--after', 'rbtree_add_three', '--global', '.data.R'], { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(coloured.stdout).toContain('\x1b[31m○ R');
    const off = bpfkit(['--no-color', 'graph', 'fixtures/obj/rbtree.bpf.o', '--after', 'rbtree_add_three', '--global', '.data.R'], { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(off.stdout).not.toMatch(/\x1b\[/);
  });

  test('a fault in an --after run: the state so far, the error on stderr, exit 1', () => {
    // 2 bytes of ctx: the program reads args->deadline beyond it
    const r = bpfkit(['graph', SCHED, '--after', 'sched_enqueue@2c01', '--map', 'rq']);
    oneLineError(r, 1, /sched\.bpf\.o: prog 'sched_enqueue': bad memory access at insn \d+ .*sched\.bpf\.c:\d+/);
    expect(r.stdout).toContain('(empty)');
  });

  test('bad input: exit 2, one line naming the file and what is wrong', () => {
    oneLineError(bpfkit(['graph', SCHED, '--map', 'nope']), 2, /sched\.bpf\.o: no map named 'nope' \(maps: cpus, rq\)/);
    oneLineError(bpfkit(['graph', SCHED, '--map', 'rq', '--key', '3']), 2, /map 'rq': no such key/);
    oneLineError(bpfkit(['graph', SCHED]), 2, /give one of --map NAME or --global SECTION/);
    oneLineError(bpfkit(['graph', SCHED, '--map', 'rq', '--after', 'sched_nope']), 2, /no program named 'sched_nope'/);
    oneLineError(bpfkit(['graph', SCHED, '--map', 'rq', '--format', 'png']), 2, /--format/);
    oneLineError(bpfkit(['graph', 'fixtures/obj/nope.bpf.o', '--map', 'rq']), 2, /nope\.bpf\.o: no such file/);
    oneLineError(bpfkit(['graph', 'fixtures/obj/rbtree.bpf.o', '--global', 'trees']), 2, /'trees' is a map, not a global section/);
  });
});

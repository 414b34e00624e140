/**
 * The BTF-load ownership-graph shapes of graph-collections.md §1.9 (the
 * selftests' linked_list `test_btf` table), confirmed against Linux 6.18:
 * each shape's program BTF was loaded with BPF_BTF_LOAD and the kernel's
 * verdict (0 or the errno) is recorded in __fixtures__/ownership-kernel.json.
 * Our load-time check (checkOwnershipGraph) must give the same verdict and the
 * same error class (errno) for every shape.
 *
 * Re-record (root, Linux 6.18, `make -C tools/oracle` first):
 *   RECORD_BTF_SHAPES=1 npx vitest run --project btf src/ownership-kernel.test.ts
 * The recording stores each blob's sha256, so a shape edited after recording fails.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BtfRecordError } from './errors.js';
import { checkOwnershipGraph } from './ownership.js';
import { parseBtf } from './parse.js';
import { BtfBuilder } from './testing/builder.js';

const RECORDING = new URL('./__fixtures__/ownership-kernel.json', import.meta.url);
const ORACLE = new URL('../../../tools/oracle/bpf-oracle', import.meta.url);

/** Program BTF with the UAPI special structs and a struct DSL: [name, type, byteOffset]. */
class Prog {
  readonly b = new BtfBuilder();
  readonly int = this.b.int('int', 4, { signed: true });
  readonly u64 = this.b.int('unsigned long long', 8);
  readonly lock = this.opaque('bpf_spin_lock', 4, this.int, 1);
  readonly head = this.opaque('bpf_list_head', 16, this.u64, 2);
  readonly node = this.opaque('bpf_list_node', 24, this.u64, 3);
  readonly rbnode = this.opaque('bpf_rb_node', 32, this.u64, 4);
  readonly refcount = this.opaque('bpf_refcount', 4, this.int, 1);
  private readonly sizes = new Map<number, number>([[this.int, 4], [this.u64, 8], [this.lock, 4], [this.head, 16], [this.node, 24], [this.rbnode, 32], [this.refcount, 4]]);

  private opaque(name: string, size: number, elem: number, n: number): number {
    const arr = n > 1 ? this.b.array(elem, this.int, n) : elem;
    return this.b.struct(name, size, [{ name: '__opaque', type: arr, offset: 0 }]);
  }

  struct(name: string, members: [string, number, number][]): number {
    const end = Math.max(0, ...members.map(([, t, off]) => off + (this.sizes.get(t) ?? 8)));
    const id = this.b.struct(name, Math.ceil(end / 8) * 8, members.map(([n, type, offset]) => ({ name: n, type, offset })));
    this.sizes.set(id, Math.ceil(end / 8) * 8);
    return id;
  }

  contains(structId: number, member: number, value: string): void {
    this.b.declTag(`contains:${value}`, structId, member);
  }
}

/** The §1.9 table, in its order: sub-test name -> BTF blob. */
function shapes(): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  const add = (name: string, f: (p: Prog) => void) => {
    const p = new Prog();
    f(p);
    out.push([name, p.b.build()]);
  };
  add('too many locks', (p) => {
    const foo = p.struct('foo', [['a', p.lock, 0], ['b', p.lock, 4], ['head', p.head, 8]]);
    p.contains(foo, 2, 'bar:node');
    p.struct('bar', [['node', p.node, 0]]);
  });
  add('missing lock', (p) => {
    const foo = p.struct('foo', [['head', p.head, 0]]);
    p.contains(foo, 0, 'bar:node');
    p.struct('bar', [['node', p.node, 0]]);
  });
  add('bad offset', (p) => {
    const foo = p.struct('foo', [['head', p.head, 0], ['node', p.node, 0], ['lock', p.lock, 0]]);
    p.contains(foo, 0, 'bar:node');
    p.struct('bar', [['node', p.node, 0]]);
  });
  add('missing contains:', (p) => {
    p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.struct('bar', [['node', p.node, 0]]);
  });
  add('missing struct', (p) => {
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'baz:node');
  });
  add('missing node', (p) => {
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'bar:nope');
    p.struct('bar', [['node', p.node, 0]]);
  });
  add('node incorrect type', (p) => {
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'bar:a');
    p.struct('bar', [['a', p.lock, 0]]);
  });
  add('multiple bpf_list_node with name b', (p) => {
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'bar:b');
    p.struct('bar', [['b', p.node, 0], ['b', p.node, 24]]);
  });
  add('owning | owned AA cycle', (p) => {
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(foo, 1, 'foo:node');
  });
  add('owning | owned ABA cycle', (p) => {
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(foo, 1, 'bar:node');
    const bar = p.struct('bar', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(bar, 1, 'foo:node');
  });
  add('owning -> owned', (p) => {
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'bar:node');
    p.struct('bar', [['data', p.int, 0], ['node', p.node, 8]]);
  });
  add('owning -> owning|owned -> owned', (p) => {
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(foo, 1, 'bar:node');
    const bar = p.struct('bar', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(bar, 1, 'baz:node');
    p.struct('baz', [['node', p.node, 0]]);
  });
  add('owning|owned -> owning|owned -> owned', (p) => {
    const foo = p.struct('foo', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(foo, 1, 'bar:node');
    const bar = p.struct('bar', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(bar, 1, 'baz:node');
    p.struct('baz', [['node', p.node, 0]]);
  });
  add('owning -> o|o -> o|o -> owned', (p) => {
    const a = p.struct('a', [['lock', p.lock, 0], ['head', p.head, 8]]);
    p.contains(a, 1, 'b:node');
    const b = p.struct('b', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(b, 1, 'c:node');
    const c = p.struct('c', [['lock', p.lock, 0], ['head', p.head, 8], ['node', p.node, 24]]);
    p.contains(c, 1, 'd:node');
    p.struct('d', [['node', p.node, 0]]);
  });
  add('list_node and rb_node in same struct', (p) => {
    p.struct('foo', [['node', p.node, 0], ['r', p.rbnode, 24], ['ref', p.refcount, 56]]);
  });
  add('list_node and rb_node in same struct, no bpf_refcount', (p) => {
    p.struct('foo', [['node', p.node, 0], ['r', p.rbnode, 24]]);
  });
  return out;
}

interface ShapeRecording {
  sha256: string;
  /** 0 when the kernel loaded the BTF, else the errno name (`E2BIG`, ...). */
  verdict: 0 | string;
  /** Last line of the kernel's BTF log (level 1). */
  lastLogLine: string;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function ours(blob: Uint8Array): 0 | string {
  try {
    checkOwnershipGraph(parseBtf(blob));
    return 0;
  } catch (e) {
    if (e instanceof BtfRecordError) return e.errno;
    throw e;
  }
}

if (process.env.RECORD_BTF_SHAPES === '1') {
  const list = shapes();
  const r = spawnSync(ORACLE.pathname, { input: list.map(([, b]) => `btf=${Buffer.from(b).toString('hex')}\n`).join(''), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bpf-oracle failed: ${r.stderr}`);
  const res = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { btfLoaded: boolean; errnoName: string; log: string });
  const kernel = spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim();
  const shapesOut = Object.fromEntries(list.map(([name, b], k) => {
    const lines = res[k]!.log.split('\n').filter((l) => l.trim() !== '');
    return [name, { sha256: sha(b), verdict: res[k]!.btfLoaded ? 0 : res[k]!.errnoName, lastLogLine: lines[lines.length - 1] ?? '' } satisfies ShapeRecording];
  }));
  writeFileSync(RECORDING, JSON.stringify({ kernel, method: 'tools/oracle/bpf-oracle `btf=HEX` (BPF_BTF_LOAD, log level 1)', shapes: shapesOut }, null, 2) + '\n');
}

describe('§1.9 ownership-graph shapes against Linux 6.18 (BPF_BTF_LOAD)', () => {
  const rec = existsSync(RECORDING) ? (JSON.parse(readFileSync(RECORDING, 'utf8')) as { shapes: Record<string, ShapeRecording> }).shapes : {};
  const list = shapes();

  it('every shape of the table is recorded, unchanged since recording', () => {
    expect(list.length).toBe(16);
    expect(Object.keys(rec).sort()).toEqual(list.map(([n]) => n).sort());
    for (const [name, blob] of list) expect(rec[name]!.sha256, name).toBe(sha(blob));
  });

  it('the kernel accepts and rejects both kinds of shape', () => {
    const verdicts = Object.values(rec).map((r) => r.verdict);
    expect(verdicts.filter((v) => v === 0).length).toBeGreaterThanOrEqual(3);
    expect(new Set(verdicts.filter((v) => v !== 0)).size).toBeGreaterThanOrEqual(4);
  });

  it.each(list.map(([n, b]) => [n, b] as const))('%s: same verdict and errno as the kernel', (name, blob) => {
    expect(ours(blob)).toBe(rec[name]!.verdict);
  });
});

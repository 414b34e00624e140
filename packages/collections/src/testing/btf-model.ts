/**
 * A program BTF for the tests, built with @bpfkit/btf's BtfBuilder:
 *
 *   struct plain { u64 x; };                                            // 8, no special fields
 *   struct leaf  { u64 key; struct bpf_list_node node; };               // 32
 *   struct elem  { u64 key; struct bpf_refcount rc; struct bpf_list_node l;
 *                  struct bpf_rb_node r; int prio; };                   // 80
 *   struct outer { u64 key; struct bpf_list_node node; struct bpf_spin_lock lock;
 *                  struct bpf_list_head leaves __contains(leaf, node);
 *                  struct plain __kptr *p;
 *                  struct bpf_rb_root tree __contains(elem, r); };      // 80
 *   struct val   { struct bpf_spin_lock lock; struct bpf_list_head outers __contains(outer, node);
 *                  struct outer __kptr *o; struct leaf __kptr_untrusted *u; };   // 40
 */
import { BtfBuilder, parseBtf, type Btf } from '@bpfkit/btf';

export interface TestBtf {
  readonly btf: Btf;
  readonly ids: { plain: number; leaf: number; elem: number; outer: number; val: number; prioEnum: number };
}

export function buildTestBtf(): TestBtf {
  const b = new BtfBuilder();
  const int = b.int('int', 4, { signed: true });
  const u64 = b.int('unsigned long long', 8);
  const opaque = (name: string, size: number, elem: number, n: number): number =>
    b.struct(name, size, [{ name: '__opaque', type: n > 1 ? b.array(elem, int, n) : elem, offset: 0 }]);
  const lock = opaque('bpf_spin_lock', 4, int, 1);
  const head = opaque('bpf_list_head', 16, u64, 2);
  const node = opaque('bpf_list_node', 24, u64, 3);
  const root = opaque('bpf_rb_root', 16, u64, 2);
  const rbnode = opaque('bpf_rb_node', 32, u64, 4);
  const refcount = opaque('bpf_refcount', 4, int, 1);
  const prioEnum = b.enum('prio', [{ name: 'LOW', value: -1 }, { name: 'HIGH', value: 7 }], 4, true);
  const plain = b.struct('plain', 8, [{ name: 'x', type: u64, offset: 0 }]);
  const leaf = b.struct('leaf', 32, [{ name: 'key', type: u64, offset: 0 }, { name: 'node', type: node, offset: 8 }]);
  const elem = b.struct('elem', 80, [
    { name: 'key', type: u64, offset: 0 }, { name: 'rc', type: refcount, offset: 8 }, { name: 'l', type: node, offset: 16 },
    { name: 'r', type: rbnode, offset: 40 }, { name: 'prio', type: prioEnum, offset: 72 }, { name: 'weight', type: int, offset: 76 },
  ]);
  const kptrPlain = b.ptr(b.typeTag('kptr', plain));
  const outer = b.struct('outer', 80, [
    { name: 'key', type: u64, offset: 0 }, { name: 'node', type: node, offset: 8 }, { name: 'lock', type: lock, offset: 32 },
    { name: 'leaves', type: head, offset: 40 }, { name: 'p', type: kptrPlain, offset: 56 }, { name: 'tree', type: root, offset: 64 },
  ]);
  b.declTag('contains:leaf:node', outer, 3);
  b.declTag('contains:elem:r', outer, 5);
  const kptrOuter = b.ptr(b.typeTag('kptr', outer));
  const untrustedLeaf = b.ptr(b.typeTag('kptr_untrusted', leaf));
  const val = b.struct('val', 40, [
    { name: 'lock', type: lock, offset: 0 }, { name: 'outers', type: head, offset: 8 },
    { name: 'o', type: kptrOuter, offset: 24 }, { name: 'u', type: untrustedLeaf, offset: 32 },
  ]);
  b.declTag('contains:outer:node', val, 1);
  return { btf: parseBtf(b.build()), ids: { plain, leaf, elem, outer, val, prioEnum } };
}

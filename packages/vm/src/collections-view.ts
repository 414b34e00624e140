/** What `Instance.lists()` / `trees()` and the decoded `bpf_list_head` / `bpf_rb_root` markers give: plain data. */
import type { Decoded } from './btf-value.js';
import type { KeyLike } from './keys.js';

/** An element of a list or tree: its struct decoded by BTF (special fields as `{$marker}` objects). */
export type Element = Record<string, Decoded>;

export interface ListView<T = Element> {
  /** Member path of the head in the value (`head`, `ghead`, `inner.head`). */
  readonly field: string;
  readonly offset: number;
  readonly elements: T[];
  /** Address of each element's object (what `bpf_obj_new` returned), in the same order. */
  readonly addrs: number[];
}

/**
 * The shape of a tree nested inside an element (`{$marker: 'bpf_rb_root', elements, addrs, shape}`):
 * `index` is the node's position in `elements` (in order).
 */
export interface TreeShape {
  readonly index: number;
  readonly color: 'red' | 'black';
  readonly left: TreeShape | null;
  readonly right: TreeShape | null;
}

export interface TreeNode<T = Element> {
  /** Address of the element's object. */
  readonly addr: number;
  readonly value: T;
  readonly color: 'red' | 'black';
  readonly left: TreeNode<T> | null;
  readonly right: TreeNode<T> | null;
}

export interface TreeView<T = Element> {
  readonly field: string;
  readonly offset: number;
  /** Elements in tree order (leftmost first). */
  readonly elements: T[];
  /** Their objects' addresses, in the same order. */
  readonly addrs: number[];
  readonly root: TreeNode<T> | null;
}

/** Where to look for lists and trees: a map value (`key` default 0) or a global data section. */
export type CollectionsAt = { readonly map: string; readonly key?: KeyLike; readonly cpu?: number } | { readonly global: string };

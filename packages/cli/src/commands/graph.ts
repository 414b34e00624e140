/**
 * `bpfkit graph FILE --after PROG... (--map NAME [--key K] | --global NAME) [--format ascii|dot|svg]`:
 * runs the `--after` programs in order in one instance, then draws the lists and red-black trees
 * found in that map value or global section (node colours, keys from the element's BTF type,
 * nested objects' own lists and trees).
 */
import type { CollectionsAt, Decoded, Element, Instance, ListView, TreeNode, TreeShape, TreeView } from '@bpfkit/vm';
import { CliError, EXIT_OK, EXIT_REJECTED, EXIT_USAGE } from '../errors.js';
import type { Out } from '../output.js';
import { countOf, renderAscii, renderDot, renderSvg, toJson, type GraphCollection, type GraphItem, type GraphTreeNode, type GraphView } from '../graph/index.js';
import { instanceFor, packetFromOptions, runPrograms, type RunCliOptions, type Runs } from './run.js';

export interface GraphCliOptions extends RunCliOptions {
  map?: string;
  key?: string;
  global?: string;
  format?: string;
}

/** How many scalar members of an element make its label. */
const LABEL_FIELDS = 3;

function scalarText(v: Decoded): string | undefined {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return undefined;
}

/** `deadline=300 pid=1 dispatched=0`: the first few scalar members, in BTF order. */
export function labelOf(el: Element): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(el)) {
    const t = scalarText(v);
    if (t === undefined) continue;
    parts.push(`${k}=${t}`);
    if (parts.length === LABEL_FIELDS) break;
  }
  return parts.length ? parts.join(' ') : '(no scalar fields)';
}

type Marked = { $marker: string; elements?: Element[]; addrs?: number[]; shape?: TreeShape | null };
const isMarked = (v: unknown): v is Marked => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Marked).$marker === 'string';

/** A node id: the element object's address. */
const idOf = (addr: number): string => `0x${addr.toString(16)}`;

/**
 * Lists and trees inside an element (its own `bpf_list_head` / `bpf_rb_root` members, also in
 * nested structs), drawn with their own shape.
 */
function nestedOf(el: Element, path = ''): GraphCollection[] {
  const out: GraphCollection[] = [];
  for (const [k, v] of Object.entries(el)) {
    const name = path ? `${path}.${k}` : k;
    if (isMarked(v)) {
      if (!v.elements || !v.addrs) continue;
      const els = v.elements;
      const addrs = v.addrs;
      if (v.$marker === 'bpf_list_head') out.push({ kind: 'list', name, items: els.map((e, i) => item(e, addrs[i]!)) });
      else if (v.$marker === 'bpf_rb_root') {
        const conv = (n: TreeShape | null | undefined): GraphTreeNode | null =>
          n ? { ...item(els[n.index]!, addrs[n.index]!), color: n.color, left: conv(n.left), right: conv(n.right) } : null;
        out.push({ kind: 'rbtree', name, root: conv(v.shape) });
      }
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)) {
      out.push(...nestedOf(v as Element, name));
    }
  }
  return out;
}

function item(el: Element, addr: number): GraphItem {
  const nested = nestedOf(el);
  return { id: idOf(addr), label: labelOf(el), ...(nested.length ? { nested } : {}) };
}

function treeOf(t: TreeView): GraphTreeNode | null {
  const conv = (n: TreeNode | null): GraphTreeNode | null => (n ? { ...item(n.value, n.addr), color: n.color, left: conv(n.left), right: conv(n.right) } : null);
  return conv(t.root);
}

/** The view of the collections at `at`, named by `source`. */
export function graphView(inst: Instance, at: CollectionsAt, source: string): GraphView {
  const lists: ListView[] = inst.lists(at);
  const trees: TreeView[] = inst.trees(at);
  const all: { offset: number; c: GraphCollection }[] = [
    ...lists.map((l) => ({ offset: l.offset, c: { kind: 'list' as const, name: l.field, items: l.elements.map((e, i) => item(e, l.addrs[i]!)) } })),
    ...trees.map((t) => ({ offset: t.offset, c: { kind: 'rbtree' as const, name: t.field, root: treeOf(t) } })),
  ];
  all.sort((a, b) => a.offset - b.offset);
  return { source, collections: [...all.map((x) => x.c), ...kptrsAt(inst, at)] };
}

/** Objects stashed in `__kptr` fields of the value (`bpf_kptr_xchg`): each drawn as a one-element list. */
function kptrsAt(inst: Instance, at: CollectionsAt): GraphCollection[] {
  const m = inst.map('map' in at ? at.map : at.global);
  const value = m.lookupValue('map' in at ? (at.key ?? 0) : 0, 'map' in at && m.percpu ? (at.cpu ?? 0) : undefined);
  const out: GraphCollection[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    const o = v as { $marker?: string; addr?: number | null; value?: Element };
    if (o.$marker === 'kptr') {
      if (o.addr && o.value) out.push({ kind: 'list', name: `${path} (kptr)`, items: [item(o.value, o.addr)] });
      return;
    }
    if (o.$marker) return;
    for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(value, '');
  return out;
}

/**
 * A readable excerpt: trees cut below `maxDepth` (a cut node's label says how many nodes are
 * below), lists cut after `maxItems` (a last item says how many more).
 */
export function truncateView(view: GraphView, maxDepth: number, maxItems: number): GraphView {
  const count = (n: GraphTreeNode | null): number => (n ? 1 + count(n.left) + count(n.right) : 0);
  const cutTree = (n: GraphTreeNode | null, depth: number): GraphTreeNode | null => {
    if (!n) return null;
    if (depth >= maxDepth && (n.left || n.right)) {
      const below = count(n) - 1;
      return { ...n, label: `${n.label}  … ${below.toLocaleString('en-US')} below`, left: null, right: null };
    }
    return { ...n, left: cutTree(n.left, depth + 1), right: cutTree(n.right, depth + 1) };
  };
  const cut = (c: GraphCollection): GraphCollection => {
    const all = countOf(c);
    if (c.kind === 'rbtree') {
      const root = cutTree(c.root, 0);
      const shown = count(root);
      return { ...c, name: shown < all ? `${c.name} (${shown} of ${all.toLocaleString('en-US')} shown)` : c.name, root };
    }
    if (c.items.length <= maxItems) return c;
    const more = c.items.length - maxItems;
    return {
      ...c,
      name: `${c.name} (${maxItems} of ${all.toLocaleString('en-US')} shown)`,
      items: [...c.items.slice(0, maxItems), { id: `${c.name}#more`, label: `… ${more.toLocaleString('en-US')} more` }],
    };
  };
  return { ...view, collections: view.collections.map(cut) };
}

function keyOf(k: string | undefined): number | bigint | Uint8Array {
  if (k === undefined) return 0;
  if (/^\d+$/.test(k)) return Number(k) <= Number.MAX_SAFE_INTEGER ? Number(k) : BigInt(k);
  if (/^0x[0-9a-f]+$/i.test(k)) return BigInt(k);
  const t = k.replace(/[\s:]/g, '');
  if (t.length % 2 === 0 && /^[0-9a-f]+$/i.test(t)) return Uint8Array.from(Buffer.from(t, 'hex'));
  throw new CliError(`--key must be a number (0, 0x10) or hex bytes (00 00 00 00), got '${k}'`);
}

export async function graphCommand(file: string, opts: GraphCliOptions, out: Out, stderr: (s: string) => void): Promise<number> {
  const format = opts.format ?? 'ascii';
  if (!['ascii', 'dot', 'svg'].includes(format)) throw new CliError(`--format must be ascii, dot or svg, got '${format}'`);
  if ((opts.map === undefined) === (opts.global === undefined)) throw new CliError('give one of --map NAME or --global SECTION (where the lists and trees are)');
  if (opts.global !== undefined && opts.key !== undefined) throw new CliError('--key goes with --map, not --global');
  const data = packetFromOptions(opts);
  const inst = await instanceFor(file, opts);
  // `--after NAME@HEX` gives that run its own data (for syscall programs: the ctx)
  const results: Runs['results'] = [];
  let error: Runs['error'];
  for (const a of opts.after ?? []) {
    const at = a.indexOf('@');
    const name = at < 0 ? a : a.slice(0, at);
    const own = at < 0 ? data : packetFromOptions({ data: a.slice(at + 1) });
    const r = await runPrograms(inst, [name], own, 1);
    results.push(...r.results);
    if (r.error) {
      error = r.error;
      break;
    }
  }
  const { LoadError, MapError } = await import('@bpfkit/vm');
  let at: CollectionsAt;
  let source: string;
  if (opts.map !== undefined) {
    at = { map: opts.map, key: keyOf(opts.key) };
    source = `map ${opts.map} key ${opts.key ?? 0}`;
  } else {
    at = { global: opts.global! };
    source = `global ${opts.global}`;
  }
  let view: GraphView;
  try {
    const m = inst.map(opts.map ?? opts.global!);
    if (opts.global !== undefined && !m.section) throw new CliError(`'${opts.global}' is a map, not a global section (use --map ${opts.global})`);
    view = graphView(inst, at, `${source}${results.length ? ` after ${results.map((r) => r.prog).join(', ')}` : ''}`);
  } catch (e) {
    if (e instanceof LoadError || e instanceof MapError || e instanceof RangeError) throw new CliError(e.message, EXIT_USAGE);
    throw e;
  }
  if (out.json) out.writeJson(toJson(view));
  else if (format === 'dot') out.write(renderDot(view));
  else if (format === 'svg') out.write(renderSvg(view));
  else {
    out.write(renderAscii(view, { red: out.red, dim: out.dim }));
    if (view.collections.length === 0) out.write(out.dim(`(no bpf_list_head or bpf_rb_root in ${source})\n`));
  }
  if (error) {
    stderr(`bpfkit: ${file}: ${error.message}\n`);
    return EXIT_REJECTED;
  }
  return EXIT_OK;
}

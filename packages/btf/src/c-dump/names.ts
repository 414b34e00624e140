/**
 * Unique C names (libbpf `btf_dump_resolve_name` / `btf_dump_name_dups`): the n-th
 * distinct type resolving a name in one namespace gets `NAME___n` (n > 1).
 * struct/union/enum/fwd names share the "type" namespace; typedefs and enumerators
 * share the "ident" namespace.
 */
import type { DumpContext } from './context.js';

/** Count one more use of the name with key `key` in `counts`; returns the new count. */
export function nameDups(counts: Int32Array, key: number): number {
  return ++counts[key];
}

function resolveName(ctx: DumpContext, id: number, counts: Int32Array): string {
  const t = ctx.types[id];
  if (t.nameOff === 0) return '';
  const orig = t.name;
  if (ctx.nameResolved[id]) return ctx.cachedNames[id] ?? orig;
  ctx.nameResolved[id] = 1;
  // Forward declarations and empty enums never make a name "taken".
  if (t.kind === 'FWD' || (t.kind === 'ENUM' && t.vlen === 0)) return orig;
  const cnt = nameDups(counts, ctx.info.nameKey[id]);
  if (cnt > 1) {
    const name = `${orig}___${cnt}`;
    ctx.cachedNames[id] = name;
    return name;
  }
  return orig;
}

/** Name of a struct/union/enum/fwd (or int) as printed. */
export function typeName(ctx: DumpContext, id: number): string {
  return resolveName(ctx, id, ctx.typeNames);
}

/** Name of a typedef as printed. */
export function identName(ctx: DumpContext, id: number): string {
  return resolveName(ctx, id, ctx.identNames);
}

/**
 * Unique C names (libbpf `btf_dump_resolve_name` / `btf_dump_name_dups`): the n-th
 * distinct type resolving a name in one namespace gets `NAME___n` (n > 1).
 * struct/union/enum/fwd names share the "type" namespace; typedefs and enumerators
 * share the "ident" namespace. Names are printed as bytes of the string section
 * followed by the suffix resolved here.
 */
import type { DumpContext } from './context.js';

/** Count one more use of `key` in `counts`; returns the new count. */
export function nameDups(counts: Int32Array, key: number): number {
  return ++counts[key]!;
}

/** The `___N` suffix of type `id` in the namespace `counts` ('' = the original name). */
function resolveSuffix(ctx: DumpContext, id: number, counts: Int32Array): string {
  if (ctx.nameResolved[id]) return ctx.nameSuffix[id] ?? '';
  const off = ctx.nameOff(id);
  if (off === 0) return '';
  ctx.nameResolved[id] = 1;
  // Forward declarations and empty enums never make a name "taken".
  const kind = ctx.kinds[id];
  if (kind === 7 /* FWD */ || (kind === 6 /* ENUM */ && ctx.vlen(id) === 0)) return '';
  const cnt = nameDups(counts, ctx.info.nameKey(off));
  if (cnt > 1) {
    const sfx = `___${cnt}`;
    ctx.nameSuffix[id] = sfx;
    return sfx;
  }
  return '';
}

/** Print the name of a struct/union/enum/fwd (or int) as resolved (nothing when anonymous). */
export function pushTypeName(ctx: DumpContext, id: number): void {
  const off = ctx.nameOff(id);
  if (off === 0) return;
  const sfx = resolveSuffix(ctx, id, ctx.typeNames);
  ctx.out.name(off);
  if (sfx !== '') ctx.out.push(sfx);
}

/** Suffix of a typedef's name as printed. */
export function identSuffix(ctx: DumpContext, id: number): string {
  return resolveSuffix(ctx, id, ctx.identNames);
}

/** Suffix of a struct/union/enum/fwd (or int) name as printed. */
export function typeSuffix(ctx: DumpContext, id: number): string {
  return resolveSuffix(ctx, id, ctx.typeNames);
}

/** Print the name of a typedef as resolved. */
export function pushIdentName(ctx: DumpContext, id: number): void {
  const off = ctx.nameOff(id);
  if (off === 0) return;
  const sfx = resolveSuffix(ctx, id, ctx.identNames);
  ctx.out.name(off);
  if (sfx !== '') ctx.out.push(sfx);
}

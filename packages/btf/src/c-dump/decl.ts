/**
 * C declarators (libbpf `btf_dump_emit_type_decl` / `btf_dump_emit_type_chain`).
 *
 * The chain from the declared type down to its base type (through pointers, arrays,
 * modifiers and prototypes) is collected on a stack and printed from the base type
 * outwards: base-type qualifiers before it, `*` and pointer qualifiers after, arrays
 * and prototypes wrapping the rest of the declarator in parentheses.
 *
 * The declared name is given as a string-section offset (0 = none) plus a suffix
 * (`___N` for a duplicate typedef name, else '').
 */
import { KIND_NAMES } from '../types.js';
import type { DeclStack, DumpContext } from './context.js';
import { BtfCDumpError } from './errors.js';
import { emitStructDef, emitStructFwd } from './composite.js';
import { emitEnumDef, emitEnumFwd, emitFwdDef } from './enum.js';
import { pushIdentName } from './names.js';

/** Longer pointer/modifier/array chains than this are loops (real BTF stays far below). */
const MAX_DECL_CHAIN = 1024;

/** Print a declaration of the name at `fnameOff` (0: abstract declarator) with type `id`. */
export function emitTypeDecl(ctx: DumpContext, id: number, fnameOff: number, fnameSfx: string, lvl: number): void {
  const decls = ctx.decls;
  const base = decls.top;
  const words = ctx.words;
  const rec = ctx.rec;
  const kinds = ctx.kinds;
  for (;;) {
    decls.push(id);
    if (decls.top - base > MAX_DECL_CHAIN) throw new BtfCDumpError('TYPE_LOOP', 'declaration chain does not end (type loop)', id);
    if (id === 0) break;
    ctx.check(id);
    const k = kinds[id]!;
    if (k === 2 /* PTR */ || k === 9 /* VOLATILE */ || k === 10 /* CONST */ || k === 11 /* RESTRICT */ || k === 18 /* TYPE_TAG */ || k === 13 /* FUNC_PROTO */) {
      id = words[rec[id]! + 2]!;
      continue;
    }
    if (k === 3 /* ARRAY */) {
      id = words[rec[id]! + 3]!;
      continue;
    }
    if (
      k === 1 /* INT */ || k === 6 /* ENUM */ || k === 19 /* ENUM64 */ || k === 7 /* FWD */ || k === 4 /* STRUCT */ ||
      k === 5 /* UNION */ || k === 8 /* TYPEDEF */ || k === 16 /* FLOAT */
    ) break;
    throw new BtfCDumpError('BAD_TYPE', `unexpected kind ${KIND_NAMES[k] ?? k} in declaration chain`, id);
  }
  const hasName = (fnameOff !== 0 && !ctx.emptyStr(fnameOff)) || fnameSfx !== '';
  emitTypeChain(ctx, decls, base, fnameOff, fnameSfx, hasName, lvl);
  decls.top = base;
}

/** Print base-type qualifiers at the top of the stack, popping them. */
function emitMods(ctx: DumpContext, decls: DeclStack, base: number): void {
  const out = ctx.out;
  const kinds = ctx.kinds;
  while (decls.top > base) {
    const k = kinds[decls.peek()];
    if (k === 9 /* VOLATILE */) out.push('volatile ');
    else if (k === 10 /* CONST */) out.push('const ');
    else if (k === 11 /* RESTRICT */) out.push('restrict ');
    else return;
    decls.pop();
  }
}

/** Drop qualifiers/type tags at the top of the stack (array and prototype qualifiers). */
function dropMods(ctx: DumpContext, decls: DeclStack, base: number): void {
  const kinds = ctx.kinds;
  while (decls.top > base) {
    const k = kinds[decls.peek()];
    if (k !== 9 /* VOLATILE */ && k !== 10 /* CONST */ && k !== 11 /* RESTRICT */ && k !== 18 /* TYPE_TAG */) return;
    decls.pop();
  }
}

function emitName(ctx: DumpContext, fnameOff: number, fnameSfx: string, hasName: boolean, lastWasPtr: boolean): void {
  if (!hasName) return;
  const out = ctx.out;
  if (!lastWasPtr) out.push(' ');
  out.name(fnameOff);
  if (fnameSfx !== '') out.push(fnameSfx);
}

function emitTypeChain(ctx: DumpContext, decls: DeclStack, base: number, fnameOff: number, fnameSfx: string, hasName: boolean, lvl: number): void {
  const out = ctx.out;
  const words = ctx.words;
  const kinds = ctx.kinds;
  // `int ***` rather than `int * * *`; true initially for a lone pointer in ptr -> proto.
  let lastWasPtr = true;
  while (decls.top > base) {
    const id = decls.pop();
    if (id === 0) {
      emitMods(ctx, decls, base);
      out.push('void');
      lastWasPtr = false;
      continue;
    }
    const r = ctx.rec[id]!;
    const kind = kinds[id]!;
    switch (kind) {
      case 1 /* INT */:
      case 16 /* FLOAT */:
        emitMods(ctx, decls, base);
        out.name(words[r]!);
        break;
      case 4 /* STRUCT */:
      case 5 /* UNION */:
        emitMods(ctx, decls, base);
        if (words[r] === 0) emitStructDef(ctx, id, lvl);
        else emitStructFwd(ctx, id);
        break;
      case 6 /* ENUM */:
      case 19 /* ENUM64 */:
        emitMods(ctx, decls, base);
        if (words[r] === 0) emitEnumDef(ctx, id, lvl);
        else emitEnumFwd(ctx, id);
        break;
      case 7 /* FWD */:
        emitMods(ctx, decls, base);
        emitFwdDef(ctx, id);
        break;
      case 8 /* TYPEDEF */:
        emitMods(ctx, decls, base);
        pushIdentName(ctx, id);
        break;
      case 2 /* PTR */:
        out.push(lastWasPtr ? '*' : ' *');
        break;
      case 9 /* VOLATILE */:
        out.push(' volatile');
        break;
      case 10 /* CONST */:
        out.push(' const');
        break;
      case 11 /* RESTRICT */:
        out.push(' restrict');
        break;
      case 18 /* TYPE_TAG */:
        emitMods(ctx, decls, base);
        out.push(' __attribute__((btf_type_tag("');
        out.name(words[r]!);
        out.push('")))');
        break;
      case 3 /* ARRAY */: {
        // Qualifiers on arrays are meaningless (GCC quirk): skip them.
        dropMods(ctx, decls, base);
        const nelems = words[r + 5]!;
        if (decls.top === base) {
          emitName(ctx, fnameOff, fnameSfx, hasName, lastWasPtr);
          out.push('[');
          out.uint(nelems);
          out.push(']');
          return;
        }
        const multidim = kinds[decls.peek()] === 3 /* ARRAY */;
        if (hasName && !lastWasPtr) out.push(' ');
        if (!multidim) out.push('(');
        emitTypeChain(ctx, decls, base, fnameOff, fnameSfx, hasName, lvl);
        if (!multidim) out.push(')');
        out.push('[');
        out.uint(nelems);
        out.push(']');
        return;
      }
      case 13 /* FUNC_PROTO */: {
        dropMods(ctx, decls, base);
        if (decls.top > base) {
          out.push(' (');
          emitTypeChain(ctx, decls, base, fnameOff, fnameSfx, hasName, lvl);
          out.push(')');
        } else {
          emitName(ctx, fnameOff, fnameSfx, hasName, lastWasPtr);
        }
        out.push('(');
        const vlen = words[r + 1]! & 0xffff;
        const p0 = r + 3;
        // No params, or clang's single void param: `(void)`.
        if (vlen === 0 || (vlen === 1 && words[p0 + 1] === 0)) {
          out.push('void)');
          return;
        }
        for (let i = 0, q = p0; i < vlen; i++, q += 2) {
          if (i > 0) out.push(', ');
          const pType = words[q + 1]!;
          if (i === vlen - 1 && pType === 0) {
            out.push('...');
            break;
          }
          emitTypeDecl(ctx, pType, words[q]!, '', lvl);
        }
        out.push(')');
        return;
      }
      default:
        throw new BtfCDumpError('BAD_TYPE', `unexpected kind ${KIND_NAMES[kind] ?? kind} in declaration chain`, id);
    }
    lastWasPtr = kind === 2 /* PTR */;
  }
  emitName(ctx, fnameOff, fnameSfx, hasName, lastWasPtr);
}

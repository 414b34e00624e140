/**
 * C declarators (libbpf `btf_dump_emit_type_decl` / `btf_dump_emit_type_chain`).
 *
 * The chain from the declared type down to its base type (through pointers, arrays,
 * modifiers and prototypes) is collected on a stack and printed from the base type
 * outwards: base-type qualifiers before it, `*` and pointer qualifiers after, arrays
 * and prototypes wrapping the rest of the declarator in parentheses.
 */
import type { DumpContext } from './context.js';
import { BtfCDumpError } from './errors.js';
import { emitStructDef, emitStructFwd } from './composite.js';
import { emitEnumDef, emitEnumFwd, emitFwdDef } from './enum.js';
import { identName } from './names.js';

/** Longer pointer/modifier/array chains than this are loops (real BTF stays far below). */
const MAX_DECL_CHAIN = 1024;

/** Print a declaration of `fname` with type `id` (fname may be '' for abstract declarators). */
export function emitTypeDecl(ctx: DumpContext, id: number, fname: string, lvl: number): void {
  const decls: number[] = [];
  for (;;) {
    decls.push(id);
    if (decls.length > MAX_DECL_CHAIN) throw new BtfCDumpError('TYPE_LOOP', 'declaration chain does not end (type loop)', id);
    if (id === 0) break;
    const t = ctx.type(id);
    switch (t.kind) {
      case 'PTR':
      case 'VOLATILE':
      case 'CONST':
      case 'RESTRICT':
      case 'TYPE_TAG':
        id = t.type;
        continue;
      case 'FUNC_PROTO':
        id = t.returnType;
        continue;
      case 'ARRAY':
        id = t.type;
        continue;
      case 'INT':
      case 'ENUM':
      case 'ENUM64':
      case 'FWD':
      case 'STRUCT':
      case 'UNION':
      case 'TYPEDEF':
      case 'FLOAT':
        break;
      default:
        throw new BtfCDumpError('BAD_TYPE', `unexpected kind ${t.kind} in declaration chain`, id);
    }
    break;
  }
  emitTypeChain(ctx, decls, fname, lvl);
}

/** Print base-type qualifiers at the top of the stack, popping them. */
function emitMods(ctx: DumpContext, decls: number[]): void {
  const out = ctx.out;
  while (decls.length) {
    const k = ctx.types[decls[decls.length - 1]].kind;
    if (k === 'VOLATILE') out.push('volatile ');
    else if (k === 'CONST') out.push('const ');
    else if (k === 'RESTRICT') out.push('restrict ');
    else return;
    decls.pop();
  }
}

/** Drop qualifiers/type tags at the top of the stack (array and prototype qualifiers). */
function dropMods(ctx: DumpContext, decls: number[]): void {
  while (decls.length) {
    const k = ctx.types[decls[decls.length - 1]].kind;
    if (k !== 'VOLATILE' && k !== 'CONST' && k !== 'RESTRICT' && k !== 'TYPE_TAG') return;
    decls.pop();
  }
}

function emitName(ctx: DumpContext, fname: string, lastWasPtr: boolean): void {
  if (fname.length && !lastWasPtr) ctx.out.push(' ', fname);
  else if (fname.length) ctx.out.push(fname);
}

function emitTypeChain(ctx: DumpContext, decls: number[], fname: string, lvl: number): void {
  const out = ctx.out;
  // `int ***` rather than `int * * *`; true initially for a lone pointer in ptr -> proto.
  let lastWasPtr = true;
  while (decls.length) {
    const id = decls.pop()!;
    if (id === 0) {
      emitMods(ctx, decls);
      out.push('void');
      lastWasPtr = false;
      continue;
    }
    const t = ctx.types[id];
    switch (t.kind) {
      case 'INT':
      case 'FLOAT':
        emitMods(ctx, decls);
        out.push(t.name);
        break;
      case 'STRUCT':
      case 'UNION':
        emitMods(ctx, decls);
        if (t.nameOff === 0) emitStructDef(ctx, id, t, lvl);
        else emitStructFwd(ctx, id, t);
        break;
      case 'ENUM':
      case 'ENUM64':
        emitMods(ctx, decls);
        if (t.nameOff === 0) emitEnumDef(ctx, id, t, lvl);
        else emitEnumFwd(ctx, id);
        break;
      case 'FWD':
        emitMods(ctx, decls);
        emitFwdDef(ctx, id, t);
        break;
      case 'TYPEDEF':
        emitMods(ctx, decls);
        out.push(identName(ctx, id));
        break;
      case 'PTR':
        out.push(lastWasPtr ? '*' : ' *');
        break;
      case 'VOLATILE':
        out.push(' volatile');
        break;
      case 'CONST':
        out.push(' const');
        break;
      case 'RESTRICT':
        out.push(' restrict');
        break;
      case 'TYPE_TAG':
        emitMods(ctx, decls);
        out.push(' __attribute__((btf_type_tag("', t.name, '")))');
        break;
      case 'ARRAY': {
        // Qualifiers on arrays are meaningless (GCC quirk): skip them.
        dropMods(ctx, decls);
        if (decls.length === 0) {
          emitName(ctx, fname, lastWasPtr);
          out.push('[', String(t.nelems), ']');
          return;
        }
        const multidim = ctx.types[decls[decls.length - 1]].kind === 'ARRAY';
        if (fname.length && !lastWasPtr) out.push(' ');
        if (!multidim) out.push('(');
        emitTypeChain(ctx, decls, fname, lvl);
        if (!multidim) out.push(')');
        out.push('[', String(t.nelems), ']');
        return;
      }
      case 'FUNC_PROTO': {
        dropMods(ctx, decls);
        if (decls.length) {
          out.push(' (');
          emitTypeChain(ctx, decls, fname, lvl);
          out.push(')');
        } else {
          emitName(ctx, fname, lastWasPtr);
        }
        out.push('(');
        const ps = t.params;
        const vlen = ps.length;
        // No params, or clang's single void param: `(void)`.
        if (vlen === 0 || (vlen === 1 && ps[0].type === 0)) {
          out.push('void)');
          return;
        }
        for (let i = 0; i < vlen; i++) {
          if (i > 0) out.push(', ');
          if (i === vlen - 1 && ps[i].type === 0) {
            out.push('...');
            break;
          }
          emitTypeDecl(ctx, ps[i].type, ps[i].name, lvl);
        }
        out.push(')');
        return;
      }
      default:
        throw new BtfCDumpError('BAD_TYPE', `unexpected kind ${t.kind} in declaration chain`, id);
    }
    lastWasPtr = t.kind === 'PTR';
  }
  emitName(ctx, fname, lastWasPtr);
}

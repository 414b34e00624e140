/**
 * Emission of one ordered type (libbpf `btf_dump_emit_type`). Walks the type's
 * dependencies again to print forward declarations just before the first definition
 * that needs them, then prints the definition itself when it is top-level
 * (`contId === 0`). `contId` is the id of the containing struct/typedef being
 * emitted, so a struct referencing itself needs no forward declaration.
 */
import { EMITTED, EMITTING, NOT_EMITTED, type DumpContext } from './context.js';
import { emitStructDef, emitStructFwd } from './composite.js';
import { emitTypeDecl } from './decl.js';
import { emitEnumDef, emitFwdDef } from './enum.js';
import { identSuffix, typeSuffix } from './names.js';

/** GCC's internal Arm SIMD types that need an alias to a standard type. */
const MISSING_BASE_TYPES = new Map<string, string>([
  ['__Poly8_t', 'unsigned char'],
  ['__Poly16_t', 'unsigned short'],
  ['__Poly64_t', 'unsigned long long'],
  ['__Poly128_t', 'unsigned __int128'],
]);

/** True when the string at `off` is exactly the ASCII text `s`. */
function strIs(ctx: DumpContext, off: number, s: string): boolean {
  const str = ctx.str;
  const n = s.length;
  if (off + n >= str.length) return false;
  for (let i = 0; i < n; i++) if (str[off + i] !== s.charCodeAt(i)) return false;
  return str[off + n] === 0;
}

/** `__builtin_va_list` is a compiler built-in and must not be redefined. */
function isBlacklisted(ctx: DumpContext, id: number): boolean {
  const off = ctx.nameOff(id);
  return off !== 0 && strIs(ctx, off, '__builtin_va_list');
}

function emitTypedefDef(ctx: DumpContext, id: number, lvl: number): void {
  const off = ctx.nameOff(id);
  const sfx = identSuffix(ctx, id);
  const type = ctx.sizeOrType(id);
  // Old GCC emits __gnuc_va_list as a typedef of void.
  if (type === 0 && sfx === '' && off !== 0 && strIs(ctx, off, '__gnuc_va_list')) {
    ctx.out.push('typedef __builtin_va_list __gnuc_va_list');
    return;
  }
  ctx.out.push('typedef ');
  emitTypeDecl(ctx, type, off, sfx, lvl);
}

export function emitType(ctx: DumpContext, id: number, contId: number): void {
  const emitState = ctx.emitState;
  const state = emitState[id];
  if (state === EMITTED) return;
  ctx.check(id);
  const out = ctx.out;
  const kind = ctx.kinds[id]!;
  const words = ctx.words;
  const r = ctx.rec[id]!;

  if (state === EMITTING) {
    if (ctx.fwdEmitted[id]) return;
    if (kind === 4 /* STRUCT */ || kind === 5 /* UNION */) {
      // A struct referencing the struct it is part of needs no forward declaration.
      if (id === contId) return;
      if (words[r] === 0) return; // anonymous struct/union loop (libbpf warns)
      emitStructFwd(ctx, id);
      out.push(';\n\n');
      ctx.fwdEmitted[id] = 1;
    } else if (kind === 8 /* TYPEDEF */) {
      // The typedef doubles as a forward declaration for pointer uses.
      if (!isBlacklisted(ctx, id)) {
        emitTypedefDef(ctx, id, 0);
        out.push(';\n\n');
      }
      ctx.fwdEmitted[id] = 1;
    }
    return;
  }

  switch (kind) {
    case 1 /* INT */: {
      const off = words[r]!;
      if (off !== 0 && ctx.str[off] === 95 /* '_' */) {
        const sfx = typeSuffix(ctx, id);
        const name = ctx.strAt(off) + sfx;
        const alias = MISSING_BASE_TYPES.get(name);
        if (alias !== undefined) out.push('typedef ', alias, ' ', name, ';\n\n');
      } else {
        typeSuffix(ctx, id);
      }
      emitState[id] = EMITTED;
      break;
    }
    case 6 /* ENUM */:
    case 19 /* ENUM64 */:
      if (contId === 0) {
        emitEnumDef(ctx, id, 0);
        out.push(';\n\n');
      }
      emitState[id] = EMITTED;
      break;
    case 2 /* PTR */:
    case 9 /* VOLATILE */:
    case 10 /* CONST */:
    case 11 /* RESTRICT */:
    case 18 /* TYPE_TAG */:
      emitType(ctx, words[r + 2]!, contId);
      break;
    case 3 /* ARRAY */:
      emitType(ctx, words[r + 3]!, contId);
      break;
    case 7 /* FWD */:
      emitFwdDef(ctx, id);
      out.push(';\n\n');
      emitState[id] = EMITTED;
      break;
    case 8 /* TYPEDEF */:
      emitState[id] = EMITTING;
      emitType(ctx, words[r + 2]!, id);
      if (!ctx.fwdEmitted[id] && !isBlacklisted(ctx, id)) {
        emitTypedefDef(ctx, id, 0);
        out.push(';\n\n');
      }
      emitState[id] = EMITTED;
      break;
    case 4 /* STRUCT */:
    case 5 /* UNION */: {
      emitState[id] = EMITTING;
      const topLevel = contId === 0;
      const nameOff = words[r]!;
      // Members of a printed definition need their forward declarations first.
      if (topLevel || nameOff === 0) {
        const newContId = nameOff === 0 ? contId : id;
        const vlen = words[r + 1]! & 0xffff;
        for (let i = 0, q = r + 4; i < vlen; i++, q += 3) emitType(ctx, words[q]!, newContId);
      } else if (!ctx.fwdEmitted[id] && id !== contId) {
        emitStructFwd(ctx, id);
        out.push(';\n\n');
        ctx.fwdEmitted[id] = 1;
      }
      if (topLevel) {
        emitStructDef(ctx, id, 0);
        out.push(';\n\n');
        emitState[id] = EMITTED;
      } else {
        emitState[id] = NOT_EMITTED;
      }
      break;
    }
    case 13 /* FUNC_PROTO */: {
      emitType(ctx, words[r + 2]!, contId);
      const vlen = words[r + 1]! & 0xffff;
      for (let i = 0, q = r + 4; i < vlen; i++, q += 2) emitType(ctx, words[q]!, contId);
      break;
    }
    default:
      break;
  }
}

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
import { identName, typeName } from './names.js';
import type { BtfRef, BtfType } from '../types.js';

/** GCC's internal Arm SIMD types that need an alias to a standard type. */
const MISSING_BASE_TYPES = new Map<string, string>([
  ['__Poly8_t', 'unsigned char'],
  ['__Poly16_t', 'unsigned short'],
  ['__Poly64_t', 'unsigned long long'],
  ['__Poly128_t', 'unsigned __int128'],
]);

/** `__builtin_va_list` is a compiler built-in and must not be redefined. */
function isBlacklisted(t: BtfType): boolean {
  return t.nameOff !== 0 && t.name === '__builtin_va_list';
}

function emitTypedefDef(ctx: DumpContext, id: number, t: BtfRef, lvl: number): void {
  const name = identName(ctx, id);
  // Old GCC emits __gnuc_va_list as a typedef of void.
  if (t.type === 0 && name === '__gnuc_va_list') {
    ctx.out.push('typedef __builtin_va_list __gnuc_va_list');
    return;
  }
  ctx.out.push('typedef ');
  emitTypeDecl(ctx, t.type, name, lvl);
}

export function emitType(ctx: DumpContext, id: number, contId: number): void {
  const emitState = ctx.emitState;
  const state = emitState[id];
  if (state === EMITTED) return;
  const t = ctx.type(id);
  const out = ctx.out;

  if (state === EMITTING) {
    if (ctx.fwdEmitted[id]) return;
    if (t.kind === 'STRUCT' || t.kind === 'UNION') {
      // A struct referencing the struct it is part of needs no forward declaration.
      if (id === contId) return;
      if (t.nameOff === 0) return; // anonymous struct/union loop (libbpf warns)
      emitStructFwd(ctx, id, t);
      out.push(';\n\n');
      ctx.fwdEmitted[id] = 1;
    } else if (t.kind === 'TYPEDEF') {
      // The typedef doubles as a forward declaration for pointer uses.
      if (!isBlacklisted(t)) {
        emitTypedefDef(ctx, id, t, 0);
        out.push(';\n\n');
      }
      ctx.fwdEmitted[id] = 1;
    }
    return;
  }

  switch (t.kind) {
    case 'INT': {
      const alias = MISSING_BASE_TYPES.get(typeName(ctx, id));
      if (alias !== undefined) out.push('typedef ', alias, ' ', typeName(ctx, id), ';\n\n');
      emitState[id] = EMITTED;
      break;
    }
    case 'ENUM':
    case 'ENUM64':
      if (contId === 0) {
        emitEnumDef(ctx, id, t, 0);
        out.push(';\n\n');
      }
      emitState[id] = EMITTED;
      break;
    case 'PTR':
    case 'VOLATILE':
    case 'CONST':
    case 'RESTRICT':
    case 'TYPE_TAG':
    case 'ARRAY':
      emitType(ctx, t.type, contId);
      break;
    case 'FWD':
      emitFwdDef(ctx, id, t);
      out.push(';\n\n');
      emitState[id] = EMITTED;
      break;
    case 'TYPEDEF':
      emitState[id] = EMITTING;
      emitType(ctx, t.type, id);
      if (!ctx.fwdEmitted[id] && !isBlacklisted(t)) {
        emitTypedefDef(ctx, id, t, 0);
        out.push(';\n\n');
      }
      emitState[id] = EMITTED;
      break;
    case 'STRUCT':
    case 'UNION': {
      emitState[id] = EMITTING;
      const topLevel = contId === 0;
      // Members of a printed definition need their forward declarations first.
      if (topLevel || t.nameOff === 0) {
        const newContId = t.nameOff === 0 ? contId : id;
        const ms = t.members;
        for (let i = 0; i < ms.length; i++) emitType(ctx, ms[i].type, newContId);
      } else if (!ctx.fwdEmitted[id] && id !== contId) {
        emitStructFwd(ctx, id, t);
        out.push(';\n\n');
        ctx.fwdEmitted[id] = 1;
      }
      if (topLevel) {
        emitStructDef(ctx, id, t, 0);
        out.push(';\n\n');
        emitState[id] = EMITTED;
      } else {
        emitState[id] = NOT_EMITTED;
      }
      break;
    }
    case 'FUNC_PROTO': {
      emitType(ctx, t.returnType, contId);
      const ps = t.params;
      for (let i = 0; i < ps.length; i++) emitType(ctx, ps[i].type, contId);
      break;
    }
    default:
      break;
  }
}

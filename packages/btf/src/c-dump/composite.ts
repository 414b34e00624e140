/**
 * struct/union definitions (libbpf `btf_dump_emit_struct_def`): one member per line,
 * explicit anonymous-bitfield padding wherever natural alignment would not reproduce
 * the BTF layout, and `__attribute__((packed))` for packed layouts.
 */
import type { BtfComposite } from '../types.js';
import type { DumpContext } from './context.js';
import { emitTypeDecl } from './decl.js';
import { alignOf, isStructPacked, resolveSize } from './layout.js';
import { typeName } from './names.js';
import { nlPfx, pfx } from './pfx.js';

/** `struct NAME` / `union NAME` (or just the keyword when anonymous). */
export function emitStructFwd(ctx: DumpContext, id: number, t: BtfComposite): void {
  const kw = t.kind === 'STRUCT' ? 'struct' : 'union';
  if (t.nameOff !== 0) ctx.out.push(kw, ' ', typeName(ctx, id));
  else ctx.out.push(kw, typeName(ctx, id));
}

function roundup(x: number, y: number): number {
  return Math.ceil(x / y) * y;
}

const PAD_NAMES = ['long', 'int', 'short', 'char'];

/**
 * Fill the bit gap [curOff, nextOff) with anonymous bitfields (libbpf 1.1
 * `btf_dump_emit_bit_padding`): pick the widest of long/int/short/char whose
 * alignment boundary lies inside the gap, force alignment with `<type>: 0;` (inside
 * a bitfield run `<type>: <bits-to-boundary>;`) when the compiler would not align by
 * itself, then fill with full-width pads and finish with the smallest type that
 * holds the remainder.
 */
function emitBitPadding(
  ctx: DumpContext, curOff: number, nextOff: number, nextAlign: number, inBitfield: boolean, lvl: number,
): void {
  if (curOff >= nextOff) return;
  const padBitsList = [ctx.ptrSize * 8, 32, 16, 8];
  const out = ctx.out;
  const nl = nlPfx(lvl);
  let i = 0;
  let padBits = 0;
  let padType = '';
  let newOff = 0;
  for (; i < 4; i++) {
    padBits = padBitsList[i];
    padType = PAD_NAMES[i];
    newOff = roundup(curOff, padBits);
    if (newOff <= nextOff) break;
  }
  if (newOff > curOff && newOff <= nextOff) {
    // An explicit `<type>: 0` marker is needed when the next field sits right on the
    // boundary but aligns less strictly, or when a following `<type>: X` would fit in
    // the remaining hole and be ignored.
    if (
      inBitfield ||
      (newOff === nextOff && roundup(curOff, nextAlign * 8) !== newOff) ||
      (newOff !== nextOff && nextOff - newOff < padBits)
    ) {
      out.push(nl, padType, inBitfield ? `: ${newOff - curOff};` : ': 0;');
    }
    curOff = newOff;
  }
  while (curOff !== nextOff) {
    const bits = Math.min(nextOff - curOff, padBits);
    if (bits === padBits) {
      out.push(nl, padType, ': ', String(padBits), ';');
      curOff += bits;
      continue;
    }
    // Remainder: the smallest type that holds it.
    for (let j = 3; j >= 0; j--) {
      if (padBitsList[j] < bits) continue;
      padType = PAD_NAMES[j];
      padBits = padBitsList[j];
      out.push(nl, padType, ': ', String(bits), ';');
      curOff += bits;
      break;
    }
  }
}

export function emitStructDef(ctx: DumpContext, id: number, t: BtfComposite, lvl: number): void {
  const out = ctx.out;
  const types = ctx.types;
  const ptrSize = ctx.ptrSize;
  const cache = ctx.alignCache;
  const isStruct = t.kind === 'STRUCT';
  const align = alignOf(types, ptrSize, cache, id);
  const packed = isStruct ? isStructPacked(types, ptrSize, cache, t) : false;

  emitStructFwd(ctx, id, t);
  out.push(' {');

  const ms = t.members;
  const vlen = ms.length;
  const memberNl = nlPfx(lvl + 1);
  let off = 0;
  let prevBitfield = false;
  for (let i = 0; i < vlen; i++) {
    const m = ms[i];
    const mOff = m.bitsOffset;
    let mSz = m.bitfieldSize;
    const mAlign = packed ? 1 : alignOf(types, ptrSize, cache, m.type);
    const inBitfield = prevBitfield && mSz !== 0;

    emitBitPadding(ctx, off, mOff, mAlign, inBitfield, lvl + 1);
    out.push(memberNl);
    emitTypeDecl(ctx, m.type, m.name, lvl + 1);

    if (mSz) {
      out.push(': ', String(mSz), ';');
      off = mOff + mSz;
      prevBitfield = true;
    } else {
      mSz = Math.max(0, resolveSize(types, ptrSize, m.type));
      off = mOff + mSz * 8;
      prevBitfield = false;
      out.push(';');
    }
  }

  if (isStruct) emitBitPadding(ctx, off, t.size * 8, align, false, lvl + 1);

  // `struct empty {}` stays on one line.
  if (vlen || t.size) out.push('\n', pfx(lvl), '}');
  else out.push('}');
  if (packed) out.push(' __attribute__((packed))');
}

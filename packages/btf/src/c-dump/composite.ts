/**
 * struct/union definitions (libbpf `btf_dump_emit_struct_def`): one member per line,
 * explicit anonymous-bitfield padding wherever natural alignment would not reproduce
 * the BTF layout, and `__attribute__((packed))` for packed layouts.
 */
import type { DumpContext } from './context.js';
import { emitTypeDecl } from './decl.js';
import { alignOf, isStructPacked, resolveSize } from './layout.js';
import { pushTypeName } from './names.js';
import { nlPfx, pfx } from './pfx.js';

/** `struct NAME` / `union NAME` (or just the keyword when anonymous). */
export function emitStructFwd(ctx: DumpContext, id: number): void {
  ctx.out.push(ctx.kinds[id] === 4 /* STRUCT */ ? (ctx.nameOff(id) !== 0 ? 'struct ' : 'struct') : ctx.nameOff(id) !== 0 ? 'union ' : 'union');
  pushTypeName(ctx, id);
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
      out.push(nl, padType, ': ');
      out.uint(padBits);
      out.push(';');
      curOff += bits;
      continue;
    }
    // Remainder: the smallest type that holds it.
    for (let j = 3; j >= 0; j--) {
      if (padBitsList[j] < bits) continue;
      padType = PAD_NAMES[j];
      padBits = padBitsList[j];
      out.push(nl, padType, ': ');
      out.uint(bits);
      out.push(';');
      curOff += bits;
      break;
    }
  }
}

export function emitStructDef(ctx: DumpContext, id: number, lvl: number): void {
  const out = ctx.out;
  const table = ctx.table;
  const words = ctx.words;
  const ptrSize = ctx.ptrSize;
  const cache = ctx.alignCache;
  const r = ctx.rec[id]!;
  const info = words[r + 1]!;
  const vlen = info & 0xffff;
  const kflag = info >>> 31 === 1;
  const size = words[r + 2]!;
  const isStruct = ctx.kinds[id] === 4 /* STRUCT */;
  const align = alignOf(table, ptrSize, cache, id);
  const packed = isStruct ? isStructPacked(table, ptrSize, cache, id) : false;

  emitStructFwd(ctx, id);
  out.push(' {');

  const memberNl = nlPfx(lvl + 1);
  let off = 0;
  let prevBitfield = false;
  for (let i = 0, q = r + 3; i < vlen; i++, q += 3) {
    const mName = words[q]!;
    const mType = words[q + 1]!;
    const rawOff = words[q + 2]!;
    const mOff = kflag ? rawOff & 0xffffff : rawOff;
    let mSz = kflag ? rawOff >>> 24 : 0;
    const mAlign = packed ? 1 : alignOf(table, ptrSize, cache, mType);
    const inBitfield = prevBitfield && mSz !== 0;

    emitBitPadding(ctx, off, mOff, mAlign, inBitfield, lvl + 1);
    out.push(memberNl);
    emitTypeDecl(ctx, mType, mName, '', lvl + 1);

    if (mSz) {
      out.push(': ');
      out.uint(mSz);
      out.push(';');
      off = mOff + mSz;
      prevBitfield = true;
    } else {
      mSz = Math.max(0, resolveSize(table, ptrSize, mType));
      off = mOff + mSz * 8;
      prevBitfield = false;
      out.push(';');
    }
  }

  if (isStruct) emitBitPadding(ctx, off, size * 8, align, false, lvl + 1);

  // `struct empty {}` stays on one line.
  if (vlen || size) out.push('\n', pfx(lvl), '}');
  else out.push('}');
  if (packed) out.push(' __attribute__((packed))');
}

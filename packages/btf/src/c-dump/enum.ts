/**
 * enum definitions and forward references (libbpf `btf_dump_emit_enum_def`,
 * `btf_dump_emit_enum_fwd`, `btf_dump_emit_fwd_def`).
 */
import type { BtfEnum, BtfEnum64, BtfFwd } from '../types.js';
import type { DumpContext } from './context.js';
import { nameDups, typeName } from './names.js';
import { nlPfx } from './pfx.js';

export function emitEnumFwd(ctx: DumpContext, id: number): void {
  ctx.out.push('enum ', typeName(ctx, id));
}

/** `struct X` / `union X` for a FWD kind. */
export function emitFwdDef(ctx: DumpContext, id: number, t: BtfFwd): void {
  ctx.out.push(t.kindFlag ? 'union ' : 'struct ', typeName(ctx, id));
}

const U64_SIGN = 1n << 63n;

export function emitEnumDef(ctx: DumpContext, id: number, t: BtfEnum | BtfEnum64, lvl: number): void {
  const out = ctx.out;
  if (t.nameOff !== 0) out.push('enum ', typeName(ctx, id));
  else out.push('enum', typeName(ctx, id));
  const vlen = t.vlen;
  if (!vlen) return;

  out.push(' {');
  const nl = nlPfx(lvl + 1);
  const isSigned = t.kindFlag;
  const idents = ctx.identNames;
  const keys = ctx.info.enumKeys;
  const k0 = ctx.info.enumStart[id];
  if (t.kind === 'ENUM') {
    const vs = t.values;
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i];
      // Enumerators share the namespace of typedef names.
      const dup = nameDups(idents, keys[k0 + i]);
      const val = isSigned ? v.value | 0 : v.value >>> 0;
      if (dup > 1) out.push(nl, v.name, '___' + dup, ' = ', String(val), ',');
      else out.push(nl, v.name, ' = ', String(val), ',');
    }
  } else {
    const vs = t.values;
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i];
      const dup = nameDups(idents, keys[k0 + i]);
      const raw = BigInt.asUintN(64, v.value);
      const text = isSigned ? `${raw >= U64_SIGN ? raw - (1n << 64n) : raw}LL` : `${raw}ULL`;
      if (dup > 1) out.push(nl, v.name, '___' + dup, ' = ', text, ',');
      else out.push(nl, v.name, ' = ', text, ',');
    }
  }
  out.push(nlPfx(lvl), '}');

  // libbpf 1.1 prints no mode(byte)/mode(word) attributes for 1- and 8-byte enums.
}

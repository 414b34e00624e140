/**
 * enum definitions and forward references (libbpf `btf_dump_emit_enum_def`,
 * `btf_dump_emit_enum_fwd`, `btf_dump_emit_fwd_def`).
 */
import type { DumpContext } from './context.js';
import { nameDups, pushTypeName } from './names.js';
import { nlPfx } from './pfx.js';

export function emitEnumFwd(ctx: DumpContext, id: number): void {
  ctx.out.push('enum ');
  pushTypeName(ctx, id);
}

/** `struct X` / `union X` for a FWD kind. */
export function emitFwdDef(ctx: DumpContext, id: number): void {
  ctx.out.push(ctx.kindFlag(id) ? 'union ' : 'struct ');
  pushTypeName(ctx, id);
}

const U64_SIGN = 1n << 63n;

export function emitEnumDef(ctx: DumpContext, id: number, lvl: number): void {
  const out = ctx.out;
  const words = ctx.words;
  const r = ctx.rec[id]!;
  out.push(words[r] !== 0 ? 'enum ' : 'enum');
  pushTypeName(ctx, id);
  const info = words[r + 1]!;
  const vlen = info & 0xffff;
  if (!vlen) return;

  out.push(' {');
  const nl = nlPfx(lvl + 1);
  const isSigned = info >>> 31 === 1;
  const idents = ctx.identNames;
  const sinfo = ctx.info;
  if (ctx.kinds[id] === 6 /* ENUM */) {
    for (let i = 0, q = r + 3; i < vlen; i++, q += 2) {
      const vName = words[q]!;
      const raw = words[q + 1]!;
      // Enumerators share the namespace of typedef names.
      const dup = nameDups(idents, sinfo.nameKey(vName));
      out.push(nl);
      out.name(vName);
      if (dup > 1) out.push('___' + dup);
      out.push(' = ');
      if (isSigned && (raw | 0) < 0) {
        out.push('-');
        out.uint(-(raw | 0));
      } else {
        out.uint(raw);
      }
      out.push(',');
    }
  } else {
    for (let i = 0, q = r + 3; i < vlen; i++, q += 3) {
      const vName = words[q]!;
      const dup = nameDups(idents, sinfo.nameKey(vName));
      const raw = (BigInt(words[q + 2]!) << 32n) | BigInt(words[q + 1]!);
      const text = isSigned ? `${raw >= U64_SIGN ? raw - (1n << 64n) : raw}LL` : `${raw}ULL`;
      out.push(nl);
      out.name(vName);
      if (dup > 1) out.push('___' + dup);
      out.push(' = ', text, ',');
    }
  }
  out.push(nlPfx(lvl), '}');

  // libbpf 1.1 prints no mode(byte)/mode(word) attributes for 1- and 8-byte enums.
}

/** The kernel's BTF verifier log lines (`btf_verifier_log_type` / `_member` / `_vsi`). */
import type { Btf } from './btf.js';
import type { BtfMember, BtfType, BtfVarSecinfo } from './types.js';

const INT_ENC: Record<number, string> = { 0: '(none)', 1: 'SIGNED', 2: 'CHAR', 4: 'BOOL' };

function nameOf(btf: Btf, nameOff: number): string {
  if (nameOff === 0) return '(anon)';
  return btf.hasStr(nameOff) ? btf.str(nameOff) : '(invalid-name-offset)';
}

/** `<details>` part of a type line. */
export function kernelTypeDetails(btf: Btf, t: BtfType): string {
  switch (t.kind) {
    case 'INT':
      return `size=${t.size} bits_offset=${t.bitsOffset} nr_bits=${t.nrBits} encoding=${INT_ENC[t.encoding] ?? 'UNKN'}`;
    case 'PTR': case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG': case 'FUNC':
      return `type_id=${t.type}`;
    case 'ARRAY':
      return `type_id=${t.type} index_type_id=${t.indexType} nr_elems=${t.nelems}`;
    case 'STRUCT': case 'UNION': case 'ENUM': case 'ENUM64': case 'DATASEC':
      return `size=${t.size} vlen=${t.vlen}`;
    case 'FWD':
      return t.kindFlag ? 'union' : 'struct';
    case 'FUNC_PROTO': {
      const ps = t.params;
      let s = `return=${t.returnType} args=(`;
      if (ps.length === 0) s += 'void';
      else if (ps.length === 1 && ps[0]!.type === 0) s += 'vararg';
      else {
        s += ps.map((p, i) => (i === ps.length - 1 && p.type === 0 ? 'vararg' : `${p.type} ${nameOf(btf, p.nameOff)}`)).join(', ');
      }
      return `${s})`;
    }
    case 'VAR':
      return `type_id=${t.type} linkage=${t.linkage}`;
    case 'FLOAT':
      return `size=${t.size}`;
    case 'DECL_TAG':
      return `type=${t.type} component_idx=${t.componentIdx}`;
    case 'VOID':
      return '';
  }
}

export function kernelTypeLine(btf: Btf, t: BtfType, msg?: string): string {
  const d = kernelTypeDetails(btf, t);
  return `[${t.id}] ${t.kind === 'VOID' ? 'UNKNOWN' : t.kind} ${nameOf(btf, t.nameOff)}${d ? ` ${d}` : ''}${msg ? ` ${msg}` : ''}`;
}

export function kernelMemberLine(btf: Btf, owner: BtfType, m: BtfMember, msg: string): string {
  const base = owner.kindFlag
    ? `\t${nameOf(btf, m.nameOff)} type_id=${m.type} bitfield_size=${m.bitfieldSize} bits_offset=${m.bitsOffset}`
    : `\t${nameOf(btf, m.nameOff)} type_id=${m.type} bits_offset=${m.bitsOffset}`;
  return `${base} ${msg}`;
}

export function kernelVsiLine(v: BtfVarSecinfo, msg: string): string {
  return `\t type_id=${v.type} offset=${v.offset} size=${v.size} ${msg}`;
}

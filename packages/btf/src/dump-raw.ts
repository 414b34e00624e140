/**
 * `bpftool btf dump file X` (format raw), byte for byte as bpftool 7.1 prints it.
 * Split BTF prints only its own types (from `startId`). Output is built in a byte
 * buffer (names copied from the string section) so vmlinux dumps stay fast.
 */
import type { Btf } from './btf.js';
import { ByteWriter } from './byte-writer.js';
import type { BtfType } from './types.js';

const INT_ENC = ['(none)', 'SIGNED', 'CHAR', 'UNKN', 'BOOL'];
const LINKAGE = ['static', 'global', 'extern'];

/** bpftool's `btf_int_enc_str`. */
export function intEncodingName(enc: number): string {
  return INT_ENC[enc] ?? 'UNKN';
}
/** bpftool's `btf_func_linkage_str`. */
export function funcLinkageName(l: number): string {
  return LINKAGE[l] ?? '(unknown)';
}
/** bpftool's `btf_var_linkage_str`. */
export function varLinkageName(l: number): string {
  return LINKAGE[l] ?? '(unknown)';
}

/** bpftool's kind string (`UNKNOWN` for void / unknown kinds). */
export function bpftoolKindName(t: BtfType): string {
  return t.kind === 'VOID' ? 'UNKNOWN' : t.kind;
}

/** Append one type as bpftool prints it (without the trailing newline). */
export function writeRawType(w: ByteWriter, btf: Btf, t: BtfType): void {
  w.byte(91).uint(t.id).lit('] ').lit(bpftoolKindName(t)).lit(" '").name(btf, t.nameOff).byte(39);
  switch (t.kind) {
    case 'INT':
      w.lit(' size=').uint(t.size).lit(' bits_offset=').uint(t.bitsOffset).lit(' nr_bits=').uint(t.nrBits)
        .lit(' encoding=').lit(intEncodingName(t.encoding));
      return;
    case 'PTR': case 'CONST': case 'VOLATILE': case 'RESTRICT': case 'TYPEDEF': case 'TYPE_TAG':
      w.lit(' type_id=').uint(t.type);
      return;
    case 'ARRAY':
      w.lit(' type_id=').uint(t.type).lit(' index_type_id=').uint(t.indexType).lit(' nr_elems=').uint(t.nelems);
      return;
    case 'STRUCT': case 'UNION':
      w.lit(' size=').uint(t.size).lit(' vlen=').uint(t.vlen);
      for (const m of t.members) {
        w.lit("\n\t'").name(btf, m.nameOff).lit("' type_id=").uint(m.type).lit(' bits_offset=').uint(m.bitsOffset);
        if (m.bitfieldSize) w.lit(' bitfield_size=').uint(m.bitfieldSize);
      }
      return;
    case 'ENUM':
      w.lit(t.kindFlag ? ' encoding=SIGNED size=' : ' encoding=UNSIGNED size=').uint(t.size).lit(' vlen=').uint(t.vlen);
      for (const v of t.values) {
        w.lit("\n\t'").name(btf, v.nameOff).lit("' val=");
        if (t.kindFlag) w.int(v.value);
        else w.uint(v.value >>> 0);
      }
      return;
    case 'ENUM64':
      w.lit(t.kindFlag ? ' encoding=SIGNED size=' : ' encoding=UNSIGNED size=').uint(t.size).lit(' vlen=').uint(t.vlen);
      for (const v of t.values) {
        w.lit("\n\t'").name(btf, v.nameOff).lit("' val=")
          .str(t.kindFlag ? `${BigInt.asIntN(64, v.value)}LL` : `${v.value}ULL`);
      }
      return;
    case 'FWD':
      w.lit(t.kindFlag ? ' fwd_kind=union' : ' fwd_kind=struct');
      return;
    case 'FUNC':
      w.lit(' type_id=').uint(t.type).lit(' linkage=').lit(funcLinkageName(t.linkage));
      return;
    case 'FUNC_PROTO':
      w.lit(' ret_type_id=').uint(t.returnType).lit(' vlen=').uint(t.vlen);
      for (const p of t.params) w.lit("\n\t'").name(btf, p.nameOff).lit("' type_id=").uint(p.type);
      return;
    case 'VAR':
      w.lit(' type_id=').uint(t.type).lit(', linkage=').lit(varLinkageName(t.linkage));
      return;
    case 'DATASEC':
      w.lit(' size=').uint(t.size).lit(' vlen=').uint(t.vlen);
      for (const v of t.vars) {
        w.lit('\n\ttype_id=').uint(v.type).lit(' offset=').uint(v.offset).lit(' size=').uint(v.size);
        const vt = btf.types[v.type];
        if (vt) w.lit(' (').lit(bpftoolKindName(vt)).lit(" '").name(btf, vt.nameOff).lit("')");
      }
      return;
    case 'FLOAT':
      w.lit(' size=').uint(t.size);
      return;
    case 'DECL_TAG':
      w.lit(' type_id=').uint(t.type).lit(' component_idx=').int(t.componentIdx);
      return;
    case 'VOID':
      return;
  }
}

/** One type as bpftool prints it (no trailing newline). */
export function dumpRawType(btf: Btf, t: BtfType): string {
  const w = new ByteWriter(256);
  writeRawType(w, btf, t);
  return w.toString();
}

const KIND_STR = [
  'UNKNOWN', 'INT', 'PTR', 'ARRAY', 'STRUCT', 'UNION', 'ENUM', 'FWD', 'TYPEDEF', 'VOLATILE',
  'CONST', 'RESTRICT', 'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC', 'FLOAT', 'DECL_TAG', 'TYPE_TAG', 'ENUM64',
];

/** Append one type from the record table (same text as `writeRawType`). */
function writeRawRecord(w: ByteWriter, btf: Btf, id: number): void {
  const { words, rec, kinds, count } = btf.table;
  const r = rec[id]!;
  const kind = kinds[id]!;
  const info = words[r + 1]!;
  const vlen = info & 0xffff;
  const kflag = info >>> 31 === 1;
  const st = words[r + 2]!;
  w.byte(91).uint(id).lit('] ').lit(KIND_STR[kind]!).lit(" '").name(btf, words[r]!).byte(39);
  switch (kind) {
    case 1: {
      const x = words[r + 3]!;
      w.lit(' size=').uint(st).lit(' bits_offset=').uint((x >>> 16) & 0xff).lit(' nr_bits=').uint(x & 0xff)
        .lit(' encoding=').lit(intEncodingName((x >>> 24) & 0x0f));
      return;
    }
    case 2: case 8: case 9: case 10: case 11: case 18:
      w.lit(' type_id=').uint(st);
      return;
    case 3:
      w.lit(' type_id=').uint(words[r + 3]!).lit(' index_type_id=').uint(words[r + 4]!).lit(' nr_elems=').uint(words[r + 5]!);
      return;
    case 4: case 5:
      w.lit(' size=').uint(st).lit(' vlen=').uint(vlen);
      for (let i = 0, q = r + 3; i < vlen; i++, q += 3) {
        const off = words[q + 2]!;
        w.lit("\n\t'").name(btf, words[q]!).lit("' type_id=").uint(words[q + 1]!).lit(' bits_offset=').uint(kflag ? off & 0xffffff : off);
        if (kflag && off >>> 24) w.lit(' bitfield_size=').uint(off >>> 24);
      }
      return;
    case 6:
      w.lit(kflag ? ' encoding=SIGNED size=' : ' encoding=UNSIGNED size=').uint(st).lit(' vlen=').uint(vlen);
      for (let i = 0, q = r + 3; i < vlen; i++, q += 2) {
        w.lit("\n\t'").name(btf, words[q]!).lit("' val=");
        if (kflag) w.int(words[q + 1]! | 0);
        else w.uint(words[q + 1]!);
      }
      return;
    case 19:
      w.lit(kflag ? ' encoding=SIGNED size=' : ' encoding=UNSIGNED size=').uint(st).lit(' vlen=').uint(vlen);
      for (let i = 0, q = r + 3; i < vlen; i++, q += 3) {
        const v = (BigInt(words[q + 2]!) << 32n) | BigInt(words[q + 1]!);
        w.lit("\n\t'").name(btf, words[q]!).lit("' val=").str(kflag ? `${BigInt.asIntN(64, v)}LL` : `${v}ULL`);
      }
      return;
    case 7:
      w.lit(kflag ? ' fwd_kind=union' : ' fwd_kind=struct');
      return;
    case 12:
      w.lit(' type_id=').uint(st).lit(' linkage=').lit(funcLinkageName(vlen));
      return;
    case 13:
      w.lit(' ret_type_id=').uint(st).lit(' vlen=').uint(vlen);
      for (let i = 0, q = r + 3; i < vlen; i++, q += 2) w.lit("\n\t'").name(btf, words[q]!).lit("' type_id=").uint(words[q + 1]!);
      return;
    case 14:
      w.lit(' type_id=').uint(st).lit(', linkage=').lit(varLinkageName(words[r + 3]!));
      return;
    case 15:
      w.lit(' size=').uint(st).lit(' vlen=').uint(vlen);
      for (let i = 0, q = r + 3; i < vlen; i++, q += 3) {
        const vt = words[q]!;
        w.lit('\n\ttype_id=').uint(vt).lit(' offset=').uint(words[q + 1]!).lit(' size=').uint(words[q + 2]!);
        if (vt < count) w.lit(' (').lit(KIND_STR[kinds[vt]!]!).lit(" '").name(btf, words[rec[vt]!]!).lit("')");
      }
      return;
    case 16:
      w.lit(' size=').uint(st);
      return;
    case 17:
      w.lit(' type_id=').uint(st).lit(' component_idx=').int(words[r + 3]! | 0);
      return;
    default:
      return;
  }
}

/** The whole `bpftool btf dump file X` output (each type line ends with a newline). */
export function dumpRaw(btf: Btf): string {
  const w = new ByteWriter(Math.max(1024, btf.raw.length * 3));
  const n = btf.typeCount;
  for (let id = btf.startId; id < n; id++) {
    writeRawRecord(w, btf, id);
    w.byte(10);
  }
  return w.toString();
}

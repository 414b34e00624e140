/**
 * `bpftool -j btf dump file X`: the raw dump's fields written the way bpftool's
 * json_writer does (compact; `'` escaped as `\'`; unsigned fields printed as u64, so
 * negative enumerators of a non-signed ENUM sign-extend).
 */
import type { Btf } from './btf.js';
import { ByteWriter } from './byte-writer.js';
import { bpftoolKindName, funcLinkageName, intEncodingName, varLinkageName } from './dump-raw.js';
import type { BtfType } from './types.js';

function name(w: ByteWriter, btf: Btf, off: number): ByteWriter {
  return w.byte(34).name(btf, off, '(anon)', '(invalid)', true).byte(34);
}

/** Append one type object as bpftool writes it. */
export function writeJsonType(w: ByteWriter, btf: Btf, t: BtfType): void {
  w.lit('{"id":').uint(t.id).lit(',"kind":"').lit(bpftoolKindName(t)).lit('","name":');
  name(w, btf, t.nameOff);
  switch (t.kind) {
    case 'INT':
      w.lit(',"size":').uint(t.size).lit(',"bits_offset":').uint(t.bitsOffset).lit(',"nr_bits":').uint(t.nrBits)
        .lit(',"encoding":"').lit(intEncodingName(t.encoding)).byte(34);
      break;
    case 'PTR': case 'CONST': case 'VOLATILE': case 'RESTRICT': case 'TYPEDEF': case 'TYPE_TAG':
      w.lit(',"type_id":').uint(t.type);
      break;
    case 'ARRAY':
      w.lit(',"type_id":').uint(t.type).lit(',"index_type_id":').uint(t.indexType).lit(',"nr_elems":').uint(t.nelems);
      break;
    case 'STRUCT': case 'UNION': {
      w.lit(',"size":').uint(t.size).lit(',"vlen":').uint(t.vlen).lit(',"members":[');
      let first = true;
      for (const m of t.members) {
        if (!first) w.byte(44);
        first = false;
        w.lit('{"name":');
        name(w, btf, m.nameOff).lit(',"type_id":').uint(m.type).lit(',"bits_offset":').uint(m.bitsOffset);
        if (m.bitfieldSize) w.lit(',"bitfield_size":').uint(m.bitfieldSize);
        w.byte(125);
      }
      w.byte(93);
      break;
    }
    case 'ENUM': case 'ENUM64': {
      w.lit(t.kindFlag ? ',"encoding":"SIGNED","size":' : ',"encoding":"UNSIGNED","size":').uint(t.size)
        .lit(',"vlen":').uint(t.vlen).lit(',"values":[');
      let first = true;
      for (const v of t.values) {
        if (!first) w.byte(44);
        first = false;
        w.lit('{"name":');
        name(w, btf, v.nameOff).lit(',"val":');
        if (typeof v.value === 'bigint') w.str(String(t.kindFlag ? BigInt.asIntN(64, v.value) : v.value));
        else if (t.kindFlag || v.value >= 0) w.int(v.value);
        else w.str(String(BigInt.asUintN(64, BigInt(v.value))));
        w.byte(125);
      }
      w.byte(93);
      break;
    }
    case 'FWD':
      w.lit(t.kindFlag ? ',"fwd_kind":"union"' : ',"fwd_kind":"struct"');
      break;
    case 'FUNC':
      w.lit(',"type_id":').uint(t.type).lit(',"linkage":"').lit(funcLinkageName(t.linkage)).byte(34);
      break;
    case 'FUNC_PROTO': {
      w.lit(',"ret_type_id":').uint(t.returnType).lit(',"vlen":').uint(t.vlen).lit(',"params":[');
      let first = true;
      for (const p of t.params) {
        if (!first) w.byte(44);
        first = false;
        w.lit('{"name":');
        name(w, btf, p.nameOff).lit(',"type_id":').uint(p.type).byte(125);
      }
      w.byte(93);
      break;
    }
    case 'VAR':
      w.lit(',"type_id":').uint(t.type).lit(',"linkage":"').lit(varLinkageName(t.linkage)).byte(34);
      break;
    case 'DATASEC': {
      w.lit(',"size":').uint(t.size).lit(',"vlen":').uint(t.vlen).lit(',"vars":[');
      let first = true;
      for (const v of t.vars) {
        if (!first) w.byte(44);
        first = false;
        w.lit('{"type_id":').uint(v.type).lit(',"offset":').uint(v.offset).lit(',"size":').uint(v.size).byte(125);
      }
      w.byte(93);
      break;
    }
    case 'FLOAT':
      w.lit(',"size":').uint(t.size);
      break;
    case 'DECL_TAG':
      w.lit(',"type_id":').uint(t.type).lit(',"component_idx":').int(t.componentIdx);
      break;
    case 'VOID':
      break;
  }
  w.byte(125);
}

/** One type object as bpftool writes it. */
export function dumpJsonType(btf: Btf, t: BtfType): string {
  const w = new ByteWriter(256);
  writeJsonType(w, btf, t);
  return w.toString();
}

/** The whole `bpftool -j btf dump file X` output, including the final newline. */
export function dumpJson(btf: Btf): string {
  const w = new ByteWriter(Math.max(1024, btf.raw.length * 4));
  w.lit('{"types":[');
  const types = btf.types;
  for (let id = btf.startId; id < types.length; id++) {
    if (id !== btf.startId) w.byte(44);
    writeJsonType(w, btf, types[id]!);
  }
  w.lit(']}\n');
  return w.toString();
}

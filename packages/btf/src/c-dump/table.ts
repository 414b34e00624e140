/**
 * The dumper works on the struct-of-arrays `BtfTable` (host-order record words, see
 * btf.ts). A parsed `Btf` already has one; plain `{ types }` graphs (hand-built
 * records) are encoded into one here, with their names in a private string section.
 */
import { Btf, type BtfTable } from '../btf.js';
import { KIND_NAMES, type BtfType } from '../types.js';
import { BtfCDumpError } from './errors.js';

const CODES = new Map<string, number>(KIND_NAMES.map((k, i) => [k, i]));
const encoded = new WeakMap<readonly BtfType[], BtfTable>();
const utf8 = new TextEncoder();

export function tableOf(btf: { readonly types: readonly BtfType[] }): BtfTable {
  if (btf instanceof Btf) return btf.table;
  const types = btf.types;
  let t = encoded.get(types);
  if (t === undefined) {
    t = encode(types);
    encoded.set(types, t);
  }
  return t;
}

function encode(types: readonly BtfType[]): BtfTable {
  const n = types.length;
  if (n === 0 || types[0]!.kind !== 'VOID') throw new BtfCDumpError('BAD_TYPE', 'types[0] must be VOID', 0);
  const words: number[] = [];
  const rec = new Uint32Array(n);
  const kinds = new Uint8Array(n);
  // Offset 0 is the empty string (anonymous); offset 1 is an empty string too, for
  // records with a non-zero name offset but an empty name.
  const strs: string[] = ['', ''];
  let strLen = 2;
  const strOff = new Map<string, number>();
  const name = (nameOff: number, s: string): number => {
    if (nameOff === 0) return 0;
    if (s === '') return 1;
    let off = strOff.get(s);
    if (off === undefined) {
      off = strLen;
      strOff.set(s, off);
      strs.push(s);
      strLen += utf8.encode(s).length + 1;
    }
    return off;
  };
  for (let id = 0; id < n; id++) {
    const t = types[id]!;
    const kind = CODES.get(t.kind) ?? 0xff;
    if (kind === 0xff) throw new BtfCDumpError('BAD_TYPE', `unexpected kind ${t.kind}`, id);
    rec[id] = words.length;
    kinds[id] = kind;
    const entries = 'members' in t ? t.members.length : 'values' in t ? t.values.length : 'params' in t ? t.params.length : 'vars' in t ? t.vars.length : t.vlen;
    const info = ((t.kindFlag ? 1 : 0) << 31) | (kind << 24) | (entries & 0xffff);
    let third = 0;
    if ('size' in t) third = t.size;
    else if (t.kind === 'FUNC_PROTO') third = t.returnType;
    else if ('type' in t && t.kind !== 'ARRAY') third = t.type;
    words.push(name(t.nameOff, t.name), info >>> 0, third);
    switch (t.kind) {
      case 'INT': words.push(((t.encoding & 0x0f) << 24) | ((t.bitsOffset & 0xff) << 16) | (t.nrBits & 0xff)); break;
      case 'ARRAY': words.push(t.type, t.indexType, t.nelems); break;
      case 'STRUCT': case 'UNION':
        for (const m of t.members) words.push(name(m.nameOff, m.name), m.type, t.kindFlag ? ((m.bitfieldSize << 24) | (m.bitsOffset & 0xffffff)) >>> 0 : m.bitsOffset);
        break;
      case 'ENUM': for (const v of t.values) words.push(name(v.nameOff, v.name), v.value >>> 0); break;
      case 'ENUM64':
        for (const v of t.values) {
          const u = BigInt.asUintN(64, v.value);
          words.push(name(v.nameOff, v.name), Number(u & 0xffffffffn), Number(u >> 32n));
        }
        break;
      case 'FUNC_PROTO': for (const p of t.params) words.push(name(p.nameOff, p.name), p.type); break;
      case 'DATASEC': for (const v of t.vars) words.push(v.type, v.offset, v.size); break;
      case 'VAR': words.push(t.linkage); break;
      case 'DECL_TAG': words.push(t.componentIdx >>> 0); break;
      default: break;
    }
  }
  const str = new Uint8Array(strLen);
  let p = 0;
  for (const s of strs) {
    p += utf8.encodeInto(s, str.subarray(p)).written + 1;
  }
  return { words: Uint32Array.from(words), rec, kinds, count: n, str };
}

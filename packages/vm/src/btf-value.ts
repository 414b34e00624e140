/**
 * Bytes → plain JS by BTF: ints (numbers; 64-bit ones as numbers when exact, else bigint),
 * bools, enums (the enumerator name when one matches), char arrays (strings), other arrays,
 * structs/unions and DATASECs (objects by member / variable name), pointers (addresses, null
 * for 0). The special kernel structs (`bpf_spin_lock`, `bpf_list_head`, …) and kptr fields are
 * shown as markers unless a `special` hook returns something else for them.
 */
import type { Btf, BtfType } from '@bpfkit/btf';

export type Decoded = number | bigint | boolean | string | null | Decoded[] | { [k: string]: Decoded } | { readonly $marker: string; readonly [k: string]: unknown };

export const SPECIAL_STRUCTS: ReadonlySet<string> = new Set([
  'bpf_spin_lock', 'bpf_res_spin_lock', 'bpf_list_head', 'bpf_list_node', 'bpf_rb_root', 'bpf_rb_node', 'bpf_refcount',
  'bpf_timer', 'bpf_wq', 'bpf_task_work',
]);

export interface DecodeOptions {
  /**
   * Called for special structs (by name) and kptr fields (`kptr`, `kptr_untrusted`, `percpu_kptr`)
   * with the absolute address of the field (`base` + offset); a non-undefined result replaces the marker.
   */
  readonly special?: (kind: string, addr: number, typeId: number) => Decoded | undefined;
  /** Absolute address of `bytes[0]` in core memory (for the hook). */
  readonly base?: number;
  readonly maxDepth?: number;
}

const INT_SIGNED = 1;
const INT_CHAR = 2;
const INT_BOOL = 4;

function resolve(btf: Btf, id: number): BtfType {
  let t = btf.type(id);
  for (let d = 0; d < 32 && (t.kind === 'TYPEDEF' || t.kind === 'CONST' || t.kind === 'VOLATILE' || t.kind === 'RESTRICT' || t.kind === 'TYPE_TAG'); d++) {
    t = btf.type((t as { type: number }).type);
  }
  return t;
}

function kptrTag(btf: Btf, id: number): string | undefined {
  let t = btf.type(id);
  for (let d = 0; d < 32 && (t.kind === 'TYPEDEF' || t.kind === 'CONST' || t.kind === 'VOLATILE' || t.kind === 'RESTRICT'); d++) t = btf.type((t as { type: number }).type);
  if (t.kind !== 'PTR') return undefined;
  const tag = btf.types[t.type];
  if (tag?.kind === 'TYPE_TAG' && ['kptr', 'kptr_untrusted', 'percpu_kptr'].includes(tag.name)) return tag.name;
  return undefined;
}

function intValue(dv: DataView, off: number, size: number, signed: boolean): number | bigint {
  switch (size) {
    case 1:
      return signed ? dv.getInt8(off) : dv.getUint8(off);
    case 2:
      return signed ? dv.getInt16(off, true) : dv.getUint16(off, true);
    case 4:
      return signed ? dv.getInt32(off, true) : dv.getUint32(off, true);
    case 8: {
      const v = signed ? dv.getBigInt64(off, true) : dv.getBigUint64(off, true);
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    default: {
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(dv.getUint8(off + i));
      return v;
    }
  }
}

function bitfield(dv: DataView, byteOff: number, bitOff: number, bits: number, size: number, signed: boolean): number | bigint {
  let raw = 0n;
  const nbytes = Math.min(size, dv.byteLength - byteOff);
  for (let i = nbytes - 1; i >= 0; i--) raw = (raw << 8n) | BigInt(dv.getUint8(byteOff + i));
  let v = (raw >> BigInt(bitOff)) & ((1n << BigInt(bits)) - 1n);
  if (signed && bits > 0 && v >> BigInt(bits - 1)) v -= 1n << BigInt(bits);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Decodes `bytes` (at least the type's size) as BTF type `typeId`. */
export function decodeValue(btf: Btf, typeId: number, bytes: Uint8Array, opts: DecodeOptions = {}): Decoded {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = opts.base ?? 0;
  const maxDepth = opts.maxDepth ?? 16;

  const dec = (id: number, off: number, depth: number): Decoded => {
    if (depth > maxDepth) return { $marker: '…' };
    const tag = kptrTag(btf, id);
    if (tag) {
      const addr = Number(dv.getBigUint64(off, true) & 0xffffffffn);
      const r = opts.special?.(tag, base + off, id);
      return r !== undefined ? r : { $marker: tag, addr: addr || null };
    }
    const t = resolve(btf, id);
    switch (t.kind) {
      case 'INT':
        if (t.encoding & INT_BOOL) return dv.getUint8(off) !== 0;
        return intValue(dv, off, t.size, (t.encoding & INT_SIGNED) !== 0);
      case 'ENUM': {
        const v = intValue(dv, off, t.size, true) as number;
        const u = t.size === 4 ? v >>> 0 : v;
        const e = t.values.find((x) => x.value === v || x.value >>> 0 === u);
        return e ? e.name : v;
      }
      case 'ENUM64': {
        const v = dv.getBigUint64(off, true);
        const e = t.values.find((x) => x.value === v);
        return e ? e.name : v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      case 'FLOAT':
        return t.size === 4 ? dv.getFloat32(off, true) : t.size === 8 ? dv.getFloat64(off, true) : null;
      case 'PTR': {
        const v = Number(dv.getBigUint64(off, true) & 0xffffffffffffn);
        return v === 0 ? null : v;
      }
      case 'ARRAY': {
        const elem = resolve(btf, t.type);
        if (elem.kind === 'INT' && elem.size === 1 && (elem.encoding & INT_CHAR || elem.name === 'char')) {
          const b = bytes.subarray(off, off + t.nelems);
          const nul = b.indexOf(0);
          return new TextDecoder().decode(nul < 0 ? b : b.subarray(0, nul));
        }
        const esz = sizeOfType(btf, t.type);
        const out: Decoded[] = [];
        for (let i = 0; i < t.nelems; i++) out.push(dec(t.type, off + i * esz, depth + 1));
        return out;
      }
      case 'STRUCT':
      case 'UNION': {
        if (SPECIAL_STRUCTS.has(t.name)) {
          const r = opts.special?.(t.name, base + off, t.id);
          return r !== undefined ? r : { $marker: t.name };
        }
        const o: { [k: string]: Decoded } = {};
        for (const m of t.members) {
          const byte = Math.floor(m.bitsOffset / 8);
          let v: Decoded;
          if (m.bitfieldSize) {
            const mt = resolve(btf, m.type);
            const signed = mt.kind === 'INT' ? (mt.encoding & INT_SIGNED) !== 0 : false;
            v = bitfield(dv, off + byte, m.bitsOffset % 8, m.bitfieldSize, Math.ceil(((m.bitsOffset % 8) + m.bitfieldSize) / 8), signed);
          } else v = dec(m.type, off + byte, depth + 1);
          if (m.name === '' && v !== null && typeof v === 'object' && !Array.isArray(v) && !('$marker' in v)) Object.assign(o, v);
          else o[m.name] = v;
        }
        return o;
      }
      case 'DATASEC': {
        const o: { [k: string]: Decoded } = {};
        for (const s of t.vars) {
          const v = btf.type(s.type);
          if (v.kind !== 'VAR') continue;
          o[v.name] = dec(v.type, off + s.offset, depth + 1);
        }
        return o;
      }
      case 'VAR':
        return dec(t.type, off, depth);
      default:
        return null;
    }
  };
  return dec(typeId, 0, 0);
}

export function sizeOfType(btf: Btf, id: number): number {
  const t = resolve(btf, id);
  switch (t.kind) {
    case 'INT': case 'ENUM': case 'ENUM64': case 'FLOAT': case 'STRUCT': case 'UNION': case 'DATASEC':
      return t.size;
    case 'PTR':
      return 8;
    case 'ARRAY':
      return t.nelems * sizeOfType(btf, t.type);
    case 'VAR':
      return sizeOfType(btf, t.type);
    default:
      return 0;
  }
}

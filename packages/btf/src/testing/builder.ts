/**
 * `BtfBuilder`: emits BTF bytes from a declarative list of types. Meant for tests,
 * fuzzers and tools that synthesise BTF. Ids are assigned in order of `add` (starting
 * at 1, or after the base for split BTF); strings are interned.
 *
 * Raw escape hatches (`rawInfo`, `rawName`, `nameOff`) allow deliberately malformed
 * records for negative tests.
 */
import { KIND_NAMES, type BtfKindName } from '../types.js';

interface Common {
  /** Name (interned). Omit or '' for anonymous. */
  name?: string;
  /** Use this raw name offset instead of interning `name`. */
  nameOff?: number;
  kindFlag?: boolean;
  /** Replace the whole `info` word. */
  rawInfo?: number;
}
export type BtfTypeSpec =
  | (Common & { kind: 'INT'; size: number; encoding?: number; bitsOffset?: number; nrBits?: number; rawIntData?: number })
  | (Common & { kind: 'PTR' | 'TYPEDEF' | 'VOLATILE' | 'CONST' | 'RESTRICT' | 'TYPE_TAG'; type: number })
  | (Common & { kind: 'ARRAY'; type: number; indexType: number; nelems: number })
  | (Common & { kind: 'STRUCT' | 'UNION'; size: number; members: { name?: string; type: number; bitsOffset: number; bitfieldSize?: number }[] })
  | (Common & { kind: 'ENUM'; size?: number; values: { name: string; value: number }[] })
  | (Common & { kind: 'ENUM64'; size?: number; values: { name: string; value: bigint }[] })
  | (Common & { kind: 'FWD'; union?: boolean })
  | (Common & { kind: 'FUNC'; type: number; linkage?: number })
  | (Common & { kind: 'FUNC_PROTO'; returnType: number; params: { name?: string; type: number }[] })
  | (Common & { kind: 'VAR'; type: number; linkage?: number })
  | (Common & { kind: 'DATASEC'; size: number; vars: { type: number; offset: number; size: number }[] })
  | (Common & { kind: 'FLOAT'; size: number })
  | (Common & { kind: 'DECL_TAG'; type: number; componentIdx?: number });

export interface BtfBuildOptions {
  bigEndian?: boolean;
  /** Extra header bytes (hdr_len = 24 + length). */
  headerExtra?: Uint8Array;
}

export class BtfBuilder {
  readonly specs: BtfTypeSpec[] = [];
  private readonly strs: string[] = [''];
  private readonly strOff = new Map<string, number>([['', 0]]);
  private strLen = 1;
  /** First id `add` will hand out (1, or the base's type count for split BTF). */
  readonly startId: number;
  /** Base string length for split BTF (offsets of own strings start here). */
  readonly strBase: number;

  constructor(opts: { startId?: number; strBase?: number } = {}) {
    this.startId = opts.startId ?? 1;
    this.strBase = opts.strBase ?? 0;
    if (this.strBase > 0) {
      // split BTF: no leading empty string needed, '' maps to offset 0 of the base
      this.strs.length = 0;
      this.strLen = 0;
    }
  }

  /** Build a blob from a declarative list in one go. */
  static build(specs: BtfTypeSpec[], opts: BtfBuildOptions = {}): Uint8Array {
    const b = new BtfBuilder();
    for (const s of specs) b.add(s);
    return b.build(opts);
  }

  /** Intern a string, returning its offset. */
  str(s: string): number {
    if (s === '') return 0;
    let off = this.strOff.get(s);
    if (off === undefined) {
      off = this.strBase + this.strLen;
      this.strOff.set(s, off);
      this.strs.push(s);
      this.strLen += Buffer.byteLength(s) + 1;
    }
    return off;
  }

  /** Append a type; returns its id. */
  add(spec: BtfTypeSpec): number {
    this.specs.push(spec);
    if (spec.name) this.str(spec.name);
    return this.startId + this.specs.length - 1;
  }

  /** Id the next `add` will return. */
  get nextId(): number {
    return this.startId + this.specs.length;
  }

  int(name: string, size: number, opts: { signed?: boolean; char?: boolean; bool?: boolean; nrBits?: number } = {}): number {
    const encoding = (opts.signed ? 1 : 0) | (opts.char ? 2 : 0) | (opts.bool ? 4 : 0);
    return this.add({ kind: 'INT', name, size, encoding, nrBits: opts.nrBits ?? size * 8 });
  }
  ptr(type: number): number { return this.add({ kind: 'PTR', type }); }
  typedef(name: string, type: number): number { return this.add({ kind: 'TYPEDEF', name, type }); }
  const(type: number): number { return this.add({ kind: 'CONST', type }); }
  volatile(type: number): number { return this.add({ kind: 'VOLATILE', type }); }
  typeTag(name: string, type: number, kindFlag = false): number { return this.add({ kind: 'TYPE_TAG', name, type, kindFlag }); }
  array(type: number, indexType: number, nelems: number): number { return this.add({ kind: 'ARRAY', type, indexType, nelems }); }
  /** Members with byte offsets given as `offset` (converted to bits) or `bitsOffset`. */
  struct(name: string, size: number, members: { name?: string; type: number; offset?: number; bitsOffset?: number; bitfieldSize?: number }[], union = false): number {
    const ms = members.map((m) => ({ name: m.name, type: m.type, bitsOffset: m.bitsOffset ?? (m.offset ?? 0) * 8, bitfieldSize: m.bitfieldSize }));
    return this.add({ kind: union ? 'UNION' : 'STRUCT', name, size, members: ms, kindFlag: ms.some((m) => m.bitfieldSize) });
  }
  enum(name: string, values: { name: string; value: number }[], size = 4, signed = false): number {
    return this.add({ kind: 'ENUM', name, size, values, kindFlag: signed });
  }
  fwd(name: string, union = false): number { return this.add({ kind: 'FWD', name, union }); }
  funcProto(returnType: number, params: { name?: string; type: number }[]): number { return this.add({ kind: 'FUNC_PROTO', returnType, params }); }
  func(name: string, proto: number, linkage = 1): number { return this.add({ kind: 'FUNC', name, type: proto, linkage }); }
  variable(name: string, type: number, linkage = 1): number { return this.add({ kind: 'VAR', name, type, linkage }); }
  datasec(name: string, size: number, vars: { type: number; offset: number; size: number }[]): number { return this.add({ kind: 'DATASEC', name, size, vars }); }
  float(name: string, size: number): number { return this.add({ kind: 'FLOAT', name, size }); }
  declTag(name: string, type: number, componentIdx = -1): number { return this.add({ kind: 'DECL_TAG', name, type, componentIdx }); }

  /** Serialise header + types + strings. */
  build(opts: BtfBuildOptions = {}): Uint8Array {
    const le = !opts.bigEndian;
    const words: number[] = [];
    const info = (s: BtfTypeSpec, vlen: number): number => {
      if (s.rawInfo !== undefined) return s.rawInfo >>> 0;
      const kind = KIND_NAMES.indexOf(s.kind as BtfKindName);
      return ((s.kindFlag ? 0x80000000 : 0) | (kind << 24) | (vlen & 0xffff)) >>> 0;
    };
    const nameOf = (s: BtfTypeSpec): number => s.nameOff ?? this.str(s.name ?? '');
    for (const s of this.specs) {
      switch (s.kind) {
        case 'INT': {
          const data = s.rawIntData ?? (((s.encoding ?? 0) << 24) | ((s.bitsOffset ?? 0) << 16) | (s.nrBits ?? s.size * 8));
          words.push(nameOf(s), info(s, 0), s.size, data >>> 0);
          break;
        }
        case 'PTR': case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG':
          words.push(nameOf(s), info(s, 0), s.type);
          break;
        case 'ARRAY':
          words.push(nameOf(s), info(s, 0), 0, s.type, s.indexType, s.nelems);
          break;
        case 'STRUCT': case 'UNION':
          words.push(nameOf(s), info(s, s.members.length), s.size);
          for (const m of s.members) {
            const off = s.kindFlag ? (((m.bitfieldSize ?? 0) << 24) | m.bitsOffset) >>> 0 : m.bitsOffset;
            words.push(this.str(m.name ?? ''), m.type, off);
          }
          break;
        case 'ENUM':
          words.push(nameOf(s), info(s, s.values.length), s.size ?? 4);
          for (const v of s.values) words.push(this.str(v.name), v.value >>> 0);
          break;
        case 'ENUM64':
          words.push(nameOf(s), info(s, s.values.length), s.size ?? 8);
          for (const v of s.values) {
            const u = BigInt.asUintN(64, v.value);
            words.push(this.str(v.name), Number(u & 0xffffffffn), Number(u >> 32n));
          }
          break;
        case 'FWD':
          words.push(nameOf(s), info({ ...s, kindFlag: s.kindFlag ?? s.union }, 0), 0);
          break;
        case 'FUNC':
          words.push(nameOf(s), info(s, s.linkage ?? 1), s.type);
          break;
        case 'FUNC_PROTO':
          words.push(nameOf(s), info(s, s.params.length), s.returnType);
          for (const p of s.params) words.push(this.str(p.name ?? ''), p.type);
          break;
        case 'VAR':
          words.push(nameOf(s), info(s, 0), s.type, s.linkage ?? 1);
          break;
        case 'DATASEC':
          words.push(nameOf(s), info(s, s.vars.length), s.size);
          for (const v of s.vars) words.push(v.type, v.offset, v.size);
          break;
        case 'FLOAT':
          words.push(nameOf(s), info(s, 0), s.size);
          break;
        case 'DECL_TAG':
          words.push(nameOf(s), info(s, 0), s.type, (s.componentIdx ?? -1) >>> 0);
          break;
      }
    }
    const strBytes = Buffer.from(this.strs.map((x) => `${x}\0`).join(''), 'utf8');
    const extra = opts.headerExtra ?? new Uint8Array(0);
    const hdrLen = 24 + extra.length;
    const typeLen = words.length * 4;
    const out = new Uint8Array(hdrLen + typeLen + strBytes.length);
    const dv = new DataView(out.buffer);
    dv.setUint16(0, 0xeb9f, le);
    out[2] = 1;
    out[3] = 0;
    dv.setUint32(4, hdrLen, le);
    dv.setUint32(8, 0, le);
    dv.setUint32(12, typeLen, le);
    dv.setUint32(16, typeLen, le);
    dv.setUint32(20, strBytes.length, le);
    out.set(extra, 24);
    for (let i = 0; i < words.length; i++) dv.setUint32(hdrLen + i * 4, words[i]! >>> 0, le);
    out.set(strBytes, hdrLen + typeLen);
    return out;
  }
}

/**
 * BTF validation with the rules of Linux 6.18 `kernel/bpf/btf.c` (formats.md §2.7):
 * per-type meta checks in id order, depth-first resolution (`Loop detected`,
 * `Exceeded max resolving depth:32`), FUNC_PROTO/FUNC checks and type-tag placement.
 * Like the kernel, validation stops at the first error and reports its exact message,
 * the type id, an errno name and the kernel's log line.
 *
 * Modes:
 * - `kernel` (default): the blob as `BPF_BTF_LOAD` would see it.
 * - `object`: the `.BTF` of a clang object as written. Problems that libbpf fixes up
 *   before loading (DATASEC size 0 and its unset offsets, extern FUNC/VAR linkage,
 *   unnamed parameters of extern FUNCs, FUNC entries of `.ksyms`) are reported in
 *   `fixups` instead of failing.
 */
import type { Btf } from './btf.js';
import { BtfError } from './errors.js';
import { parseBtf } from './parse.js';
import { checkBtfHeader } from './validate-header.js';
import { kernelMemberLine, kernelTypeLine, kernelVsiLine } from './validate-log.js';
import { isValidIdentifier, isValidSectionName } from './validate-names.js';
import type { BtfType } from './types.js';

export type ValidationMode = 'kernel' | 'object';
export type ValidationStage = 'header' | 'meta' | 'resolve' | 'type_tags' | 'parse';

export interface BtfIssue {
  readonly stage: ValidationStage;
  /** Exact kernel message, e.g. `Invalid member bits_offset`, `Loop detected`. */
  readonly message: string;
  /** errno name: `EINVAL`, `E2BIG`, `EEXIST`, `ENOTSUPP`, `ELOOP`. */
  readonly errno: string;
  readonly typeId: number | undefined;
  /** Index of the member / enumerator / DATASEC entry, when the message is about one. */
  readonly memberIndex?: number;
  readonly offset?: number | undefined;
  /** The kernel's log line for this problem. */
  readonly line: string;
}

export interface BtfValidationResult {
  readonly ok: boolean;
  /** First error (the kernel stops there). */
  readonly error: BtfIssue | undefined;
  /** In `object` mode: problems libbpf fixes before loading. */
  readonly fixups: readonly BtfIssue[];
}

export interface ValidateOptions {
  readonly mode?: ValidationMode;
}

class Fail extends Error {
  constructor(readonly issue: BtfIssue) {
    super(issue.message);
  }
}

const RESOLVE_SOURCE_ONLY = new Set(['VAR', 'DATASEC', 'DECL_TAG']);
const NOSIZE = new Set(['VOID', 'FWD', 'FUNC', 'FUNC_PROTO']);
const MODIFIER = new Set(['TYPEDEF', 'VOLATILE', 'CONST', 'RESTRICT', 'TYPE_TAG']);
const NEEDS_RESOLVE = new Set(['STRUCT', 'UNION', 'ARRAY', 'PTR', 'TYPEDEF', 'VOLATILE', 'CONST', 'RESTRICT', 'TYPE_TAG', 'VAR', 'DATASEC', 'DECL_TAG']);
const MAX_RESOLVE_DEPTH = 32;
const BTF_MAX_TYPE = 0xfffff;
const U32_MAX = 0xffffffff;

const enum Mode { TBD, PTR, SOA }

function isRegularInt(t: BtfType): boolean {
  if (t.kind !== 'INT') return false;
  const bytes = Math.ceil(t.nrBits / 8);
  return t.nrBits % 8 === 0 && t.bitsOffset === 0 && [1, 2, 4, 8, 16].includes(bytes);
}

class Validator {
  private readonly types: readonly BtfType[];
  private readonly state: Uint8Array; // 0 TBD, 1 visiting, 2 resolved
  readonly fixups: BtfIssue[] = [];
  private readonly dv: DataView;

  constructor(private readonly btf: Btf, private readonly mode: ValidationMode) {
    this.types = btf.types;
    this.state = new Uint8Array(btf.types.length);
    this.state.fill(2, 0, btf.startId);
    this.dv = new DataView(btf.raw.buffer, btf.raw.byteOffset, btf.raw.byteLength);
  }

  private fail(stage: ValidationStage, t: BtfType | undefined, message: string, opts: { errno?: string; line?: string; memberIndex?: number; fixup?: boolean } = {}): void {
    const issue: BtfIssue = {
      stage, message, errno: opts.errno ?? 'EINVAL', typeId: t?.id, memberIndex: opts.memberIndex,
      line: opts.line ?? (t ? kernelTypeLine(this.btf, t, message) : message),
    };
    if (opts.fixup && this.mode === 'object') {
      this.fixups.push(issue);
      return;
    }
    throw new Fail(issue);
  }

  private validType(id: number): boolean {
    return id <= BTF_MAX_TYPE;
  }

  private str(off: number): string {
    return this.btf.hasStr(off) ? this.btf.str(off) : '';
  }

  run(): void {
    const { btf, types } = this;
    for (let id = btf.startId; id < types.length; id++) this.checkMeta(types[id]!);
    for (let id = btf.startId; id < types.length; id++) {
      const t = types[id]!;
      if (NEEDS_RESOLVE.has(t.kind) && this.state[id] !== 2) this.resolveTop(t);
      if (t.kind === 'FUNC_PROTO') this.checkFuncProto(t);
      if (t.kind === 'FUNC') this.checkFunc(t);
    }
    this.checkTypeTags();
  }

  // ---- CHECK_META -----------------------------------------------------------------
  private checkMeta(t: BtfType): void {
    const id = t.id;
    const info = this.btf.rawInfo(id);
    if ((info & ~0x9f00ffff) !== 0) this.fail('meta', t, `Invalid btf_info:${info.toString(16)}`, { line: `[${id}] Invalid btf_info:${info.toString(16)}` });
    if (!this.btf.hasStr(t.nameOff)) this.fail('meta', t, `Invalid name_offset:${t.nameOff}`, { line: `[${id}] Invalid name_offset:${t.nameOff}` });
    const vlen0 = (): void => { if (t.vlen !== 0) this.fail('meta', t, 'vlen != 0'); };
    const noKflag = (): void => { if (t.kindFlag) this.fail('meta', t, 'Invalid btf_info kind_flag'); };
    switch (t.kind) {
      case 'INT': {
        vlen0();
        noKflag();
        const word = this.dv.getUint32(this.btf.typeOffsets[id - this.btf.startId]! + 12, !this.btf.bigEndian);
        if (word & ~0x0fffffff) this.fail('meta', t, `Invalid int_data:${word.toString(16)}`);
        if (t.nrBits > 128) this.fail('meta', t, 'nr_bits exceeds 128');
        if (Math.ceil((t.nrBits + t.bitsOffset) / 8) > t.size) this.fail('meta', t, 'nr_bits exceeds type_size');
        if (t.encoding && t.encoding !== 1 && t.encoding !== 2 && t.encoding !== 4) this.fail('meta', t, 'Unsupported encoding', { errno: 'ENOTSUPP' });
        return;
      }
      case 'PTR': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPEDEF': case 'TYPE_TAG':
        vlen0();
        if (t.kindFlag && t.kind !== 'TYPE_TAG') this.fail('meta', t, 'Invalid btf_info kind_flag');
        if (!this.validType(t.type)) this.fail('meta', t, 'Invalid type_id');
        if (t.kind === 'TYPE_TAG') {
          if (t.name === '') this.fail('meta', t, 'Invalid name');
        } else if (t.kind === 'TYPEDEF') {
          if (!isValidIdentifier(t.name)) this.fail('meta', t, 'Invalid name');
        } else if (t.nameOff) this.fail('meta', t, 'Invalid name');
        return;
      case 'FWD':
        vlen0();
        if (!isValidIdentifier(t.name)) this.fail('meta', t, 'Invalid name');
        return;
      case 'ARRAY':
        vlen0();
        if (t.nameOff) this.fail('meta', t, 'Invalid name');
        noKflag();
        if (this.dv.getUint32(this.btf.typeOffsets[id - this.btf.startId]! + 8, !this.btf.bigEndian)) this.fail('meta', t, 'size != 0');
        if (!t.type || !this.validType(t.type)) this.fail('meta', t, 'Invalid elem');
        if (!t.indexType || !this.validType(t.indexType)) this.fail('meta', t, 'Invalid index');
        return;
      case 'STRUCT': case 'UNION': {
        if (t.nameOff && !isValidIdentifier(t.name)) this.fail('meta', t, 'Invalid name');
        let last = 0;
        t.members.forEach((m, i) => {
          const line = (msg: string): { line: string; memberIndex: number } => ({ line: kernelMemberLine(this.btf, t, m, msg), memberIndex: i });
          if (!this.btf.hasStr(m.nameOff)) this.fail('meta', t, `Invalid member name_offset:${m.nameOff}`, line(`Invalid member name_offset:${m.nameOff}`));
          if (m.nameOff && !isValidIdentifier(m.name)) this.fail('meta', t, 'Invalid name', line('Invalid name'));
          if (!m.type || !this.validType(m.type)) this.fail('meta', t, 'Invalid type_id', line('Invalid type_id'));
          if (t.kind === 'UNION' && m.bitsOffset) this.fail('meta', t, 'Invalid member bits_offset', line('Invalid member bits_offset'));
          if (last > m.bitsOffset) this.fail('meta', t, 'Invalid member bits_offset', line('Invalid member bits_offset'));
          if (Math.ceil(m.bitsOffset / 8) > t.size) this.fail('meta', t, 'Member bits_offset exceeds its struct size', line('Member bits_offset exceeds its struct size'));
          last = m.bitsOffset;
        });
        return;
      }
      case 'ENUM': case 'ENUM64': {
        if (t.size > 8 || t.size === 0 || (t.size & (t.size - 1)) !== 0) this.fail('meta', t, 'Unexpected size');
        if (t.nameOff && !isValidIdentifier(t.name)) this.fail('meta', t, 'Invalid name');
        t.values.forEach((v, i) => {
          if (!this.btf.hasStr(v.nameOff)) this.fail('meta', t, `Invalid name_offset:${v.nameOff}`, { memberIndex: i });
          if (!v.nameOff || !isValidIdentifier(v.name)) this.fail('meta', t, 'Invalid name', { memberIndex: i, line: `\t${v.name || '(anon)'} val=${String(v.value)} Invalid name` });
        });
        return;
      }
      case 'FUNC_PROTO':
        if (t.nameOff) this.fail('meta', t, 'Invalid name');
        noKflag();
        return;
      case 'FUNC':
        if (!isValidIdentifier(t.name)) this.fail('meta', t, 'Invalid name');
        if (t.linkage > 1) this.fail('meta', t, 'Invalid func linkage', { fixup: t.linkage === 2 });
        noKflag();
        return;
      case 'VAR':
        vlen0();
        noKflag();
        if (!isValidIdentifier(t.name)) this.fail('meta', t, 'Invalid name');
        if (!t.type || !this.validType(t.type)) this.fail('meta', t, 'Invalid type_id');
        if (t.linkage !== 0 && t.linkage !== 1) this.fail('meta', t, 'Linkage not supported', { fixup: t.linkage === 2 });
        return;
      case 'DATASEC': {
        const sizeless = t.size === 0;
        if (sizeless) this.fail('meta', t, 'size == 0', { fixup: true });
        noKflag();
        if (!isValidSectionName(t.name)) this.fail('meta', t, 'Invalid name');
        if (sizeless) return; // object mode: libbpf fills size and offsets
        let lastEnd = 0;
        let sum = 0;
        t.vars.forEach((v, i) => {
          const o = { memberIndex: i };
          if (!v.type || !this.validType(v.type)) this.fail('meta', t, 'Invalid type', { ...o, line: kernelVsiLine(v, 'Invalid type') });
          if (v.offset < lastEnd || v.offset >= t.size) this.fail('meta', t, 'Invalid offset', { ...o, line: kernelVsiLine(v, 'Invalid offset') });
          if (!v.size || v.size > t.size) this.fail('meta', t, 'Invalid size', { ...o, line: kernelVsiLine(v, 'Invalid size') });
          lastEnd = v.offset + v.size;
          if (lastEnd > t.size) this.fail('meta', t, 'Invalid offset+size', { ...o, line: kernelVsiLine(v, 'Invalid offset+size') });
          sum += v.size;
        });
        if (t.size < sum) this.fail('meta', t, 'Invalid btf_info size');
        return;
      }
      case 'FLOAT':
        vlen0();
        noKflag();
        if (![2, 4, 8, 12, 16].includes(t.size)) this.fail('meta', t, 'Invalid type_size');
        return;
      case 'DECL_TAG':
        if (t.name === '') this.fail('meta', t, 'Invalid value');
        vlen0();
        if (t.componentIdx < -1) this.fail('meta', t, 'Invalid component_idx');
        return;
      case 'VOID':
        this.fail('meta', t, 'Invalid kind:0', { line: `[${id}] Invalid kind:0` });
    }
  }

  // ---- resolution -----------------------------------------------------------------
  /** Size of a type after skipping modifiers (kernel `btf_type_id_size`), undefined when none. */
  private idSize(id: number): number | undefined {
    for (let d = 0; d <= MAX_RESOLVE_DEPTH + 2; d++) {
      const t = this.types[id];
      if (!t) return undefined;
      switch (t.kind) {
        case 'INT': case 'ENUM': case 'ENUM64': case 'STRUCT': case 'UNION': case 'DATASEC': case 'FLOAT': return t.size;
        case 'PTR': return 8;
        case 'ARRAY': {
          const e = this.idSize(t.type);
          return e === undefined ? undefined : e * t.nelems;
        }
        case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG': case 'VAR': id = t.type; break;
        default: return undefined;
      }
    }
    return undefined;
  }

  private resolved(id: number): BtfType | undefined {
    let t = this.types[id];
    for (let d = 0; t && MODIFIER.has(t.kind) && d <= MAX_RESOLVE_DEPTH + 2; d++) t = this.types[(t as { type: number }).type];
    return t;
  }

  private isSink(t: BtfType, mode: Mode): boolean {
    if (mode === Mode.TBD) return !NEEDS_RESOLVE.has(t.kind);
    if (mode === Mode.PTR) return !MODIFIER.has(t.kind) && t.kind !== 'PTR';
    return !MODIFIER.has(t.kind) && t.kind !== 'ARRAY' && t.kind !== 'STRUCT' && t.kind !== 'UNION';
  }

  private top: BtfType | undefined;

  private resolveTop(t: BtfType): void {
    this.top = t;
    this.resolve(t.id, 1, Mode.TBD);
  }

  private push(next: number, depth: number, mode: Mode): void {
    const nt = this.types[next]!;
    if (this.isSink(nt, mode) || this.state[next] === 2) return;
    this.resolve(next, depth + 1, mode);
  }

  private resolve(id: number, depth: number, mode: Mode): void {
    const t = this.types[id]!;
    if (this.state[id] === 1) this.fail('resolve', this.top, 'Loop detected', { errno: 'EEXIST' });
    if (depth > MAX_RESOLVE_DEPTH) this.fail('resolve', this.top, `Exceeded max resolving depth:${MAX_RESOLVE_DEPTH}`, { errno: 'E2BIG' });
    if (mode === Mode.TBD) {
      if (t.kind === 'PTR') mode = Mode.PTR;
      else if (t.kind === 'STRUCT' || t.kind === 'UNION' || t.kind === 'ARRAY') mode = Mode.SOA;
    }
    this.state[id] = 1;
    switch (t.kind) {
      case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG': case 'PTR': {
        const nt = this.types[t.type];
        if (!nt || RESOLVE_SOURCE_ONLY.has(nt.kind)) this.fail('resolve', t, 'Invalid type_id');
        this.push(t.type, depth, mode);
        if (this.idSize(t.type) === undefined) {
          const r = this.resolved(t.type);
          const ok = r && (r.kind === 'VOID' || r.kind === 'FWD' || r.kind === 'FUNC_PROTO' || (t.kind === 'PTR' && r.kind === 'FUNC'));
          if (!ok && (t.kind !== 'PTR' || !r || RESOLVE_SOURCE_ONLY.has(r.kind))) this.fail('resolve', t, 'Invalid type_id');
        }
        break;
      }
      case 'ARRAY': {
        const it = this.types[t.indexType];
        if (!it || NOSIZE.has(it.kind) || RESOLVE_SOURCE_ONLY.has(it.kind)) this.fail('resolve', t, 'Invalid index');
        this.push(t.indexType, depth, mode);
        const ri = this.resolved(t.indexType);
        if (this.idSize(t.indexType) === undefined || !ri || !isRegularInt(ri)) this.fail('resolve', t, 'Invalid index');
        const et = this.types[t.type];
        if (!et || NOSIZE.has(et.kind) || RESOLVE_SOURCE_ONLY.has(et.kind)) this.fail('resolve', t, 'Invalid elem');
        this.push(t.type, depth, mode);
        const esz = this.idSize(t.type);
        const re = this.resolved(t.type);
        if (esz === undefined || !re) this.fail('resolve', t, 'Invalid elem');
        if (re!.kind === 'INT' && !isRegularInt(re!)) this.fail('resolve', t, 'Invalid array of int');
        if (t.nelems && esz! > Math.floor(U32_MAX / t.nelems)) this.fail('resolve', t, 'Array size overflows U32_MAX');
        break;
      }
      case 'STRUCT': case 'UNION':
        t.members.forEach((m, i) => {
          const mt = this.types[m.type];
          const at = (msg: string): { line: string; memberIndex: number } => ({ line: kernelMemberLine(this.btf, t, m, msg), memberIndex: i });
          if (!mt || NOSIZE.has(mt.kind) || RESOLVE_SOURCE_ONLY.has(mt.kind)) this.fail('resolve', t, 'Invalid member', at('Invalid member'));
          this.push(m.type, depth, mode);
          const msg = this.checkMember(t, m.type, m.bitsOffset, m.bitfieldSize);
          if (msg) this.fail('resolve', t, msg, at(msg));
        });
        break;
      case 'VAR': {
        const nt = this.types[t.type];
        if (!nt || NOSIZE.has(nt.kind) || RESOLVE_SOURCE_ONLY.has(nt.kind)) this.fail('resolve', t, 'Invalid type_id');
        this.push(t.type, depth, mode);
        if (this.idSize(t.type) === undefined) this.fail('resolve', t, 'Invalid type_id');
        break;
      }
      case 'DATASEC':
        t.vars.forEach((v, i) => {
          const vt = this.types[v.type];
          if (!vt || vt.kind !== 'VAR') {
            this.fail('resolve', t, 'Not a VAR kind member', { line: kernelVsiLine(v, 'Not a VAR kind member'), memberIndex: i, fixup: vt?.kind === 'FUNC' });
            return;
          }
          this.push(v.type, depth, mode);
          const sz = this.idSize(v.type);
          if (sz === undefined) this.fail('resolve', t, 'Invalid type', { line: kernelVsiLine(v, 'Invalid type'), memberIndex: i });
          if (t.size !== 0 && v.size < sz!) this.fail('resolve', t, 'Invalid size', { line: kernelVsiLine(v, 'Invalid size'), memberIndex: i });
        });
        break;
      case 'DECL_TAG': {
        const nt = this.types[t.type];
        if (!nt || !['FUNC', 'STRUCT', 'UNION', 'VAR', 'TYPEDEF'].includes(nt.kind)) this.fail('resolve', t, 'Invalid type_id');
        this.push(t.type, depth, mode);
        if (t.componentIdx !== -1) {
          if (nt!.kind === 'VAR' || nt!.kind === 'TYPEDEF') this.fail('resolve', t, 'Invalid component_idx');
          let vlen = nt!.vlen;
          if (nt!.kind === 'FUNC') vlen = this.types[(nt as { type: number }).type]?.vlen ?? 0;
          if (t.componentIdx >= vlen) this.fail('resolve', t, 'Invalid component_idx');
        }
        break;
      }
      default:
        break;
    }
    this.state[id] = 2;
  }

  /** Kernel check_member / check_kflag_member of the member's resolved type; returns the message. */
  private checkMember(owner: BtfType & { size: number }, typeId: number, bitsOff: number, bitfield: number): string | undefined {
    const rt = this.resolved(typeId);
    if (!rt) return 'Invalid member';
    const structSize = owner.size;
    const kflag = owner.kindFlag;
    const exceeds = (bits: number, off: number): boolean => {
      const bytesOff = Math.floor(off / 8);
      return structSize < bytesOff || structSize - bytesOff < Math.ceil(bits / 8);
    };
    switch (rt.kind) {
      case 'INT': {
        if (!kflag) {
          const off = bitsOff + rt.bitsOffset;
          const copy = rt.nrBits + (off % 8);
          if (copy > 128) return 'nr_copy_bits exceeds 128';
          if (exceeds(copy, off)) return 'Member exceeds struct_size';
          return undefined;
        }
        let nr = bitfield;
        if (!nr) {
          if (!isRegularInt(rt)) return 'Invalid member base type';
          if (bitsOff % 8) return 'Member is not byte aligned';
          nr = rt.nrBits;
        } else if (nr > rt.nrBits) return 'Invalid member bitfield_size';
        const copy = nr + (bitsOff % 8);
        if (copy > 128) return 'nr_copy_bits exceeds 128';
        if (exceeds(copy, bitsOff)) return 'Member exceeds struct_size';
        return undefined;
      }
      case 'ENUM': case 'ENUM64': {
        let nr = kflag ? bitfield : 0;
        const bits = rt.size * 8;
        if (!nr) {
          if (bitsOff % 8) return 'Member is not byte aligned';
          nr = bits;
        } else if (nr > bits) return 'Invalid member bitfield_size';
        if (exceeds(nr + (bitsOff % 8), bitsOff)) return 'Member exceeds struct_size';
        return undefined;
      }
      case 'FLOAT': {
        if (kflag && bitfield) return 'Invalid member bitfield_size';
        const align = Math.min(rt.size, 8);
        if (bitsOff % (align * 8)) return 'Member is not properly aligned';
        if (structSize - Math.floor(bitsOff / 8) < rt.size || structSize < Math.floor(bitsOff / 8)) return 'Member exceeds struct_size';
        return undefined;
      }
      default: {
        if (kflag && bitfield) return 'Invalid member bitfield_size';
        if (bitsOff % 8) return 'Member is not byte aligned';
        const sz = this.idSize(typeId) ?? 0;
        const bytesOff = bitsOff / 8;
        if (structSize < bytesOff || structSize - bytesOff < sz) return 'Member exceeds struct_size';
        return undefined;
      }
    }
  }

  private checkFuncProto(t: BtfType & { kind: 'FUNC_PROTO' }): void {
    if (t.returnType) {
      const rt = this.types[t.returnType];
      if (!rt || RESOLVE_SOURCE_ONLY.has(rt.kind)) this.fail('resolve', t, 'Invalid return type');
      if (NEEDS_RESOLVE.has(rt!.kind) && this.state[t.returnType] !== 2) this.resolve(t.returnType, 1, Mode.TBD);
      if (this.idSize(t.returnType) === undefined) this.fail('resolve', t, 'Invalid return type');
    }
    let n = t.params.length;
    if (!n) return;
    const last = t.params[n - 1]!;
    if (!last.type) {
      if (last.nameOff) this.fail('resolve', t, `Invalid arg#${n}`);
      n--;
    }
    for (let i = 0; i < n; i++) {
      const p = t.params[i]!;
      const at = this.types[p.type];
      const msg = `Invalid arg#${i + 1}`;
      if (!at || RESOLVE_SOURCE_ONLY.has(at.kind)) this.fail('resolve', t, msg);
      if (p.nameOff && (!this.btf.hasStr(p.nameOff) || !isValidIdentifier(this.str(p.nameOff)))) this.fail('resolve', t, msg);
      if (NEEDS_RESOLVE.has(at!.kind) && this.state[p.type] !== 2) this.resolve(p.type, 1, Mode.TBD);
      if (this.idSize(p.type) === undefined) this.fail('resolve', t, msg);
    }
  }

  private checkFunc(t: BtfType & { kind: 'FUNC' }): void {
    const proto = this.types[t.type];
    if (!proto || proto.kind !== 'FUNC_PROTO') {
      this.fail('resolve', t, 'Invalid type_id');
      return;
    }
    // libbpf names the unnamed parameters of extern (kfunc) FUNCs after a dummy VAR.
    proto.params.forEach((p, i) => {
      if (!p.nameOff && p.type) this.fail('resolve', t, `Invalid arg#${i + 1}`, { fixup: t.linkage === 2 });
    });
  }

  private checkTypeTags(): void {
    const { types, btf } = this;
    let goodId = btf.startId - 1;
    for (let i = btf.startId; i < types.length; i++) {
      let t: BtfType | undefined = types[i]!;
      if (!MODIFIER.has(t.kind)) continue;
      let limit = 32;
      let cur = i;
      let inTags = t.kind === 'TYPE_TAG';
      const top = t;
      while (t && MODIFIER.has(t.kind)) {
        if (!limit--) this.fail('type_tags', top, 'Max chain length or cycle detected', { errno: 'ELOOP', line: 'Max chain length or cycle detected' });
        if (t.kind === 'TYPE_TAG') {
          if (!inTags) this.fail('type_tags', top, "Type tags don't precede modifiers", { line: "Type tags don't precede modifiers" });
        } else inTags = false;
        if (cur <= goodId) break;
        cur = (t as { type: number }).type;
        t = types[cur];
      }
      goodId = i;
    }
  }
}

/** Validate a parsed BTF with the kernel's rules. */
export function validateBtf(btf: Btf, opts: ValidateOptions = {}): BtfValidationResult {
  const v = new Validator(btf, opts.mode ?? 'kernel');
  try {
    v.run();
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: e.issue, fixups: v.fixups };
    throw e;
  }
  return { ok: true, error: undefined, fixups: v.fixups };
}

/**
 * Full kernel-style check of a raw blob: header and section layout first (exact kernel
 * messages), then decoding (a decoding failure becomes an issue of stage `parse`),
 * then `validateBtf`.
 */
export function validateBtfBytes(bytes: Uint8Array, opts: ValidateOptions & { base?: Btf } = {}): BtfValidationResult & { btf: Btf | undefined } {
  const h = checkBtfHeader(bytes, { split: opts.base !== undefined });
  if (h) return { ok: false, error: h, fixups: [], btf: undefined };
  let btf: Btf;
  try {
    btf = parseBtf(bytes, opts.base ? { base: opts.base } : {});
  } catch (e) {
    if (!(e instanceof BtfError)) throw e;
    const message = e.code === 'UNKNOWN_KIND' ? `Invalid kind` : e.code === 'BAD_STRING_OFFSET' ? 'Invalid name_offset' : e.code === 'TRUNCATED_TYPE' ? 'meta_left' : e.message;
    return { ok: false, error: { stage: 'parse', message, errno: 'EINVAL', typeId: e.typeId, offset: e.offset, line: e.message }, fixups: [], btf: undefined };
  }
  return { ...validateBtf(btf, opts), btf };
}

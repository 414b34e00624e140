/**
 * The kernel's CHECK_TYPE phase (btf.c `btf_check_all_types` / `btf_resolve`), ported
 * closely: an explicit resolve stack (max depth 32), the env-wide resolve mode
 * (TBD / PTR / STRUCT_OR_ARRAY), per-type resolved ids and sizes, the per-kind resolve
 * and check_member functions, and FUNC_PROTO checks — so the first error, its type id
 * and its log line match what `BPF_BTF_LOAD` reports.
 */
import type { Btf } from './btf.js';
import type { BtfMember, BtfType } from './types.js';
import { kernelMemberLine, kernelVsiLine } from './validate-log.js';
import { isValidIdentifierOff } from './validate-names.js';

export interface ResolveFailOpts { errno?: string; line?: string; memberIndex?: number; fixup?: boolean }
/** Reports a problem: throws, or returns when it is a recorded loader fixup. */
export type ResolveFail = (t: BtfType, message: string, opts?: ResolveFailOpts) => void;

const MAX_RESOLVE_DEPTH = 32;
const U32_MAX = 0xffffffff;
const enum Visit { NotVisited, Visited, Resolved }
const enum Mode { TBD, PTR, SOA }

/** Internal signal: a resolver returned an errno without logging (E2BIG / EEXIST). */
class Errno extends Error {
  constructor(readonly errno: 'E2BIG' | 'EEXIST') {
    super(errno);
  }
}

interface Vertex { t: BtfType; id: number; nextMember: number }

const isModifier = (t: BtfType): boolean =>
  t.kind === 'TYPEDEF' || t.kind === 'VOLATILE' || t.kind === 'CONST' || t.kind === 'RESTRICT' || t.kind === 'TYPE_TAG';
const isStruct = (t: BtfType): boolean => t.kind === 'STRUCT' || t.kind === 'UNION';
const needsResolve = (t: BtfType): boolean =>
  isModifier(t) || t.kind === 'PTR' || isStruct(t) || t.kind === 'ARRAY' || t.kind === 'VAR' || t.kind === 'FUNC' ||
  t.kind === 'DECL_TAG' || t.kind === 'DATASEC';
const sourceOnly = (t: BtfType): boolean => t.kind === 'VAR' || t.kind === 'DATASEC' || t.kind === 'DECL_TAG';
const nosize = (t: BtfType | undefined): boolean =>
  !t || t.kind === 'VOID' || t.kind === 'FWD' || t.kind === 'FUNC' || t.kind === 'FUNC_PROTO';
const hasSize = (t: BtfType): t is BtfType & { size: number } =>
  t.kind === 'INT' || t.kind === 'ENUM' || t.kind === 'ENUM64' || isStruct(t) || t.kind === 'DATASEC' || t.kind === 'FLOAT';

function intIsRegular(t: BtfType): boolean {
  if (t.kind !== 'INT') return false;
  const bytes = Math.ceil(t.nrBits / 8);
  return t.nrBits % 8 === 0 && t.bitsOffset === 0 && (bytes === 1 || bytes === 2 || bytes === 4 || bytes === 8 || bytes === 16);
}

/** Raw `offset` word of a member as stored (kind_flag packs the bitfield size). */
function rawOffset(owner: BtfType, m: BtfMember): number {
  return owner.kindFlag ? ((m.bitfieldSize << 24) | m.bitsOffset) >>> 0 : m.bitsOffset;
}

export class KernelResolver {
  private readonly types: readonly BtfType[];
  private readonly visit: Uint8Array;
  private readonly resolvedIds: Uint32Array;
  private readonly resolvedSizes: Float64Array;
  private stack: Vertex[] = [];
  private mode = Mode.TBD;

  constructor(private readonly btf: Btf, private readonly fail: ResolveFail, private readonly objectMode: boolean) {
    this.types = btf.types;
    const n = btf.types.length;
    this.visit = new Uint8Array(n);
    this.resolvedIds = new Uint32Array(n);
    this.resolvedSizes = new Float64Array(n);
  }

  private byId(id: number): BtfType | undefined {
    return this.types[id];
  }

  private isResolved(id: number): boolean {
    return id < this.btf.startId || this.visit[id] === Visit.Resolved;
  }

  private isSink(next: BtfType): boolean {
    switch (this.mode) {
      case Mode.TBD: return !needsResolve(next);
      case Mode.PTR: return !isModifier(next) && next.kind !== 'PTR';
      default: return !isModifier(next) && next.kind !== 'ARRAY' && !isStruct(next);
    }
  }

  private push(t: BtfType, id: number): void {
    if (this.visit[id] !== Visit.NotVisited) throw new Errno('EEXIST');
    if (this.stack.length === MAX_RESOLVE_DEPTH) throw new Errno('E2BIG');
    this.visit[id] = Visit.Visited;
    this.stack.push({ t, id, nextMember: 0 });
    if (this.mode === Mode.TBD) {
      if (t.kind === 'PTR') this.mode = Mode.PTR;
      else if (isStruct(t) || t.kind === 'ARRAY') this.mode = Mode.SOA;
    }
  }

  private popResolved(resolvedId: number, size: number): void {
    const v = this.stack.pop()!;
    this.resolvedIds[v.id] = resolvedId;
    this.resolvedSizes[v.id] = size;
    this.visit[v.id] = Visit.Resolved;
  }

  /** `btf_type_id_size`: [resolved size type, its id, size] or undefined. */
  private idSize(id: number): { t: BtfType; id: number; size: number } | undefined {
    let t = this.byId(id);
    if (nosize(t)) return undefined;
    const sized = (tt: BtfType, tid: number): { t: BtfType; id: number; size: number } | undefined => {
      if (hasSize(tt)) return { t: tt, id: tid, size: tt.size };
      if (tt.kind === 'ARRAY') return { t: tt, id: tid, size: this.sizeOfResolved(tid) };
      if (tt.kind === 'PTR') return { t: tt, id: tid, size: 8 };
      return undefined;
    };
    const direct = sized(t!, id);
    if (direct) return direct;
    if (!isModifier(t!) && t!.kind !== 'VAR') return undefined;
    const rid = this.resolvedIdOf(id);
    t = this.byId(rid);
    if (nosize(t)) return undefined;
    return sized(t!, rid);
  }

  private resolvedIdOf(id: number): number {
    if (id < this.btf.startId) return this.baseResolvedId(id);
    return this.resolvedIds[id]!;
  }

  private sizeOfResolved(id: number): number {
    if (id < this.btf.startId) return this.baseArraySize(id);
    return this.resolvedSizes[id]!;
  }

  /** Base types are resolved already: follow modifiers/VAR to the first sized/ptr/func-proto type. */
  private baseResolvedId(id: number): number {
    for (let d = 0; d < 64; d++) {
      const t = this.byId(id);
      if (!t || !(isModifier(t) || t.kind === 'VAR')) return id;
      id = (t as { type: number }).type;
    }
    return id;
  }

  private baseArraySize(id: number): number {
    const t = this.byId(id);
    if (!t || t.kind !== 'ARRAY') return 0;
    const e = this.idSize(t.type);
    return e ? e.size * t.nelems : 0;
  }

  /** `btf_type_id_resolve`. */
  private idResolve(id: number): { t: BtfType | undefined; id: number } {
    const rid = this.resolvedIdOf(id);
    return { t: this.byId(rid), id: rid };
  }

  // ---- main loop ------------------------------------------------------------------
  checkAllTypes(): void {
    const { btf, types } = this;
    for (let id = btf.startId; id < types.length; id++) {
      const t = types[id]!;
      if (needsResolve(t) && !this.isResolved(id)) this.resolve(t, id);
      if (t.kind === 'FUNC_PROTO') this.funcProtoCheck(t);
    }
  }

  private resolve(top: BtfType, topId: number): void {
    this.mode = Mode.TBD;
    this.stack = [];
    try {
      this.push(top, topId);
      for (let v = this.stack[this.stack.length - 1]; v; v = this.stack[this.stack.length - 1]) this.step(v);
    } catch (e) {
      if (!(e instanceof Errno)) throw e;
      this.stack = [];
      if (e.errno === 'E2BIG') this.fail(top, `Exceeded max resolving depth:${MAX_RESOLVE_DEPTH}`, { errno: 'E2BIG' });
      else this.fail(top, 'Loop detected', { errno: 'EEXIST' });
      return;
    }
    if (!this.resolveValid(top, topId)) this.fail(top, 'Invalid resolve state');
  }

  private resolveValid(t: BtfType, id: number): boolean {
    if (!this.isResolved(id)) return false;
    if (isStruct(t) || t.kind === 'DATASEC') return !this.resolvedIds[id] && !this.resolvedSizes[id];
    if (t.kind === 'DECL_TAG' || t.kind === 'FUNC') return !!this.resolvedIds[id] && !this.resolvedSizes[id];
    if (isModifier(t) || t.kind === 'PTR' || t.kind === 'VAR') {
      const r = this.idResolve(id).t;
      return !!r && !isModifier(r) && r.kind !== 'VAR' && r.kind !== 'DATASEC';
    }
    if (t.kind === 'ARRAY') {
      const e = this.idSize(t.type);
      return !!e && !isModifier(e.t) && ((t.nelems * e.size) >>> 0) === this.resolvedSizes[id];
    }
    return false;
  }

  private step(v: Vertex): void {
    const t = v.t;
    switch (t.kind) {
      case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG': return this.modifierResolve(v, t.type);
      case 'PTR': return this.ptrResolve(v, t.type);
      case 'VAR': return this.varResolve(v, t.type);
      case 'ARRAY': return this.arrayResolve(v, t);
      case 'STRUCT': case 'UNION': return this.structResolve(v, t);
      case 'DATASEC': return this.datasecResolve(v, t);
      case 'FUNC': this.funcCheck(t); this.popResolved(t.type, 0); return;
      case 'DECL_TAG': return this.declTagResolve(v, t);
      default: this.popResolved(0, 0);
    }
  }

  private modifierResolve(v: Vertex, nextId: number): void {
    let next = this.byId(nextId);
    if (!next || sourceOnly(next)) return this.fail(v.t, 'Invalid type_id');
    if (!this.isSink(next) && !this.isResolved(nextId)) return this.push(next, nextId);
    const sz = this.idSize(nextId);
    if (sz) nextId = sz.id;
    else {
      if (this.isResolved(nextId)) ({ t: next, id: nextId } = this.idResolve(nextId));
      if (!next || !(next.kind === 'VOID' || next.kind === 'FWD' || next.kind === 'FUNC_PROTO')) return this.fail(v.t, 'Invalid type_id');
    }
    this.popResolved(nextId, 0);
  }

  private ptrResolve(v: Vertex, nextId: number): void {
    let next = this.byId(nextId);
    if (!next || sourceOnly(next)) return this.fail(v.t, 'Invalid type_id');
    if (!this.isSink(next) && !this.isResolved(nextId)) return this.push(next, nextId);
    if (isModifier(next)) {
      const r = this.idResolve(nextId);
      if (r.t && r.t.kind === 'PTR' && !this.isSink(r.t) && !this.isResolved(r.id)) return this.push(r.t, r.id);
    }
    const sz = this.idSize(nextId);
    if (sz) nextId = sz.id;
    else {
      if (this.isResolved(nextId)) ({ t: next, id: nextId } = this.idResolve(nextId));
      if (!next || !(next.kind === 'VOID' || next.kind === 'FWD' || next.kind === 'FUNC_PROTO')) return this.fail(v.t, 'Invalid type_id');
    }
    this.popResolved(nextId, 0);
  }

  private varResolve(v: Vertex, nextId: number): void {
    const next = this.byId(nextId);
    if (!next || sourceOnly(next)) return this.fail(v.t, 'Invalid type_id');
    if (!this.isSink(next) && !this.isResolved(nextId)) return this.push(next, nextId);
    if (isModifier(next)) {
      const r = this.idResolve(nextId);
      if (r.t && r.t.kind === 'PTR' && !this.isSink(r.t) && !this.isResolved(r.id)) return this.push(r.t, r.id);
    }
    const sz = this.idSize(nextId);
    if (!sz) return this.fail(v.t, 'Invalid type_id');
    this.popResolved(sz.id, 0);
  }

  private arrayResolve(v: Vertex, t: BtfType & { kind: 'ARRAY' }): void {
    const it = this.byId(t.indexType);
    if (nosize(it) || sourceOnly(it!)) return this.fail(t, 'Invalid index');
    if (!this.isSink(it!) && !this.isResolved(t.indexType)) return this.push(it!, t.indexType);
    const isz = this.idSize(t.indexType);
    if (!isz || isz.t.kind !== 'INT' || !intIsRegular(isz.t)) return this.fail(t, 'Invalid index');
    const et = this.byId(t.type);
    if (nosize(et) || sourceOnly(et!)) return this.fail(t, 'Invalid elem');
    if (!this.isSink(et!) && !this.isResolved(t.type)) return this.push(et!, t.type);
    const esz = this.idSize(t.type);
    if (!esz) return this.fail(t, 'Invalid elem');
    if (esz.t.kind === 'INT' && !intIsRegular(esz.t)) return this.fail(t, 'Invalid array of int');
    if (t.nelems && esz.size > Math.floor(U32_MAX / t.nelems)) return this.fail(t, 'Array size overflows U32_MAX');
    this.popResolved(esz.id, esz.size * t.nelems);
  }

  private structResolve(v: Vertex, t: BtfType & { kind: 'STRUCT' | 'UNION' }): void {
    if (v.nextMember) {
      const last = t.members[v.nextMember - 1]!;
      this.checkMember(t, last, last.type, v.nextMember - 1);
    }
    for (let i = v.nextMember; i < t.members.length; i++) {
      const m = t.members[i]!;
      const mt = this.byId(m.type);
      if (nosize(mt) || sourceOnly(mt!)) return this.fail(t, 'Invalid member', { line: kernelMemberLine(this.btf, t, m, 'Invalid member'), memberIndex: i });
      if (!this.isSink(mt!) && !this.isResolved(m.type)) {
        v.nextMember = i + 1;
        return this.push(mt!, m.type);
      }
      this.checkMember(t, m, m.type, i);
    }
    this.popResolved(0, 0);
  }

  /** check_member / check_kflag_member of the member's type (modifiers delegate to the resolved type). */
  private checkMember(owner: BtfType & { kind: 'STRUCT' | 'UNION'; size: number }, m: BtfMember, typeId: number, idx: number): void {
    let mt = this.byId(typeId)!;
    const shown = { ...m, type: typeId };
    const bad = (msg: string): void => this.fail(owner, msg, { line: kernelMemberLine(this.btf, owner, shown, msg), memberIndex: idx });
    if (isModifier(mt)) {
      const r = this.idSize(typeId);
      if (!r) return bad('Invalid member');
      typeId = r.id;
      shown.type = typeId;
      mt = r.t;
    }
    const raw = rawOffset(owner, m);
    const size = owner.size;
    const kflag = owner.kindFlag;
    const bitsOff = kflag ? raw & 0xffffff : raw;
    const bitfield = kflag ? raw >>> 24 : 0;
    switch (mt.kind) {
      case 'INT': {
        if (!kflag) {
          if (U32_MAX - raw < mt.bitsOffset) return bad('bits_offset exceeds U32_MAX');
          const off = raw + mt.bitsOffset;
          const bytesOff = Math.floor(off / 8);
          const copy = mt.nrBits + (off % 8);
          if (copy > 128) return bad('nr_copy_bits exceeds 128');
          if (size < bytesOff || size - bytesOff < Math.ceil(copy / 8)) return bad('Member exceeds struct_size');
          return;
        }
        if (!intIsRegular(mt)) return bad('Invalid member base type');
        let nr = bitfield;
        if (!nr) {
          if (bitsOff % 8) return bad('Invalid member offset');
          nr = mt.nrBits;
        } else if (nr > mt.nrBits) return bad('Invalid member bitfield_size');
        const bytesOff = Math.floor(bitsOff / 8);
        const copy = nr + (bitsOff % 8);
        if (copy > 128) return bad('nr_copy_bits exceeds 128');
        if (size < bytesOff || size - bytesOff < Math.ceil(copy / 8)) return bad('Member exceeds struct_size');
        return;
      }
      case 'ENUM': case 'ENUM64': {
        if (!kflag) {
          if (raw % 8) return bad('Member is not byte aligned');
          if (((size - Math.floor(raw / 8)) >>> 0) < mt.size) return bad('Member exceeds struct_size');
          return;
        }
        const intBits = mt.size * 8;
        let nr = bitfield;
        if (!bitfield) {
          if (bitsOff % 8) return bad('Member is not byte aligned');
          nr = intBits;
        } else if (bitfield > intBits) return bad('Invalid member bitfield_size');
        if (size < Math.ceil((bitsOff + nr) / 8)) return bad('Member exceeds struct_size');
        return;
      }
      case 'FLOAT': {
        if (kflag && bitfield) return bad('Invalid member bitfield_size');
        const alignBits = Math.min(8, mt.size) * 8;
        if (bitsOff % alignBits) return bad('Member is not properly aligned');
        if (Math.floor(bitsOff / 8) + mt.size > size) return bad('Member exceeds struct_size');
        return;
      }
      case 'PTR': case 'STRUCT': case 'UNION': case 'ARRAY': {
        if (kflag && bitfield) return bad('Invalid member bitfield_size');
        if (bitsOff % 8) return bad('Member is not byte aligned');
        const need = mt.kind === 'PTR' ? 8 : mt.kind === 'ARRAY' ? (this.idSize(typeId)?.size ?? 0) : (mt as { size: number }).size;
        if (((size - Math.floor(bitsOff / 8)) >>> 0) < need) return bad('Member exceeds struct_size');
        return;
      }
      default:
        return bad('Invalid member');
    }
  }

  private datasecResolve(v: Vertex, t: BtfType & { kind: 'DATASEC' }): void {
    for (let i = v.nextMember; i < t.vars.length; i++) {
      const vsi = t.vars[i]!;
      const vt = this.byId(vsi.type);
      if (!vt || vt.kind !== 'VAR') {
        this.fail(t, 'Not a VAR kind member', { line: kernelVsiLine(vsi, 'Not a VAR kind member'), memberIndex: i, fixup: vt?.kind === 'FUNC' });
        continue; // only reached for a recorded loader fixup (FUNC in .ksyms)
      }
      if (!this.isSink(vt) && !this.isResolved(vsi.type)) {
        v.nextMember = i + 1;
        return this.push(vt, vsi.type);
      }
      const sz = this.idSize(vt.type);
      if (!sz) return this.fail(t, 'Invalid type', { line: kernelVsiLine(vsi, 'Invalid type'), memberIndex: i });
      if (vsi.size < sz.size && !(this.objectMode && t.size === 0)) {
        return this.fail(t, 'Invalid size', { line: kernelVsiLine(vsi, 'Invalid size'), memberIndex: i });
      }
    }
    this.popResolved(0, 0);
  }

  private declTagResolve(v: Vertex, t: BtfType & { kind: 'DECL_TAG' }): void {
    let next = this.byId(t.type);
    if (!next || !(next.kind === 'FUNC' || isStruct(next) || next.kind === 'VAR' || next.kind === 'TYPEDEF')) return this.fail(t, 'Invalid type_id');
    if (!this.isSink(next) && !this.isResolved(t.type)) return this.push(next, t.type);
    if (t.componentIdx !== -1) {
      if (next.kind === 'VAR' || next.kind === 'TYPEDEF') return this.fail(t, 'Invalid component_idx');
      let vlen = next.vlen;
      if (!isStruct(next)) {
        next = this.byId((next as { type: number }).type);
        vlen = next?.vlen ?? 0;
      }
      if ((t.componentIdx >>> 0) >= vlen) return this.fail(t, 'Invalid component_idx');
    }
    this.popResolved(t.type, 0);
  }

  private funcCheck(t: BtfType & { kind: 'FUNC' }): void {
    const proto = this.byId(t.type);
    if (!proto || proto.kind !== 'FUNC_PROTO') return this.fail(t, 'Invalid type_id');
    // libbpf names the unnamed parameters of extern (kfunc) FUNCs after a dummy VAR.
    proto.params.forEach((p, i) => {
      if (!p.nameOff && p.type) this.fail(t, `Invalid arg#${i + 1}`, { fixup: t.linkage === 2 });
    });
  }

  private funcProtoCheck(t: BtfType & { kind: 'FUNC_PROTO' }): void {
    if (t.returnType) {
      const rt = this.byId(t.returnType);
      if (!rt || sourceOnly(rt)) return this.fail(t, 'Invalid return type');
      if (needsResolve(rt) && !this.isResolved(t.returnType)) {
        this.resolve(rt, t.returnType);
      }
      if (!this.idSize(t.returnType)) return this.fail(t, 'Invalid return type');
    }
    let n = t.params.length;
    if (!n) return;
    const last = t.params[n - 1]!;
    if (!last.type) {
      if (last.nameOff) return this.fail(t, `Invalid arg#${n}`);
      n--;
    }
    for (let i = 0; i < n; i++) {
      const p = t.params[i]!;
      const msg = `Invalid arg#${i + 1}`;
      const at = this.byId(p.type);
      if (!at || sourceOnly(at)) return this.fail(t, msg);
      if (p.nameOff && !isValidIdentifierOff(this.btf, p.nameOff)) return this.fail(t, msg);
      if (needsResolve(at) && !this.isResolved(p.type)) this.resolve(at, p.type);
      if (!this.idSize(p.type)) return this.fail(t, msg);
    }
  }
}

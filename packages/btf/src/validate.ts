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
import { parseBtfLenient, type ParseStop } from './parse.js';
import { checkBtfHeader } from './validate-header.js';
import { kernelMemberLine, kernelTypeLine, kernelVsiLine } from './validate-log.js';
import { KernelResolver, type ResolveFailOpts } from './validate-resolve.js';
import { isValidIdentifierOff, isValidSectionOff } from './validate-names.js';
import { KIND_NAMES, type BtfType } from './types.js';

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

const MODIFIER = new Set(['TYPEDEF', 'VOLATILE', 'CONST', 'RESTRICT', 'TYPE_TAG']);
const BTF_MAX_TYPE = 0xfffff;



class Validator {
  private readonly types: readonly BtfType[];
  readonly fixups: BtfIssue[] = [];
  private readonly dv: DataView;

  constructor(private readonly btf: Btf, private readonly mode: ValidationMode) {
    this.types = btf.types;
    this.dv = new DataView(btf.raw.buffer, btf.raw.byteOffset, btf.raw.byteLength);
  }

  private fail(stage: ValidationStage, t: BtfType | undefined, message: string, opts: { errno?: string; line?: string; memberIndex?: number; fixup?: boolean; typeId?: number } = {}): void {
    const issue: BtfIssue = {
      stage, message, errno: opts.errno ?? 'EINVAL', typeId: t?.id ?? opts.typeId, memberIndex: opts.memberIndex,
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

  run(stop?: ParseStop): void {
    const { btf, types } = this;
    for (let id = btf.startId; id < types.length; id++) this.checkMeta(types[id]!);
    if (stop) this.checkStop(stop);
    const fail = (t: BtfType, message: string, o: ResolveFailOpts = {}): void => this.fail('resolve', t, message, o);
    new KernelResolver(btf, fail, this.mode === 'object').checkAllTypes();
    this.checkTypeTags();
  }

  // ---- CHECK_META (kernel order: btf_check_meta, then the kind's check_meta) ------------
  private nameOffValid(off: number): boolean {
    return off <= 0xffffff && this.btf.hasStr(off);
  }

  private ident(off: number): boolean {
    return isValidIdentifierOff(this.btf, off);
  }

  /** `btf_verifier_log_basic`: type line without details. */
  private basicLine(t: BtfType, msg: string): string {
    const name = t.nameOff === 0 ? '(anon)' : this.nameOffValid(t.nameOff) ? this.str(t.nameOff) : '(invalid-name-offset)';
    return `[${t.id}] ${t.kind} ${name} ${msg}`;
  }

  /** Checks of `btf_check_meta` common to every record (info bits, kind, name offset). */
  private checkCommon(id: number, info: number, nameOff: number): void {
    if ((info & ~0x9f00ffff) !== 0) {
      const m = `Invalid btf_info:${info.toString(16)}`;
      this.fail('meta', undefined, m, { line: `[${id}] ${m}`, typeId: id });
    }
    const kind = (info >>> 24) & 0x1f;
    if (kind === 0 || kind > 19) this.fail('meta', undefined, `Invalid kind:${kind}`, { line: `[${id}] Invalid kind:${kind}`, typeId: id });
    if (!this.nameOffValid(nameOff)) {
      this.fail('meta', undefined, `Invalid name_offset:${nameOff}`, { line: `[${id}] Invalid name_offset:${nameOff}`, typeId: id });
    }
  }

  /** Report where lenient parsing stopped, as the kernel's meta check would. */
  checkStop(st: ParseStop): void {
    if (st.reason === 'short') {
      const m = `meta_left:${st.metaLeft} meta_needed:12`;
      this.fail('meta', undefined, m, { line: `[${st.id}] ${m}`, typeId: st.id });
    }
    this.checkCommon(st.id, st.info, st.nameOff);
    const kind = KIND_NAMES[(st.info >>> 24) & 0x1f]!;
    const name = st.nameOff === 0 ? '(anon)' : this.str(st.nameOff);
    const m = `meta_left:${st.metaLeft} meta_needed:${st.metaNeeded}`;
    this.fail('meta', undefined, m, { line: `[${st.id}] ${kind} ${name} ${m}`, typeId: st.id });
  }

  private checkMeta(t: BtfType): void {
    const id = t.id;
    this.checkCommon(id, this.btf.rawInfo(id), t.nameOff);
    const f = (msg: string, o: { errno?: string; fixup?: boolean; line?: string; memberIndex?: number } = {}): void => this.fail('meta', t, msg, o);
    const vlen0 = (): void => { if (t.vlen !== 0) f('vlen != 0'); };
    const noKflag = (): void => { if (t.kindFlag) f('Invalid btf_info kind_flag'); };
    switch (t.kind) {
      case 'INT': {
        vlen0();
        noKflag();
        const word = this.dv.getUint32(this.btf.typeOffsets[id - this.btf.startId]! + 12, !this.btf.bigEndian);
        if (word & ~0x0fffffff) f(`Invalid int_data:${word.toString(16)}`, { line: this.basicLine(t, `Invalid int_data:${word.toString(16)}`) });
        if (t.nrBits + t.bitsOffset > 128) f('nr_bits exceeds 128');
        if (Math.ceil((t.nrBits + t.bitsOffset) / 8) > t.size) f('nr_bits exceeds type_size');
        if (t.encoding && t.encoding !== 1 && t.encoding !== 2 && t.encoding !== 4) f('Unsupported encoding', { errno: 'ENOTSUPP' });
        return;
      }
      case 'PTR': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPEDEF': case 'TYPE_TAG':
        vlen0();
        if (t.kindFlag && t.kind !== 'TYPE_TAG') f('Invalid btf_info kind_flag');
        if (!this.validType(t.type)) f('Invalid type_id');
        if (t.kind === 'TYPEDEF') {
          if (!t.nameOff || !this.ident(t.nameOff)) f('Invalid name');
        } else if (t.kind === 'TYPE_TAG') {
          if (t.name === '') f('Invalid name');
        } else if (t.nameOff) f('Invalid name');
        return;
      case 'FWD':
        vlen0();
        if (this.sizeOrType(id)) f('type != 0');
        if (!t.nameOff || !this.ident(t.nameOff)) f('Invalid name');
        return;
      case 'ARRAY':
        if (t.nameOff) f('Invalid name');
        vlen0();
        noKflag();
        if (this.sizeOrType(id)) f('size != 0');
        if (!t.type || !this.validType(t.type)) f('Invalid elem');
        if (!t.indexType || !this.validType(t.indexType)) f('Invalid index');
        return;
      case 'STRUCT': case 'UNION': {
        if (t.nameOff && !this.ident(t.nameOff)) f('Invalid name');
        let last = 0;
        t.members.forEach((m, i) => {
          const at = (msg: string): { line: string; memberIndex: number } => ({ line: kernelMemberLine(this.btf, t, m, msg), memberIndex: i });
          if (!this.nameOffValid(m.nameOff)) f(`Invalid member name_offset:${m.nameOff}`, at(`Invalid member name_offset:${m.nameOff}`));
          if (m.nameOff && !this.ident(m.nameOff)) f('Invalid name', at('Invalid name'));
          if (!m.type || !this.validType(m.type)) f('Invalid type_id', at('Invalid type_id'));
          if (t.kind === 'UNION' && m.bitsOffset) f('Invalid member bits_offset', at('Invalid member bits_offset'));
          if (last > m.bitsOffset) f('Invalid member bits_offset', at('Invalid member bits_offset'));
          if (Math.ceil(m.bitsOffset / 8) > t.size) f('Member bits_offset exceeds its struct size', at('Member bits_offset exceeds its struct size'));
          last = m.bitsOffset;
        });
        return;
      }
      case 'ENUM': case 'ENUM64': {
        if (t.size > 8 || t.size === 0 || (t.size & (t.size - 1)) !== 0) f('Unexpected size');
        if (t.nameOff && !this.ident(t.nameOff)) f('Invalid name');
        t.values.forEach((v, i) => {
          if (!this.nameOffValid(v.nameOff)) f(`Invalid name_offset:${v.nameOff}`, { memberIndex: i, line: `\tInvalid name_offset:${v.nameOff}` });
          if (!v.nameOff || !this.ident(v.nameOff)) f('Invalid name', { memberIndex: i });
        });
        return;
      }
      case 'FUNC_PROTO':
        if (t.nameOff) f('Invalid name');
        noKflag();
        return;
      case 'FUNC':
        if (!t.nameOff || !this.ident(t.nameOff)) f('Invalid name');
        if (t.linkage > 1) f('Invalid func linkage', { fixup: t.linkage === 2 });
        noKflag();
        return;
      case 'VAR':
        vlen0();
        noKflag();
        if (!t.nameOff || !this.ident(t.nameOff)) f('Invalid name');
        if (!t.type || !this.validType(t.type)) f('Invalid type_id');
        if (t.linkage !== 0 && t.linkage !== 1) f('Linkage not supported', { fixup: t.linkage === 2 });
        return;
      case 'DATASEC': {
        const sizeless = t.size === 0;
        if (sizeless) f('size == 0', { fixup: true });
        noKflag();
        if (!t.nameOff || !isValidSectionOff(this.btf, t.nameOff)) f('Invalid name');
        if (sizeless) return; // object mode: libbpf fills size and offsets
        let lastEnd = 0;
        let sum = 0;
        t.vars.forEach((v, i) => {
          const at = (msg: string): { line: string; memberIndex: number } => ({ line: kernelVsiLine(v, msg), memberIndex: i });
          if (!v.type || !this.validType(v.type)) f('Invalid type_id', at('Invalid type_id'));
          if (v.offset < lastEnd || v.offset >= t.size) f('Invalid offset', at('Invalid offset'));
          if (!v.size || v.size > t.size) f('Invalid size', at('Invalid size'));
          lastEnd = v.offset + v.size;
          if (lastEnd > t.size) f('Invalid offset+size', at('Invalid offset+size'));
          sum += v.size;
        });
        if (t.size < sum) f('Invalid btf_info size');
        return;
      }
      case 'FLOAT':
        vlen0();
        noKflag();
        if (![2, 4, 8, 12, 16].includes(t.size)) f('Invalid type_size');
        return;
      case 'DECL_TAG':
        if (t.name === '') f('Invalid value');
        vlen0();
        if (t.componentIdx < -1) f('Invalid component_idx');
        return;
      case 'VOID':
        return;
    }
  }

  private sizeOrType(id: number): number {
    return this.dv.getUint32(this.btf.typeOffsets[id - this.btf.startId]! + 8, !this.btf.bigEndian);
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

function runValidator(btf: Btf, mode: ValidationMode, stop?: ParseStop): BtfValidationResult {
  const v = new Validator(btf, mode);
  try {
    v.run(stop);
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: e.issue, fixups: v.fixups };
    throw e;
  }
  return { ok: true, error: undefined, fixups: v.fixups };
}

/** Validate a parsed BTF with the kernel's rules. */
export function validateBtf(btf: Btf, opts: ValidateOptions = {}): BtfValidationResult {
  return runValidator(btf, opts.mode ?? 'kernel');
}

/**
 * Full kernel-style check of a raw blob: header and section layout first, then every
 * record in the kernel's order (a truncated record or unknown kind is reported where
 * the kernel meets it), then resolution — all with the kernel's exact messages.
 */
export function validateBtfBytes(bytes: Uint8Array, opts: ValidateOptions & { base?: Btf } = {}): BtfValidationResult & { btf: Btf | undefined } {
  const h = checkBtfHeader(bytes, { split: opts.base !== undefined });
  if (h) return { ok: false, error: h, fixups: [], btf: undefined };
  let parsed: ReturnType<typeof parseBtfLenient>;
  try {
    parsed = parseBtfLenient(bytes, opts.base ? { base: opts.base } : {});
  } catch (e) {
    if (!(e instanceof BtfError)) throw e;
    return { ok: false, error: { stage: 'parse', message: e.message, errno: 'EINVAL', typeId: e.typeId, offset: e.offset, line: e.message }, fixups: [], btf: undefined };
  }
  const r = runValidator(parsed.btf, opts.mode ?? 'kernel', parsed.stop);
  return { ...r, btf: parsed.stop ? undefined : parsed.btf };
}

/** Register constructors, predicates and their log text (verifier-core.md §3, §15.3). */
import { formatScalar, formatSnum, formatUnum, scalarConst, scalarUnknown, type Scalar } from './scalar/index.js';
import { BASE_TYPE_NAMES, F, T, type BaseType, type RegState, type VerifierMap } from './types.js';

const ZERO = scalarConst(0n);

export function notInit(): RegState {
  return {
    type: T.NOT_INIT,
    flags: 0,
    off: 0,
    s: ZERO,
    id: 0,
    refObjId: 0,
    range: 0,
    map: undefined,
    btfId: 0,
    memSize: 0,
    subprog: 0,
    frameno: 0,
    precise: false,
    addConst: false,
  };
}

export function scalarReg(s: Scalar): RegState {
  const r = notInit();
  r.type = T.SCALAR;
  r.s = s;
  return r;
}

export function unknownScalar(): RegState {
  return scalarReg(scalarUnknown());
}

export function constScalar(v: bigint): RegState {
  return scalarReg(scalarConst(v));
}

/** A pointer of `type` with fixed offset 0 and no variable part. */
export function ptrReg(type: BaseType, flags = 0): RegState {
  const r = notInit();
  r.type = type;
  r.flags = flags;
  return r;
}

export function stackPtr(frameno: number, off = 0): RegState {
  const r = ptrReg(T.PTR_TO_STACK);
  r.frameno = frameno;
  r.off = off;
  return r;
}

export function mapReg(type: BaseType, map: VerifierMap, flags = 0): RegState {
  const r = ptrReg(type, flags);
  r.map = map;
  return r;
}

export function copyReg(r: RegState): RegState {
  return { ...r };
}

export const isScalar = (r: RegState): boolean => r.type === T.SCALAR;
export const isPointer = (r: RegState): boolean => r.type !== T.SCALAR && r.type !== T.NOT_INIT;
export const isConst = (r: RegState): boolean => r.type === T.SCALAR && r.s.varOff.mask === 0n;
export const isNull = (r: RegState): boolean => isConst(r) && r.s.varOff.value === 0n;
export const maybeNull = (r: RegState): boolean => (r.flags & F.MAYBE_NULL) !== 0;
export const isPkt = (r: RegState): boolean => r.type === T.PTR_TO_PACKET || r.type === T.PTR_TO_PACKET_META;

/** Type spelling: prefixes, base name, `_or_null` (§3.2). */
export function regTypeName(type: BaseType, flags: number, btfName = ''): string {
  let p = '';
  if (flags & F.RDONLY) p += 'rdonly_';
  if (flags & F.RINGBUF) p += 'ringbuf_';
  if (flags & F.USER) p += 'user_';
  if (flags & F.PERCPU) p += 'percpu_';
  if (flags & F.RCU) p += 'rcu_';
  if (flags & F.UNTRUSTED) p += 'untrusted_';
  if (flags & F.TRUSTED) p += 'trusted_';
  const base = BASE_TYPE_NAMES[type] ?? '?';
  if (type === T.PTR_TO_BTF_ID) return p + (flags & F.MAYBE_NULL ? 'ptr_or_null_' : 'ptr_') + btfName;
  return p + base + (flags & F.MAYBE_NULL ? '_or_null' : '');
}

/** Numbers in register dumps: small values in decimal, the rest as the 64-bit pattern in hex (§15.3). */
export function fmtNum(v: number | bigint): string {
  const b = BigInt(v);
  if (b >= -32768n && b <= 65535n) return b.toString();
  return '0x' + BigInt.asUintN(64, b).toString(16);
}

function varPart(s: Scalar): string {
  if (s.varOff.mask === 0n) return s.varOff.value === 0n ? '' : `imm=${formatSnum(s.varOff.value)}`;
  const t = formatScalar(s);
  // formatScalar gives `scalar(FIELDS)` for non-constants
  return t.startsWith('scalar(') ? t.slice(7, -1) : t;
}

/** The text of one register in a state dump (without `R<n>=`), like the kernel's `print_reg_state`. */
export function formatReg(r: RegState, opts: { curFrame: number; btfName?: (id: number) => string }): string {
  if (r.type === T.SCALAR) {
    return formatScalar(r.s, {
      precise: r.precise,
      ...(r.id ? { id: r.addConst ? `${r.id}${r.off >= 0 ? '+' : ''}${r.off}` : String(r.id) } : {}),
    });
  }
  if (r.type === T.PTR_TO_STACK && r.s.varOff.mask === 0n) {
    // a stack pointer with a known offset prints only the offset (no id, no other fields)
    return (r.frameno !== opts.curFrame ? `fp[${r.frameno}]` : 'fp') + formatSnum(r.s.varOff.value + BigInt(r.off));
  }
  const fields: string[] = [];
  if (r.id) fields.push(`id=${r.id}`);
  if (r.refObjId) fields.push(`ref_obj_id=${r.refObjId}`);
  if (r.flags & F.NON_OWN_REF) fields.push('non_own_ref');
  if (r.map && (r.type === T.PTR_TO_MAP_VALUE || r.type === T.PTR_TO_MAP_KEY || r.type === T.CONST_PTR_TO_MAP)) {
    if (r.map.name) fields.push(`map=${r.map.name}`);
    fields.push(`ks=${r.map.keySize},vs=${r.map.valueSize}`);
  }
  if (r.off) fields.push(`off=${formatSnum(BigInt(r.off))}`);
  if (r.type === T.PTR_TO_PACKET || r.type === T.PTR_TO_PACKET_META) fields.push(`r=${formatUnum(BigInt(r.range))}`);
  if (r.type === T.PTR_TO_MEM) fields.push(`sz=${r.memSize}`);
  const v = varPart(r.s);
  if (v) fields.push(v);
  let name = regTypeName(r.type, r.flags, r.btfId && opts.btfName ? opts.btfName(r.btfId) : '');
  // a variable-offset pointer into another frame's stack: `fp[N](...)`
  if (r.type === T.PTR_TO_STACK && r.frameno !== opts.curFrame) name += `[${r.frameno}]`;
  return `${name}(${fields.join(',')})`;
}

/** Log text of a scalar (verifier-core.md §15.3; kernel `print_reg_state` / `print_scalar_ranges`). */
import { U64_MAX, tnumIsConst, tnumStr } from './tnum.js';
import { S32_MAX, S32_MIN, S64_MAX, S64_MIN, U32_MAX, type Scalar } from './bounds.js';

export interface FormatScalarOptions {
  /** Prefix `P` (precise). */
  readonly precise?: boolean;
  /** Text after `id=` (e.g. `1`, `1+5`, `1-1`); omitted when undefined or empty. */
  readonly id?: string;
}

function isSnumDecimal(x: bigint): boolean {
  return x >= -32768n && x <= 32767n;
}

/** `verbose_snum`: decimal in [-32768, 32767], else `%#llx` of the 64-bit pattern. */
export function formatSnum(x: bigint): string {
  const s = BigInt.asIntN(64, x);
  return isSnumDecimal(s) ? s.toString() : '0x' + BigInt.asUintN(64, x).toString(16);
}

/** `verbose_unum`: decimal up to 65535, else `%#llx`. */
export function formatUnum(x: bigint): string {
  const u = BigInt.asUintN(64, x);
  return u <= 65535n ? u.toString() : '0x' + u.toString(16);
}

const NAMES = ['smin', 'smax', 'umin', 'umax', 'smin32', 'smax32', 'umin32', 'umax32'] as const;

/** The comma-separated range fields (`smin=smin32=0,smax=umax=...`), or '' when all are defaults. */
export function formatScalarRanges(s: Scalar): string {
  // 32-bit signed values are sign-extended when they print in decimal, else shown as their u32 pattern
  const s32v = (x: number): bigint => {
    const b = BigInt(x);
    return isSnumDecimal(b) ? BigInt.asUintN(64, b) : BigInt(x >>> 0);
  };
  const vals: bigint[] = [
    BigInt.asUintN(64, s.smin),
    BigInt.asUintN(64, s.smax),
    s.umin,
    s.umax,
    s32v(s.s32min),
    s32v(s.s32max),
    BigInt(s.u32min),
    BigInt(s.u32max),
  ];
  const omit: boolean[] = [
    s.smin === S64_MIN,
    s.smax === S64_MAX,
    s.umin === 0n,
    s.umax === U64_MAX,
    s.s32min === S32_MIN,
    s.s32max === S32_MAX,
    s.u32min === 0,
    s.u32max === U32_MAX,
  ];
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (omit[i]) continue;
    const v1 = vals[i];
    const neg1 = NAMES[i][0] === 's' && BigInt.asIntN(64, v1) < 0n;
    if (out) out += ',';
    out += NAMES[i] + '=';
    for (let j = i + 2; j < 8; j += 2) {
      if (omit[j]) continue;
      const v2 = vals[j];
      const neg2 = NAMES[j][0] === 's' && BigInt.asIntN(64, v2) < 0n;
      if (neg1 === neg2 && v1 === v2) {
        out += NAMES[j] + '=';
        omit[j] = true;
      }
    }
    out += NAMES[i][0] === 's' ? formatSnum(v1) : formatUnum(v1);
  }
  return out;
}

/**
 * A scalar register's text: the bare constant (`[P]<snum>`) when the tnum is constant, else
 * `[P]scalar(id=..,<ranges>,var_off=(v; m))`; `var_off` is omitted for a fully unknown tnum.
 */
export function formatScalar(s: Scalar, opts?: FormatScalarOptions): string {
  const p = opts?.precise ? 'P' : '';
  if (tnumIsConst(s.varOff)) return p + formatSnum(s.varOff.value);
  const parts: string[] = [];
  if (opts?.id) parts.push('id=' + opts.id);
  const r = formatScalarRanges(s);
  if (r) parts.push(r);
  if (s.varOff.mask !== U64_MAX) parts.push('var_off=' + tnumStr(s.varOff));
  return p + 'scalar(' + parts.join(',') + ')';
}

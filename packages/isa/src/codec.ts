import { IsaError } from './errors.js';
import { checkEncodable, type Insn, slotCount } from './insn.js';
import { Op } from './opcodes.js';

export interface CodecOptions {
  /** Big-endian object (`bpfeb`): multi-byte fields and register nibbles swap. */
  bigEndian?: boolean;
  /** Slot index of the first slot, used in error locations. */
  baseIndex?: number;
}

/**
 * Decodes instruction bytes. Lossless: nothing is validated except what is
 * needed to split slots (length a multiple of 8; an ld_imm64 needs its second
 * slot). Throws {@link IsaError} for those two problems.
 */
export function decode(bytes: Uint8Array, opts: CodecOptions = {}): Insn[] {
  const base = opts.baseIndex ?? 0;
  const n = bytes.length;
  if (n % 8 !== 0) {
    const slot = base + Math.floor(n / 8);
    throw new IsaError('BAD_LENGTH', `instruction bytes: length ${n} is not a multiple of 8 (trailing ${n % 8} bytes at slot ${slot})`, slot, n - (n % 8));
  }
  const be = opts.bigEndian === true;
  // Pre-sized (ld_imm64 pairs make it shrink at the end): much faster than push().
  const out: Insn[] = new Array<Insn>(n >> 3);
  let k = 0;
  const b = bytes;
  for (let p = 0; p < n; p += 8) {
    const code = b[p];
    const regs = b[p + 1];
    let off: number, imm: number;
    if (be) {
      off = ((b[p + 2] << 24) | (b[p + 3] << 16)) >> 16;
      imm = (b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7];
    } else {
      off = ((b[p + 3] << 24) | (b[p + 2] << 16)) >> 16;
      imm = b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24);
    }
    const dst = be ? regs >> 4 : regs & 15;
    const src = be ? regs & 15 : regs >> 4;
    if (code !== Op.LD_IMM64) {
      out[k++] = { code, dst, src, off, imm, imm2: 0 };
      continue;
    }
    const q = p + 8;
    if (q >= n) {
      const slot = base + p / 8;
      throw new IsaError('TRUNCATED_LD_IMM64', `slot ${slot}: ld_imm64 is missing its second slot`, slot, p, 'invalid bpf_ld_imm64 insn');
    }
    const imm2 = be
      ? (b[q + 4] << 24) | (b[q + 5] << 16) | (b[q + 6] << 8) | b[q + 7]
      : b[q + 4] | (b[q + 5] << 8) | (b[q + 6] << 16) | (b[q + 7] << 24);
    const insn: Insn = { code, dst, src, off, imm, imm2 };
    if ((b[q] | b[q + 1] | b[q + 2] | b[q + 3]) !== 0) {
      const r2 = b[q + 1];
      insn.slot2 = {
        code: b[q],
        dst: be ? r2 >> 4 : r2 & 15,
        src: be ? r2 & 15 : r2 >> 4,
        off: be ? ((b[q + 2] << 24) | (b[q + 3] << 16)) >> 16 : ((b[q + 3] << 24) | (b[q + 2] << 16)) >> 16,
      };
    }
    out[k++] = insn;
    p = q;
  }
  out.length = k;
  return out;
}

function put(b: Uint8Array, p: number, be: boolean, code: number, dst: number, src: number, off: number, imm: number): void {
  b[p] = code;
  if (be) {
    b[p + 1] = (dst << 4) | src;
    b[p + 2] = (off >> 8) & 0xff;
    b[p + 3] = off & 0xff;
    b[p + 4] = (imm >>> 24) & 0xff;
    b[p + 5] = (imm >>> 16) & 0xff;
    b[p + 6] = (imm >>> 8) & 0xff;
    b[p + 7] = imm & 0xff;
  } else {
    b[p + 1] = (src << 4) | dst;
    b[p + 2] = off & 0xff;
    b[p + 3] = (off >> 8) & 0xff;
    b[p + 4] = imm & 0xff;
    b[p + 5] = (imm >>> 8) & 0xff;
    b[p + 6] = (imm >>> 16) & 0xff;
    b[p + 7] = (imm >>> 24) & 0xff;
  }
}

/**
 * Encodes instructions (inverse of {@link decode}). Throws {@link IsaError}
 * `BAD_FIELD` when a field does not fit its encoding.
 */
export function encode(insns: readonly Insn[], opts: CodecOptions = {}): Uint8Array {
  const be = opts.bigEndian === true;
  const base = opts.baseIndex ?? 0;
  const out = new Uint8Array(slotCount(insns) * 8);
  let p = 0;
  for (let k = 0; k < insns.length; k++) {
    const i = insns[k];
    checkEncodable(i, base + p / 8);
    put(out, p, be, i.code, i.dst, i.src, i.off, i.imm);
    p += 8;
    if (i.code === Op.LD_IMM64) {
      const s = i.slot2;
      if (s) {
        checkEncodable({ code: s.code, dst: s.dst, src: s.src, off: s.off, imm: 0, imm2: 0 }, base + p / 8);
        put(out, p, be, s.code, s.dst, s.src, s.off, i.imm2);
      } else {
        put(out, p, be, 0, 0, 0, 0, i.imm2);
      }
      p += 8;
    }
  }
  return out;
}

/** Parses little-endian-style hex text (as in assembled.jsonl) into bytes. */
export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new IsaError('BAD_LENGTH', 'hex text must be an even number of hex digits', 0, 0);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let k = 0; k < out.length; k++) out[k] = parseInt(clean.substr(k * 2, 2), 16);
  return out;
}

/** Lowercase hex of bytes, no separators. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let k = 0; k < bytes.length; k++) s += (bytes[k] < 16 ? '0' : '') + bytes[k].toString(16);
  return s;
}

/**
 * Pre-decoding of a relocated program image (8-byte little-endian slots) into typed arrays.
 * Register nibbles are little-endian (`regs = src << 4 | dst`), as the host lays them out.
 */
export interface Decoded {
  readonly slots: number;
  readonly code: Uint8Array;
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  readonly off: Int16Array;
  readonly imm: Int32Array;
}

export function decodeImage(text: Uint8Array, slots: number): Decoded {
  const n = Math.min(slots, text.byteLength >> 3);
  const code = new Uint8Array(n);
  const dst = new Uint8Array(n);
  const src = new Uint8Array(n);
  const off = new Int16Array(n);
  const imm = new Int32Array(n);
  const dv = new DataView(text.buffer, text.byteOffset, text.byteLength);
  for (let i = 0; i < n; i++) {
    const p = i * 8;
    code[i] = text[p];
    dst[i] = text[p + 1] & 15;
    src[i] = text[p + 1] >> 4;
    off[i] = dv.getInt16(p + 2, true);
    imm[i] = dv.getInt32(p + 4, true);
  }
  return { slots: n, code, dst, src, off, imm };
}

/** Slots an instruction occupies (ld_imm64 = 2). */
export function width(d: Decoded, pc: number): number {
  return d.code[pc] === 0x18 ? 2 : 1;
}

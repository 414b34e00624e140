/** Map keys and values from JS: bytes as given, numbers / bigints as little-endian integers of the key size. */
export type KeyLike = Uint8Array | number | bigint;

export function toBytes(k: KeyLike, size: number, what: string): Uint8Array {
  if (k instanceof Uint8Array) {
    if (k.byteLength !== size) throw new RangeError(`${what}: ${k.byteLength} bytes given, ${size} expected`);
    return k;
  }
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, BigInt(k));
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** Hex string (spaces, `0x` and newlines allowed) → bytes; throws on a bad digit or odd length. */
export function fromHex(s: string): Uint8Array {
  const t = s.replace(/0x/gi, '').replace(/[\s,:]/g, '');
  if (t.length % 2 !== 0) throw new RangeError('hex data has an odd number of digits');
  if (!/^[0-9a-fA-F]*$/.test(t)) throw new RangeError('hex data has a character that is not a hex digit');
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(2 * i, 2 * i + 2), 16);
  return out;
}

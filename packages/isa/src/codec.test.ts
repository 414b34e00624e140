import { describe, expect, it } from 'vitest';
import { bytesToHex, decode, encode, hexToBytes } from './codec.js';
import { IsaError } from './errors.js';
import { imm64, insn, insnIndexBySlot, ldImm64, slotCount, slotOffsets, width } from './insn.js';
import { loadConformance } from './testdata/conformance.js';

describe('codec', () => {
  const progs = loadConformance();

  it('has all 313 conformance programs', () => {
    expect(progs.length).toBe(313);
  });

  it('encode(decode(x)) is byte-identical for every conformance program, both byte orders', () => {
    for (const p of progs) {
      const bytes = hexToBytes(p.bytecode);
      const insns = decode(bytes);
      expect(bytesToHex(encode(insns)), p.test).toBe(p.bytecode.toLowerCase());
      expect(slotCount(insns)).toBe(bytes.length / 8);
      const be = encode(insns, { bigEndian: true });
      expect(decode(be, { bigEndian: true }), p.test).toEqual(insns);
    }
  });

  it('splits registers per byte order (LE: src<<4|dst, BE: dst<<4|src)', () => {
    const le = hexToBytes('bf21000000000000');
    expect(decode(le)[0]).toMatchObject({ code: 0xbf, dst: 1, src: 2 });
    const be = hexToBytes('1810000000000001' + '0000000000000002');
    const [i] = decode(be, { bigEndian: true });
    expect(i).toMatchObject({ code: 0x18, dst: 1, src: 0, imm: 1, imm2: 2 });
    expect(imm64(i)).toBe(0x200000001n);
    expect(bytesToHex(encode([i], { bigEndian: true }))).toBe('18100000000000010000000000000002');
  });

  it('sign-extends off and imm', () => {
    const [i] = decode(hexToBytes('7a0af8ff' + 'feffffff'));
    expect(i).toMatchObject({ code: 0x7a, dst: 10, off: -8, imm: -2 });
  });

  it('is lossless for arbitrary bytes, including unknown opcodes and junk in the second ld_imm64 slot', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    for (let round = 0; round < 500; round++) {
      const n = 1 + (rnd() % 20);
      const b = new Uint8Array(n * 8);
      for (let k = 0; k < b.length; k++) b[k] = rnd();
      // make sure the last slot is not the first half of an ld_imm64
      if (b[(n - 1) * 8] === 0x18) b[(n - 1) * 8] = 0x17;
      for (let k = 0; k + 8 < b.length; k += 8) {
        if (b[k] === 0x18) k += 8; // keep the pairing as decode sees it
      }
      let ok = true;
      try {
        decode(b);
      } catch (e) {
        expect(e).toBeInstanceOf(IsaError);
        ok = false;
      }
      if (!ok) continue;
      for (const be of [false, true]) expect(bytesToHex(encode(decode(b, { bigEndian: be }), { bigEndian: be }))).toBe(bytesToHex(b));
    }
    const junk = hexToBytes('18a1030004000000' + 'ff12345678000000');
    const [i] = decode(junk);
    expect(i.slot2).toEqual({ code: 0xff, dst: 2, src: 1, off: 0x5634 });
    expect(bytesToHex(encode([i]))).toBe(bytesToHex(junk));
  });

  it('reports a length that is not a multiple of 8 with its location', () => {
    const e = (() => {
      try {
        decode(new Uint8Array(21), { baseIndex: 100 });
      } catch (err) {
        return err;
      }
    })() as IsaError;
    expect(e).toBeInstanceOf(IsaError);
    expect(e.code).toBe('BAD_LENGTH');
    expect(e.slot).toBe(102);
    expect(e.byteOffset).toBe(16);
  });

  it('reports a truncated ld_imm64 with slot index and the kernel message', () => {
    const b = hexToBytes('b700000000000000' + '9500000000000000' + '1801000000000000');
    try {
      decode(b, { baseIndex: 10 });
      expect.unreachable();
    } catch (err) {
      const e = err as IsaError;
      expect(e).toBeInstanceOf(IsaError);
      expect(e.code).toBe('TRUNCATED_LD_IMM64');
      expect(e.slot).toBe(12);
      expect(e.byteOffset).toBe(16);
      expect(e.kernelMessage).toBe('invalid bpf_ld_imm64 insn');
    }
  });

  it('rejects unencodable fields with a typed error', () => {
    expect(() => encode([insn(0xb7, 16)])).toThrow(IsaError);
    expect(() => encode([insn(0xb7, 0, 0, 40000)])).toThrow(/off 40000/);
    expect(() => encode([insn(0x95), insn(0xb7, 0, 0, 0, 2 ** 31)])).toThrow(/slot 1: imm/);
  });

  it('keeps slot indices explicit', () => {
    const p = [insn(0xb7), ldImm64(1, 0x123456789n), insn(0x95)];
    expect(p.map(width)).toEqual([1, 2, 1]);
    expect(Array.from(slotOffsets(p))).toEqual([0, 1, 3, 4]);
    expect(Array.from(insnIndexBySlot(p))).toEqual([0, 1, -1, 2]);
    expect(imm64(ldImm64(0, -1n))).toBe(0xffffffffffffffffn);
  });

  it('decodes 100k instructions quickly', () => {
    const n = 100_000;
    const b = new Uint8Array(n * 8);
    for (let k = 0; k < n; k++) {
      b[k * 8] = k % 7 === 0 ? 0x18 : 0x07;
      b[k * 8 + 1] = 0x21;
      b[k * 8 + 4] = k & 0xff;
      if (b[k * 8] === 0x18) { k++; if (k < n) b[k * 8 + 4] = 1; }
    }
    if (b[(n - 2) * 8] !== 0x18) b[(n - 1) * 8] = 0x95;
    decode(b); // warm-up
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      const insns = decode(b);
      best = Math.min(best, performance.now() - t0);
      expect(insns.length).toBeGreaterThan(80_000);
    }
    const t1 = performance.now();
    const out = encode(decode(b));
    const roundTrip = performance.now() - t1;
    expect(Buffer.compare(Buffer.from(out), Buffer.from(b))).toBe(0);
    console.log(`decode 100k slots: ${best.toFixed(2)} ms (best of 5); decode+encode: ${roundTrip.toFixed(2)} ms`);
    // generous bound: vitest runs files in parallel on 2 cores; plain node measures ~6 ms
    expect(best).toBeLessThan(250);
  });
});

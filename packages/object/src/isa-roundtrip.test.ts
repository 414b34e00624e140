/**
 * Every instruction clang wrote in every fixture object survives the ISA layer:
 * decode → encode gives the same bytes, and the kernel-syntax text assembles
 * back to the same bytes. (Lives here because reading the code sections needs
 * the ELF reader; @bpfkit/isa itself has no ELF knowledge.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble, bytesToHex, decode, encode, formatProgram } from '@bpfkit/isa';
import { parseElf, SHF_EXECINSTR } from './index.js';

const DIR = new URL('../../../fixtures/obj/', import.meta.url);
const objects = readdirSync(DIR).filter((f) => f.endsWith('.o')).sort();

describe('fixture code through @bpfkit/isa', () => {
  it('finds the fixture objects', () => expect(objects.length).toBeGreaterThan(10));
  it.each(objects)('%s: decode/encode and format/assemble round trips', (obj) => {
    const elf = parseElf(new Uint8Array(readFileSync(new URL(obj, DIR))));
    const code = elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && s.size > 0);
    expect(code.length).toBeGreaterThan(0);
    for (const s of code) {
      const insns = decode(s.data, { bigEndian: !elf.header.littleEndian });
      expect(bytesToHex(encode(insns, { bigEndian: !elf.header.littleEndian })), s.name).toBe(bytesToHex(s.data));
      const text = formatProgram(insns);
      expect(text).not.toMatch(/BUG_/);
      expect(bytesToHex(encode(assemble(text))), `${obj} ${s.name}`).toBe(bytesToHex(s.data));
    }
  });
});

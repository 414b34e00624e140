import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseElf, relocTypeName, SHN_ABS, SHN_UNDEF, type ElfFile } from './elf.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIX = join(here, '__fixtures__');
const REPO_FIX = join(here, '../../../fixtures');

const TYPE_NAMES: Record<number, string> = { 0: 'NULL', 1: 'PROGBITS', 2: 'SYMTAB', 3: 'STRTAB', 8: 'NOBITS', 9: 'REL', 0x6fff4c03: 'LLVM_ADDRSIG' };
const STT = ['NOTYPE', 'OBJECT', 'FUNC', 'SECTION', 'FILE'];
const STB = ['LOCAL', 'GLOBAL', 'WEAK'];
const STV = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'];

/** Our own rendering of the facts `llvm-readelf -S -s -r` prints, in its line shapes (whitespace-normalised). */
function render(elf: ElfFile): { sections: string[]; symbols: string[]; relocs: string[] } {
  const sections = elf.sections.map((s) =>
    [`[${s.index}]`, s.name, TYPE_NAMES[s.type] ?? s.type, s.offset.toString(16).padStart(6, '0'), s.size.toString(16).padStart(6, '0'), s.link, s.info].join(' ').replace(/\s+/g, ' '),
  );
  const symbols = elf.symbols.map((y) =>
    [
      `${y.index}:`,
      y.value.toString(16).padStart(16, '0'),
      y.size,
      STT[y.type],
      STB[y.bind],
      STV[y.visibility],
      y.shndx === SHN_UNDEF ? 'UND' : y.shndx === SHN_ABS ? 'ABS' : y.shndx,
      y.type === 3 ? elf.sections[y.shndx].name : y.name,
    ].join(' ').trim(),
  );
  const relocs: string[] = [];
  for (const rs of elf.relSections) {
    for (const r of rs.relocations) {
      const sym = elf.symbols[r.symbol];
      const name = sym.type === 3 ? elf.sections[sym.shndx].name : sym.name;
      relocs.push(`${rs.section.name} ${r.offset.toString(16).padStart(16, '0')} ${relocTypeName(r.type)} ${sym.value.toString(16).padStart(16, '0')} ${name}`);
    }
  }
  return { sections, symbols, relocs };
}

/** Parses the same facts out of llvm-readelf's text. */
function parseReadelf(text: string): { sections: string[]; symbols: string[]; relocs: string[] } {
  const sections: string[] = [];
  const symbols: string[] = [];
  const relocs: string[] = [];
  let relSec = '';
  const secRe = /^\s*\[\s*(\d+)\]\s?(.*?)\s+(NULL|PROGBITS|SYMTAB|STRTAB|NOBITS|REL|LLVM_ADDRSIG)\s+[0-9a-f]{16}\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+\S*\s+(\d+)\s+(\d+)\s+\d+$/;
  const symRe = /^\s*(\d+):\s+([0-9a-f]{16})\s+(\d+)\s+(\w+)\s+(\w+)\s+(\w+)\s+(\w+)\s?(.*)$/;
  const relRe = /^([0-9a-f]{16})\s+[0-9a-f]{16}\s+(R_BPF_\w+)\s+([0-9a-f]{16})\s+(.*)$/;
  for (const line of text.split('\n')) {
    const rh = /^Relocation section '(.*)' at offset/.exec(line);
    if (rh) {
      relSec = rh[1];
      continue;
    }
    let m = secRe.exec(line);
    if (m) {
      sections.push([`[${m[1]}]`, m[2], m[3], m[4], m[5], m[6], m[7]].join(' ').replace(/\s+/g, ' '));
      continue;
    }
    m = symRe.exec(line);
    if (m) {
      symbols.push([`${m[1]}:`, m[2], m[3], m[4], m[5], m[6], m[7], m[8]].join(' ').trim());
      continue;
    }
    m = relRe.exec(line);
    if (m && relSec) relocs.push(`${relSec} ${m[1]} ${m[2]} ${m[3]} ${m[4].trim()}`);
  }
  return { sections, symbols, relocs };
}

function goldenPairs(): { name: string; obj: string; readelf: string }[] {
  const out = [{ name: 'kitchen', obj: join(FIX, 'kitchen.bpf.o'), readelf: join(FIX, 'kitchen.bpf.readelf.txt') }];
  const objDir = join(REPO_FIX, 'obj');
  if (existsSync(objDir)) {
    for (const f of readdirSync(objDir).sort()) {
      if (!f.endsWith('.bpf.o')) continue;
      const base = f.slice(0, -'.bpf.o'.length);
      const golden = join(REPO_FIX, 'golden', `${base}.readelf.txt`);
      if (existsSync(golden)) out.push({ name: base, obj: join(objDir, f), readelf: golden });
    }
  }
  return out;
}

describe('parseElf against llvm-readelf', () => {
  for (const g of goldenPairs()) {
    it(`${g.name}: sections, symbols and relocations match readelf`, () => {
      const elf = parseElf(new Uint8Array(readFileSync(g.obj)));
      const ours = render(elf);
      const theirs = parseReadelf(readFileSync(g.readelf, 'utf8'));
      if (theirs.sections.length) expect(ours.sections).toEqual(theirs.sections);
      if (theirs.symbols.length) expect(ours.symbols).toEqual(theirs.symbols);
      if (theirs.relocs.length) expect(ours.relocs).toEqual(theirs.relocs);
      expect(theirs.sections.length + theirs.symbols.length + theirs.relocs.length).toBeGreaterThan(0);
    });
  }
});

describe('parseElf byte orders', () => {
  it('reads the big-endian build with the same structure', () => {
    const le = parseElf(new Uint8Array(readFileSync(join(FIX, 'kitchen.bpf.o'))));
    const be = parseElf(new Uint8Array(readFileSync(join(FIX, 'kitchen.bpf.eb.o'))));
    expect(le.header.littleEndian).toBe(true);
    expect(be.header.littleEndian).toBe(false);
    const strip = (e: ElfFile) => ({
      sections: e.sections.map((s) => [s.name, s.type, s.flags, s.size, s.link, s.info, s.entsize]),
      symbols: e.symbols.map(({ index, name, bind, type, visibility, shndx, value, size }) => ({ index, name, bind, type, visibility, shndx, value, size })),
      relocs: e.relSections.filter((r) => !r.section.name.includes('debug')).map((r) => [r.section.name, r.relocations]),
    });
    expect(strip(be)).toEqual(strip(le));
  });
});

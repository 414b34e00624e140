import { describe, expect, it } from 'vitest';
import { BtfError } from './errors.js';
import { parseBtfExt } from './ext.js';
import { parseBtf } from './parse.js';
import { BtfBuilder } from './testing/builder.js';
import { fixture, fixtureText } from './testing/fixtures.js';

/** Hand-assemble a little-endian BTF.ext: header (32 bytes) then the three subsections. */
function ext(parts: { func?: number[]; line?: number[]; core?: number[] }, hdr: Partial<Record<'version' | 'flags' | 'hdrLen', number>> = {}): Uint8Array {
  const f = parts.func ?? [];
  const l = parts.line ?? [];
  const c = parts.core ?? [];
  const hdrLen = hdr.hdrLen ?? 32;
  const words = [...f, ...l, ...c];
  const out = new Uint8Array(hdrLen + words.length * 4);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, 0xeb9f, true);
  out[2] = hdr.version ?? 1;
  out[3] = hdr.flags ?? 0;
  dv.setUint32(4, hdrLen, true);
  const hw = [0, f.length * 4, f.length * 4, l.length * 4, (f.length + l.length) * 4, c.length * 4];
  hw.forEach((w, i) => { if (8 + i * 4 + 4 <= hdrLen) dv.setUint32(8 + i * 4, w, true); });
  words.forEach((w, i) => dv.setUint32(hdrLen + i * 4, w >>> 0, true));
  return out;
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BtfError);
    return `${(e as BtfError).code}: ${(e as BtfError).message.replace(/ \(offset \d+\)$/, '')}`;
  }
  return 'ok';
}

describe('parseBtfExt', () => {
  it('decodes func_info and line_info of a clang object (LE and BE)', () => {
    for (const e of ['bpfel', 'bpfeb']) {
      const btf = parseBtf(fixture(`kinds.${e}.btf`));
      const x = parseBtfExt(fixture(`kinds.${e}.btf.ext`), btf);
      expect(x.bigEndian).toBe(e === 'bpfeb');
      expect(x.funcInfoRecSize).toBe(8);
      expect(x.lineInfoRecSize).toBe(16);
      expect(x.funcInfo.map((s) => [s.secName, s.records.map((r) => btf.type(r.typeId).name)])).toEqual([['tp/x', ['prog']], ['.text', ['sub']]]);
      const first = x.lineInfo[0]!.records[0]!;
      expect(first.fileName).toMatch(/kinds\.bpf\.c$/);
      expect(first.line).toBe('\tbpf_rcu_read_lock();');
      expect(first.lineNum).toBe(42);
      expect(first.col).toBe(2);
      for (const s of x.lineInfo) for (const r of s.records) expect(r.insnOff % 8).toBe(0);
    }
  });

  it('decodes CO-RE relocations the way llvm-objdump lists them', () => {
    const btf = parseBtf(fixture('core.btf'));
    const x = parseBtfExt(fixture('core.btf.ext'), btf);
    expect(x.coreRelos.map((s) => s.secName)).toEqual(['kprobe/x']);
    const ours = x.coreRelos[0]!.records.map((r) => `${r.insnOff.toString(16).padStart(16, '0')} ${r.kindName} [${r.typeId}] ${r.kind < 6 ? r.accessStr : ''}`.trim());
    const theirs = fixtureText('core.objdump-relos.txt').trim().split('\n').map((l) => {
      const m = /^([0-9a-f]+):\s+CO-RE <(\w+)> \[(\d+)\][^(]*(?:\(([\d:]+)\))?/.exec(l)!;
      return `${m[1]} ${m[2]} [${m[3]}] ${m[4] ?? ''}`.trim();
    });
    expect(ours).toEqual(theirs);
    const ev = x.coreRelos[0]!.records.find((r) => r.kindName === 'enumval_value')!;
    expect(ev.accessStr).toBe('2');
  });

  it('applies libbpf structural checks as typed errors', () => {
    const b = new BtfBuilder();
    b.str('.text');
    b.str('file.c');
    b.int('int', 4);
    const btf = parseBtf(b.build());
    const text = b.str('.text');
    const file = b.str('file.c');
    expect(code(() => parseBtfExt(ext({ func: [8, text, 1, 0, 1] }), btf))).toBe('ok');
    expect(code(() => parseBtfExt(new Uint8Array(4), btf))).toBe('EXT_TRUNCATED: BTF.ext header too short');
    expect(code(() => parseBtfExt(new Uint8Array(32), btf))).toBe('EXT_BAD_MAGIC: Invalid BTF.ext magic:0');
    expect(code(() => parseBtfExt(ext({}, { version: 2 }), btf))).toBe('EXT_BAD_VERSION: Unsupported BTF.ext version:2');
    expect(code(() => parseBtfExt(ext({}, { flags: 1 }), btf))).toBe('EXT_BAD_FLAGS: Unsupported BTF.ext flags:1');
    expect(code(() => parseBtfExt(ext({ func: [4, text, 1, 0] }), btf))).toBe('EXT_BAD_REC_SIZE: func_info section in .BTF.ext has invalid record size 4');
    expect(code(() => parseBtfExt(ext({ func: [10, text, 1, 0, 1, 0] }), btf))).toBe('EXT_BAD_REC_SIZE: func_info section in .BTF.ext has invalid record size 10');
    expect(code(() => parseBtfExt(ext({ func: [8] }), btf))).toBe('EXT_BAD_INFO: func_info section in .BTF.ext has no records');
    expect(code(() => parseBtfExt(ext({ func: [8, text, 0] }), btf))).toBe('EXT_BAD_INFO: func_info section has incorrect num_records in .BTF.ext');
    expect(code(() => parseBtfExt(ext({ func: [8, text, 5, 0, 1] }), btf))).toBe('EXT_BAD_INFO: func_info section has incorrect num_records in .BTF.ext');
    expect(code(() => parseBtfExt(ext({ func: [8, text, 1, 0, 1, 7] }), btf))).toBe('EXT_BAD_INFO: func_info section header is not found in .BTF.ext');
    expect(code(() => parseBtfExt(ext({ line: [16, text, 1, 0, 999, 0, 5 << 10] }), btf))).toMatch(/^EXT_BAD_INFO: line_info file_name_off/);
    const ok = parseBtfExt(ext({ line: [16, text, 1, 8, file, 0, (7 << 10) | 3], core: [16, text, 1, 0, 1, 0, 99] }), btf);
    expect(ok.lineInfo[0]!.records[0]).toMatchObject({ insnOff: 8, fileName: 'file.c', line: '', lineNum: 7, col: 3 });
    expect(ok.coreRelos[0]!.records[0]).toMatchObject({ kind: 99, kindName: 'unknown(99)', accessStr: '' });
    // a 24-byte header has no CO-RE subsection
    expect(parseBtfExt(ext({ func: [8, text, 1, 0, 1] }, { hdrLen: 24 }), btf).coreRelos).toEqual([]);
    // subsection beyond the end of the section
    const beyond = ext({ func: [8, text, 1, 0, 1] });
    new DataView(beyond.buffer).setUint32(12, 400, true);
    expect(code(() => parseBtfExt(beyond, btf))).toBe('EXT_BAD_SECTION: func_info section (off:0 len:400) is beyond the end of the ELF section .BTF.ext');
  });
});

/**
 * Parser fuzzing (issue 7): mutated fixture objects (ELF), mutated .BTF blobs and mutated .BTF.ext
 * blobs through everything that reads a file: loadObjectSpec/loadObject, linkProgram for every
 * program, parseBtf, validateBtf, the three dumps, parseBtfExt, kernelBtfBytes. The only failures
 * allowed are typed input errors that carry a location; anything else (a TypeError, a RangeError,
 * an untyped throw, a typed error without a location) is a finding. Deterministic per (seed, case).
 *
 * Mutations: truncation, bit flips, interesting u32s at random and at structural offsets (ELF header,
 * section headers, symbols, relocations; BTF header, type records with their `type`/`size` word,
 * vlen and kind; BTF.ext header, record sizes, per-section counts), type loops (a type pointing at
 * itself or its referrer), huge counts (vlen 0xffff, num_info 0x7fffffff, section lengths).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dumpC, dumpJson, dumpRaw, parseBtf, parseBtfExt, validateBtf } from '@bpfkit/btf';
import { kernelBtfBytes, linkProgram, loadObject, loadObjectSpec, parseElf } from '@bpfkit/object';
import { linux618 } from '@bpfkit/platform';
import { Rng, ROOT } from './fuzz-soundness.mjs';

const TYPED = new Set(['BtfError', 'BtfRecordError', 'BtfCDumpError', 'ObjectError', 'IsaError', 'LinkError']);

/** Whether a typed error says where: an offset, a type id, a section, a symbol, an instruction… */
export function hasLocation(e) {
  if (e.name === 'IsaError') return typeof e.slot === 'number';
  if (e.name === 'ObjectError') return !!e.location && Object.values(e.location).some((v) => v !== undefined);
  if (e.name === 'BtfError' || e.name === 'BtfRecordError' || e.name === 'BtfCDumpError') return e.offset !== undefined || e.typeId !== undefined;
  return false;
}

const U32 = [0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

let targetsCache;
/** The fixture objects with the structural offsets worth aiming at. */
export function parserTargets() {
  if (targetsCache) return targetsCache;
  const dir = join(ROOT, 'fixtures', 'obj');
  targetsCache = readdirSync(dir)
    .filter((f) => f.endsWith('.o'))
    .sort()
    .map((f) => {
      const bytes = new Uint8Array(readFileSync(join(dir, f)));
      const elf = parseElf(bytes);
      const btfSec = elf.sections.find((s) => s.name === '.BTF');
      const extSec = elf.sections.find((s) => s.name === '.BTF.ext');
      const btf = btfSec ? btfSec.data.slice() : undefined;
      const ext = extSec ? extSec.data.slice() : undefined;
      const shoff = Number(elf.header.shoff);
      const elfFields = [];
      // e_shoff, e_shnum/e_shstrndx words, then per section header: sh_name, sh_type, sh_offset, sh_size, sh_link, sh_info, sh_entsize
      elfFields.push(0x28, 0x2c, 0x3c);
      for (let i = 0; i < elf.header.shnum; i++) {
        const h = shoff + i * 64;
        elfFields.push(h, h + 4, h + 0x18, h + 0x20, h + 0x28, h + 0x2c, h + 0x38);
      }
      const symtab = elf.sections.find((s) => s.name === '.symtab');
      const rels = elf.sections.filter((s) => s.name.startsWith('.rel'));
      return {
        name: f, bytes, btf, ext,
        btfRecords: btf ? btfRecords(btf) : [],
        elfFields,
        btfFileOff: btfSec ? Number(btfSec.offset) : -1,
        regions: [symtab, ...rels].filter(Boolean).map((s) => ({ offset: Number(s.offset), size: Number(s.size) })),
      };
    });
  return targetsCache;
}

/** Offsets of the type records of a valid BTF blob: {off, kind, vlen}. */
function btfRecords(b) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const hdrLen = dv.getUint32(4, true);
  const typeOff = dv.getUint32(8, true);
  const typeLen = dv.getUint32(12, true);
  const out = [];
  let p = hdrLen + typeOff;
  const end = p + typeLen;
  while (p + 12 <= end) {
    const info = dv.getUint32(p + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    out.push({ off: p, kind, vlen });
    let extra = 0;
    switch (kind) {
      case 1: case 14: case 15: extra = 4; break; // INT, VAR, DECL_TAG… (DECL_TAG=17 below)
      case 3: extra = 12; break; // ARRAY
      case 4: case 5: extra = 12 * vlen; break; // STRUCT, UNION
      case 6: extra = 8 * vlen; break; // ENUM
      case 13: extra = 8 * vlen; break; // FUNC_PROTO
      case 17: extra = 4; break; // DECL_TAG
      case 19: extra = 12 * vlen; break; // ENUM64
      default: extra = 0;
    }
    if (kind === 15) extra = 12 * vlen; // DATASEC
    if (kind === 14) extra = 4; // VAR
    p += 12 + extra;
  }
  return out;
}

function w32(b, off, v) {
  if (off < 0 || off + 4 > b.length) return;
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
  b[off + 2] = (v >>> 16) & 0xff;
  b[off + 3] = (v >>> 24) & 0xff;
}
function r32(b, off) {
  return off + 4 <= b.length ? (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0 : 0;
}

/** Generic byte-level mutations. */
function mutateBytes(r, input) {
  const kind = r.pick(['truncate', 'bitflip', 'bitflip', 'byte', 'u32', 'splice']);
  const b = input.slice();
  switch (kind) {
    case 'truncate':
      return { bytes: input.slice(0, r.int(input.length)), kind };
    case 'bitflip':
      for (let n = 1 + r.int(8); n > 0; n--) {
        const p = r.int(b.length);
        b[p] ^= 1 << r.int(8);
      }
      return { bytes: b, kind };
    case 'byte':
      b[r.int(b.length)] = r.pick([0, 1, 0x7f, 0x80, 0xff]);
      return { bytes: b, kind };
    case 'u32':
      w32(b, r.int(b.length >> 2) << 2, r.pick(U32));
      return { bytes: b, kind };
    default: {
      const len = 1 + r.int(64);
      b.copyWithin(r.int(b.length), r.int(b.length), Math.min(b.length, r.int(b.length) + len));
      return { bytes: b, kind };
    }
  }
}

/** BTF-aware mutations of a .BTF blob at `base` inside `b` (in place). */
function mutateBtfAt(r, b, base, recs) {
  const kind = r.pick(['hdr', 'type-loop', 'type-loop', 'huge-vlen', 'kind', 'size', 'name-off', 'member']);
  const rec = recs.length ? r.pick(recs) : undefined;
  const idOf = (x) => recs.indexOf(x) + 1;
  switch (kind) {
    case 'hdr':
      // hdr_len, type_off, type_len, str_off, str_len
      w32(b, base + 4 + 4 * r.int(5), r.chance(0.5) ? r.pick(U32) : r32(b, base + 4 + 4 * r.int(5)) + r.pick([-4, -1, 1, 4, 12]));
      break;
    case 'type-loop':
      // the type/size word points at itself, its predecessor or a referrer: loops and forward refs
      if (rec) w32(b, base + rec.off + 8, r.pick([idOf(rec), idOf(rec) - 1, idOf(rec) + 1, 0, recs.length, recs.length + 1]));
      break;
    case 'huge-vlen':
      if (rec) w32(b, base + rec.off + 4, (r32(b, base + rec.off + 4) & 0xffff0000) | r.pick([0xffff, 0x8000, rec.vlen + 1, 0]));
      break;
    case 'kind':
      if (rec) w32(b, base + rec.off + 4, (r32(b, base + rec.off + 4) & 0xe0ffffff) | (r.int(32) << 24));
      break;
    case 'size':
      if (rec) w32(b, base + rec.off + 8, r.pick(U32));
      break;
    case 'name-off':
      if (rec) w32(b, base + rec.off, r.pick(U32));
      break;
    default:
      // a member/param/var entry of a record with trailing data: its type id or offset
      if (rec && rec.vlen) w32(b, base + rec.off + 12 + 4 * r.int(3 * rec.vlen), r.chance(0.5) ? r.int(recs.length + 2) : r.pick(U32));
  }
  return kind;
}

/** BTF.ext-aware mutations (in place). */
function mutateExt(r, b) {
  const kind = r.pick(['ext-hdr', 'rec-size', 'num-info', 'sec-name', 'insn-off']);
  const hdrLen = r32(b, 4);
  if (kind === 'ext-hdr') {
    w32(b, 4 + 4 * r.int(7), r.chance(0.5) ? r.pick(U32) : r32(b, 4 + 4 * r.int(7)) + r.pick([-4, 4, 8]));
    return kind;
  }
  // walk func_info or line_info: [rec_size][sec_name_off][num_info][records...]...
  const which = r.int(3);
  const off = hdrLen + r32(b, 8 + 8 * which);
  const len = r32(b, 12 + 8 * which);
  if (len < 4 || off + len > b.length) {
    w32(b, 8 + 8 * which, r.pick(U32));
    return 'ext-hdr';
  }
  const recSize = r32(b, off);
  if (kind === 'rec-size') {
    w32(b, off, r.pick([0, 1, 4, 7, 8, 12, 16, 0xffff, 0x7fffffff, recSize + 4]));
    return kind;
  }
  let p = off + 4;
  const secs = [];
  while (p + 8 <= off + len && secs.length < 64) {
    const n = r32(b, p + 4);
    secs.push(p);
    if (!recSize || n > 1e6) break;
    p += 8 + n * recSize;
  }
  if (!secs.length) return kind;
  const s = r.pick(secs);
  if (kind === 'num-info') w32(b, s + 4, r.pick([0, 1, r32(b, s + 4) + 1, 0xffff, 0x7fffffff, 0xffffffff]));
  else if (kind === 'sec-name') w32(b, s, r.pick(U32));
  else w32(b, s + 8 + 4 * r.int(Math.max(1, (recSize >> 2) * Math.max(1, r32(b, s + 4)))), r.pick(U32));
  return kind;
}

const linkPlatform = { kfuncBtfId: (n) => linux618.kfuncBtfId(n) };

function btfWork(btf) {
  validateBtf(btf);
  dumpRaw(btf);
  dumpJson(btf);
  dumpC(btf);
}

function objectWork(bytes) {
  const spec = loadObjectSpec(bytes, { name: 'fuzz' });
  for (const p of spec.programs) linkProgram(spec, p.name, linkPlatform);
  if (spec.btf) btfWork(spec.btf);
  const lo = loadObject(bytes, { name: 'fuzz' });
  if (lo.spec.btf && lo.btfFixups) parseBtf(kernelBtfBytes(lo.spec.btf, lo.btfFixups));
}

/** Builds the input of parser case `seed` (no parsing yet): {target, mutation, work()} */
export function parserInput(seed) {
  const r = new Rng(seed);
  const targets = parserTargets();
  const t = r.pick(targets);
  const which = r.pick(['elf', 'elf', 'elf-btf', 'btf', 'btf', 'ext', 'ext']);
  if (which === 'elf') {
    let m;
    if (r.chance(0.4)) {
      const b = t.bytes.slice();
      const off = r.chance(0.7) ? r.pick(t.elfFields) : (() => {
        const reg = r.pick(t.regions);
        return reg.offset + (r.int(Math.max(1, reg.size >> 2)) << 2);
      })();
      w32(b, off, r.chance(0.5) ? r.pick(U32) : r32(b, off) + r.pick([-8, -1, 1, 8, 64]));
      m = { bytes: b, kind: 'elf-field' };
    } else m = mutateBytes(r, t.bytes);
    return { target: t.name, mutation: `elf/${m.kind}`, bytes: m.bytes, work: () => objectWork(m.bytes) };
  }
  if (which === 'elf-btf' && t.btf && t.btfFileOff >= 0) {
    // a BTF-aware mutation inside the object file
    const b = t.bytes.slice();
    const k = mutateBtfAt(r, b, t.btfFileOff, t.btfRecords);
    return { target: t.name, mutation: `elf-btf/${k}`, bytes: b, work: () => objectWork(b) };
  }
  if ((which === 'btf' || which === 'elf-btf') && t.btf) {
    let bytes;
    let k;
    if (r.chance(0.6)) {
      bytes = t.btf.slice();
      k = mutateBtfAt(r, bytes, 0, t.btfRecords);
      if (r.chance(0.3)) k += '+' + mutateBtfAt(r, bytes, 0, t.btfRecords);
    } else {
      const m = mutateBytes(r, t.btf);
      bytes = m.bytes;
      k = m.kind;
    }
    return { target: t.name, mutation: `btf/${k}`, bytes, work: () => btfWork(parseBtf(bytes)) };
  }
  if (t.ext && t.btf) {
    let bytes;
    let k;
    if (r.chance(0.7)) {
      bytes = t.ext.slice();
      k = mutateExt(r, bytes);
    } else {
      const m = mutateBytes(r, t.ext);
      bytes = m.bytes;
      k = m.kind;
    }
    const base = parseBtf(t.btf);
    return { target: t.name, mutation: `ext/${k}`, bytes, work: () => parseBtfExt(bytes, base) };
  }
  const m = mutateBytes(r, t.bytes);
  return { target: t.name, mutation: `elf/${m.kind}`, bytes: m.bytes, work: () => objectWork(m.bytes) };
}

/**
 * Runs parser case `seed`: outcome 'ok' (parsed), 'typed' (typed error with a location),
 * 'noloc' (typed error without a location: a finding), 'untyped' (a finding), plus ms.
 */
export function parserCase(seed) {
  const inp = parserInput(seed);
  const t0 = performance.now();
  let outcome = 'ok';
  let detail;
  try {
    inp.work();
  } catch (e) {
    if (e instanceof Error && TYPED.has(e.name)) {
      if (hasLocation(e)) outcome = 'typed';
      else {
        outcome = 'noloc';
        detail = `${e.name}${e.code ? ` ${e.code}` : ''}: ${e.message}`;
      }
    } else {
      outcome = 'untyped';
      detail = `${e?.name ?? typeof e}: ${e?.message ?? String(e)}\n${(e?.stack ?? '').split('\n').slice(1, 5).join('\n')}`;
    }
  }
  return { target: inp.target, mutation: inp.mutation, outcome, detail, ms: performance.now() - t0, bytes: inp.bytes };
}

/**
 * libbpf's BTF fixups before loading (formats.md §4.6): DATASEC sizes and VAR offsets
 * from the ELF, hidden globals → static, `.kconfig`/`.ksyms` extern layout, hidden
 * subprogram FUNCs → static. `planBtfFixups` computes them as data; `kernelBtfBytes`
 * applies them to a copy of the raw `.BTF` blob.
 */
import type { Btf, BtfVarSecinfo } from '@bpfkit/btf';
import { ObjectError } from './errors.js';
import { SHT_NOBITS, STB_GLOBAL, STB_WEAK, STT_OBJECT, STV_HIDDEN, STV_INTERNAL } from './elf/constants.js';
import type { ElfFile } from './elf/types.js';
import { KCONFIG_SEC, KSYMS_SEC, kconfigSize } from './externs.js';
import type { ExternSpec } from './spec.js';

type FnLike = { readonly name: string; readonly global: boolean; readonly visibility: number };

export interface DatasecFixup {
  readonly id: number;
  readonly name: string;
  readonly size: number;
  /** Entries sorted by offset (stable). */
  readonly vars: readonly BtfVarSecinfo[];
}

export interface BtfFixups {
  /** Per DATASEC id. */
  readonly datasecs: ReadonlyMap<number, DatasecFixup>;
  /** New VAR linkage by VAR id (only changed ones). */
  readonly varLinkage: ReadonlyMap<number, number>;
  /** New VAR type by VAR id (`.ksyms` variables become `int`). */
  readonly varType: ReadonlyMap<number, number>;
  /** New FUNC linkage by FUNC id (only changed ones). */
  readonly funcLinkage: ReadonlyMap<number, number>;
  /** `.ksyms` functions are replaced by a VAR `dummy_ksym` of type int (appended as id `btf.types.length`). */
  readonly dummyKsymVar?: { readonly id: number; readonly intTypeId: number };
}

function findElfSecSize(elf: ElfFile, name: string): number | undefined {
  const s = elf.sections.find((x) => x.name === name && x.index > 0);
  return s ? (s.type === SHT_NOBITS ? s.size : s.data.byteLength) : undefined;
}

function findIntBtfId(btf: Btf): number {
  for (let id = 1; id < btf.types.length; id++) {
    const t = btf.types[id];
    if (t.kind === 'INT' && t.nrBits === 32) return id;
  }
  return 0;
}

export function planBtfFixups(btf: Btf, elf: ElfFile, externs: readonly ExternSpec[], subprograms: readonly FnLike[]): BtfFixups {
  const datasecs = new Map<number, DatasecFixup>();
  const varLinkage = new Map<number, number>();
  const varType = new Map<number, number>();
  const funcLinkage = new Map<number, number>();
  let dummyKsymVar: BtfFixups['dummyKsymVar'];
  const intId = findIntBtfId(btf);
  const extByName = new Map(externs.map((e) => [e.name, e]));

  for (let id = 1; id < btf.types.length; id++) {
    const t = btf.types[id];
    if (t.kind !== 'DATASEC') continue;
    const name = t.name;
    const loc = { section: name, btfTypeId: id };
    let vars = t.vars.map((v) => ({ ...v }));
    let size = t.size;
    if (name === KCONFIG_SEC) {
      vars = vars.map((v) => {
        const vt = btf.types[v.type];
        const ext = extByName.get(vt?.name ?? '');
        if (!ext?.kconfig) throw new ObjectError('BAD_EXTERN', `failed to find extern definition for BTF var '${vt?.name ?? ''}'`, loc);
        varLinkage.set(v.type, 1);
        return { ...v, offset: ext.kconfig.offset };
      });
      // libbpf sets the size to the end of the last kcfg extern
      size = kconfigSize(externs);
    } else if (name === KSYMS_SEC) {
      const hasFunc = vars.some((v) => btf.types[v.type]?.kind === 'FUNC');
      if (hasFunc) dummyKsymVar = { id: btf.types.length, intTypeId: intId };
      vars = vars.map((v, i) => {
        const vt = btf.types[v.type];
        if (!vt || !extByName.has(vt.name)) {
          throw new ObjectError('BAD_EXTERN', `failed to find extern definition for BTF ${vt?.kind ?? 'type'} '${vt?.name ?? ''}'`, loc);
        }
        if (vt.kind === 'FUNC') {
          funcLinkage.set(v.type, 1);
          return { type: dummyKsymVar!.id, offset: i * 4, size: 4 };
        }
        varLinkage.set(v.type, 1);
        varType.set(v.type, intId);
        return { ...v, offset: i * 4, size: 4 };
      });
      size = vars.length * 4;
    } else {
      let fixupOffsets = false;
      if (size === 0) {
        const sz = findElfSecSize(elf, name);
        if (!sz) throw new ObjectError('BAD_BTF', `sec '${name}': failed to determine size from ELF: size ${sz ?? 0}, err -2`, loc);
        size = sz;
        fixupOffsets = true;
      }
      vars = vars.map((v) => {
        const vt = btf.types[v.type];
        if (!vt || vt.kind !== 'VAR') throw new ObjectError('BAD_BTF', `sec '${name}': unexpected non-VAR type found`, { ...loc, btfTypeId: v.type });
        if (vt.linkage === 0 || vt.linkage === 2) return v;
        const sym = elf.symbols.find((s) => s.name === vt.name && (s.bind === STB_GLOBAL || s.bind === STB_WEAK) && s.type === STT_OBJECT);
        if (!sym) {
          throw new ObjectError('BAD_BTF', `sec '${name}': failed to find ELF symbol for VAR '${vt.name}'`, { ...loc, btfTypeId: v.type, symbol: vt.name });
        }
        if (sym.visibility === STV_HIDDEN || sym.visibility === STV_INTERNAL) varLinkage.set(v.type, 0);
        return fixupOffsets ? { ...v, offset: sym.value } : v;
      });
    }
    vars = vars.map((v, i) => ({ v, i })).sort((a, b) => a.v.offset - b.v.offset || a.i - b.i).map((x) => x.v);
    datasecs.set(id, { id, name, size, vars });
  }

  // Hidden/internal global subprograms: FUNC linkage global → static.
  for (const sp of subprograms) {
    if (!sp.global || (sp.visibility !== STV_HIDDEN && sp.visibility !== STV_INTERNAL)) continue;
    for (let id = 1; id < btf.types.length; id++) {
      const t = btf.types[id];
      if (t.kind === 'FUNC' && t.linkage === 1 && t.name === sp.name) {
        funcLinkage.set(id, 0);
        break;
      }
    }
  }
  return { datasecs, varLinkage, varType, funcLinkage, ...(dummyKsymVar ? { dummyKsymVar } : {}) };
}

/** Applies the fixups to a copy of the raw `.BTF` blob: the BTF a loader passes to `BPF_BTF_LOAD`. */
export function kernelBtfBytes(btf: Btf, fx: BtfFixups): Uint8Array {
  const raw = btf.raw;
  const h = btf.header;
  const le = !btf.bigEndian;
  const typeStart = h.hdrLen + h.typeOff;
  const typeEnd = typeStart + h.typeLen;
  const strStart = h.hdrLen + h.strOff;
  const dummyName = 'dummy_ksym';
  const extraType = fx.dummyKsymVar ? 16 : 0;
  const extraStr = fx.dummyKsymVar ? new TextEncoder().encode(dummyName + '\0') : new Uint8Array(0);
  // Layout: header | types (+ dummy VAR) | strings (+ "dummy_ksym\0").
  const out = new Uint8Array(h.hdrLen + h.typeLen + extraType + h.strLen + extraStr.byteLength);
  out.set(raw.subarray(0, h.hdrLen), 0);
  out.set(raw.subarray(typeStart, typeEnd), h.hdrLen);
  out.set(raw.subarray(strStart, strStart + h.strLen), h.hdrLen + h.typeLen + extraType);
  out.set(extraStr, h.hdrLen + h.typeLen + extraType + h.strLen);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, 0, le);
  dv.setUint32(12, h.typeLen + extraType, le);
  dv.setUint32(16, h.typeLen + extraType, le);
  dv.setUint32(20, h.strLen + extraStr.byteLength, le);
  const rec = (id: number) => h.hdrLen + (btf.typeOffsets[id - btf.startId] - typeStart);
  for (const [id, l] of fx.funcLinkage) {
    const p = rec(id);
    const info = dv.getUint32(p + 4, le);
    dv.setUint32(p + 4, (info & ~0xffff) | l, le);
  }
  for (const [id, l] of fx.varLinkage) dv.setUint32(rec(id) + 12, l, le);
  for (const [id, ty] of fx.varType) dv.setUint32(rec(id) + 8, ty, le);
  for (const [id, ds] of fx.datasecs) {
    const p = rec(id);
    dv.setUint32(p + 8, ds.size, le);
    ds.vars.forEach((v, i) => {
      dv.setUint32(p + 12 + i * 12, v.type, le);
      dv.setUint32(p + 16 + i * 12, v.offset, le);
      dv.setUint32(p + 20 + i * 12, v.size, le);
    });
  }
  if (fx.dummyKsymVar) {
    const p = h.hdrLen + h.typeLen;
    dv.setUint32(p, btf.strBase + h.strLen, le); // name offset of the appended string
    dv.setUint32(p + 4, 14 << 24, le); // BTF_KIND_VAR
    dv.setUint32(p + 8, fx.dummyKsymVar.intTypeId, le);
    dv.setUint32(p + 12, 1, le); // BTF_VAR_GLOBAL_ALLOCATED
    // FUNC_PROTO params of ksym functions without names get the dummy name (libbpf).
    for (const [id] of fx.funcLinkage) {
      const f = btf.types[id];
      if (f.kind !== 'FUNC' || f.linkage !== 2) continue;
      const proto = btf.types[f.type];
      if (proto?.kind !== 'FUNC_PROTO') continue;
      const pp = rec(proto.id);
      proto.params.forEach((prm, j) => {
        if (prm.type !== 0 && prm.nameOff === 0) dv.setUint32(pp + 12 + j * 8, btf.strBase + h.strLen, le);
      });
    }
  }
  return out;
}

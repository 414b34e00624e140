/** Extern collection (libbpf `bpf_object__collect_externs`): `.kconfig` and `.ksyms`. */
import type { Btf, BtfType } from '@bpfkit/btf';
import { ObjectError } from './errors.js';
import { SHN_UNDEF, STB_GLOBAL, STB_WEAK, STT_NOTYPE } from './elf/constants.js';
import type { ElfFile, ElfSymbol } from './elf/types.js';
import { alignOf, resolveSize, skipModsAndTypedefs } from './btf-util.js';
import type { ExternSpec, KconfigType } from './spec.js';

export const KCONFIG_SEC = '.kconfig';
export const KSYMS_SEC = '.ksyms';

/** libbpf `sym_is_extern`. */
export function symIsExtern(sym: ElfSymbol): boolean {
  return sym.shndx === SHN_UNDEF && (sym.bind === STB_GLOBAL || sym.bind === STB_WEAK) && sym.type === STT_NOTYPE;
}

/** libbpf `find_extern_btf_id`: a VAR or FUNC with extern linkage named `name`. */
function findExternBtfId(btf: Btf, name: string): number {
  for (let id = 1; id < btf.types.length; id++) {
    const t = btf.types[id];
    if (t.name !== name) continue;
    if (t.kind === 'VAR' && t.linkage === 2) return id;
    if (t.kind === 'FUNC' && t.linkage === 2) return id;
  }
  return -1;
}

function findExternSecBtfId(btf: Btf, id: number): number {
  for (let s = 1; s < btf.types.length; s++) {
    const t = btf.types[s];
    if (t.kind !== 'DATASEC') continue;
    if (t.vars.some((v) => v.type === id)) return s;
  }
  return -1;
}

function kcfgType(btf: Btf, typeId: number): { type: KconfigType; isSigned: boolean } | undefined {
  const { type: t } = skipModsAndTypedefs(btf, typeId);
  if (!t) return undefined;
  switch (t.kind) {
    case 'INT':
      if (t.size === 1 && t.encoding & 4) return { type: 'bool', isSigned: false };
      if (t.size === 1 && t.encoding & 2) return { type: 'char', isSigned: (t.encoding & 1) !== 0 };
      if ([1, 2, 4, 8].includes(t.size) && t.bitsOffset === 0 && t.nrBits === t.size * 8) return { type: 'int', isSigned: (t.encoding & 1) !== 0 };
      return undefined;
    case 'ENUM':
      return t.size === 4 && t.name === 'libbpf_tristate' ? { type: 'tristate', isSigned: false } : undefined;
    case 'ARRAY': {
      if (t.nelems === 0) return undefined;
      const e = skipModsAndTypedefs(btf, t.type).type;
      if (e?.kind === 'INT' && e.size === 1 && (e.encoding & 2) !== 0) return { type: 'char_arr', isSigned: false };
      return undefined;
    }
    default:
      return undefined;
  }
}

interface Draft extends Omit<ExternSpec, 'index' | 'kconfig'> {
  kcfg?: { type: KconfigType; size: number; align: number; isSigned: boolean };
}

/** Collects, classifies and sorts externs; assigns kconfig offsets. Returns the sorted list. */
export function collectExterns(elf: ElfFile, btf: Btf | undefined): ExternSpec[] {
  const drafts: Draft[] = [];
  for (const sym of elf.symbols) {
    if (!symIsExtern(sym)) continue;
    const name = sym.name;
    const loc = { symbol: name, symbolIndex: sym.index };
    if (!btf) throw new ObjectError('BAD_EXTERN', `failed to find BTF for extern '${name}': no .BTF section`, loc);
    const btfId = findExternBtfId(btf, name);
    if (btfId <= 0) throw new ObjectError('BAD_EXTERN', `failed to find BTF for extern '${name}': -2`, loc);
    const secBtfId = findExternSecBtfId(btf, btfId);
    if (secBtfId < 0) throw new ObjectError('BAD_EXTERN', `failed to find BTF for extern '${name}' [${btfId}] section: -2`, { ...loc, btfTypeId: btfId });
    const secName = btf.types[secBtfId].name;
    const t = btf.types[btfId] as BtfType & { type: number };
    const weak = sym.bind === STB_WEAK;
    if (secName === KCONFIG_SEC) {
      if (t.kind === 'FUNC') throw new ObjectError('BAD_EXTERN', `extern function ${name} is unsupported under ${KCONFIG_SEC} section`, loc);
      const kt = kcfgType(btf, t.type);
      const size = resolveSize(btf, t.type);
      if (!kt || size <= 0) throw new ObjectError('BAD_EXTERN', `extern (kcfg) '${name}': type is unsupported`, { ...loc, btfTypeId: btfId });
      drafts.push({
        name, kind: 'kconfig', symbolIndex: sym.index, weak, btfId, secBtfId, isFunc: false, typeless: false, typeId: t.type,
        kcfg: { ...kt, size, align: alignOf(btf, t.type) },
      });
    } else if (secName === KSYMS_SEC) {
      const isFunc = t.kind === 'FUNC';
      const typeId = skipModsAndTypedefs(btf, t.type).id;
      drafts.push({ name, kind: 'ksym', symbolIndex: sym.index, weak, btfId, secBtfId, isFunc, typeless: !isFunc && typeId === 0, typeId: isFunc ? t.type : typeId });
    } else {
      throw new ObjectError('BAD_EXTERN', `unrecognized extern section '${secName}'`, loc);
    }
  }
  // libbpf cmp_externs: kcfg before ksym; kcfg by alignment desc, size asc; ties by name.
  const rank = (d: Draft) => (d.kind === 'kconfig' ? 1 : 2);
  drafts.sort((a, b) => {
    if (rank(a) !== rank(b)) return rank(a) - rank(b);
    if (a.kcfg && b.kcfg) {
      if (a.kcfg.align !== b.kcfg.align) return b.kcfg.align - a.kcfg.align;
      if (a.kcfg.size !== b.kcfg.size) return a.kcfg.size - b.kcfg.size;
    }
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  let off = 0;
  return drafts.map((d, index) => {
    const { kcfg, ...rest } = d;
    if (!kcfg) return { ...rest, index };
    const offset = Math.ceil(off / kcfg.align) * kcfg.align;
    off = offset + kcfg.size;
    return { ...rest, index, kconfig: { ...kcfg, offset } };
  });
}

/** Size of the synthetic `.kconfig` map value (end of the last kconfig extern). */
export function kconfigSize(externs: readonly ExternSpec[]): number {
  let end = 0;
  for (const e of externs) if (e.kconfig) end = Math.max(end, e.kconfig.offset + e.kconfig.size);
  return end;
}

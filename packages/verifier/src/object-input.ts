/**
 * An entry program of an `ObjectSpec`, linked and turned into verifier input:
 * maps from the object (BTF-defined and global data), func_info/line_info at
 * final instruction indices, the program type libbpf derives from the section.
 */
import { BPF_KPTR, BPF_KPTR_PERCPU, BPF_KPTR_REF, BtfError, checkAndFixupFields, checkOwnershipGraph, findSpecialFields, type Btf, type BtfRecord, type BtfStructMeta } from '@bpfkit/btf';
import { linkProgram, type LinkedProgram, type MapSpec, type ObjectSpec } from '@bpfkit/object';
import type { Platform } from '@bpfkit/platform';
import type { VerifierMap, VerifyInput } from './types.js';

/** The special fields of a map value (spin lock, kptrs); null when it has none or its BTF is unusable. */
function valueRecord(btf: Btf | undefined, m: MapSpec, metas: ReadonlyMap<number, BtfStructMeta> | undefined): BtfRecord | null {
  if (!btf || !m.btfValueTypeId) return null;
  try {
    const rec = findSpecialFields(btf, m.btfValueTypeId, { valueSize: m.valueSize });
    if (metas) checkAndFixupFields(rec, metas, m.btfValueTypeId);
    return rec;
  } catch (e) {
    if (e instanceof BtfError) return null;
    throw e;
  }
}

/**
 * The object's maps as the verifier sees them. `kernelBtf` is the object's BTF
 * after libbpf's fixups (DATASEC sizes and offsets), which the special-field
 * records of global data sections need; without it only `.maps` values get records.
 */
export function objectMaps(spec: ObjectSpec, kernelBtf?: Btf, metas = structMetasOf(kernelBtf ?? spec.btf)): VerifierMap[] {
  const btf = kernelBtf ?? spec.btf;
  const conv = (m: MapSpec, index: number): VerifierMap => {
    const rec = kernelBtf || m.libbpfType === 'user' ? valueRecord(btf, m, metas) : null;
    const kptrs = rec?.fields
      .filter((f) => (f.type & BPF_KPTR) !== 0)
      .map((f) => ({ off: f.offset, btfId: f.kptr?.typeId ?? 0, referenced: f.type === BPF_KPTR_REF || f.type === BPF_KPTR_PERCPU, ...(f.type === BPF_KPTR_PERCPU ? { percpu: true } : {}) }));
    return {
      index,
      name: m.name,
      type: m.type,
      keySize: m.keySize,
      valueSize: m.valueSize,
      maxEntries: m.maxEntries,
      flags: m.flags,
      frozen: m.frozen,
      ...(m.initialData ? { initialData: m.initialData } : {}),
      btfValueTypeId: m.btfValueTypeId,
      ...(m.inner ? { inner: conv(m.inner, -1) } : {}),
      ...(rec && rec.spinLockOff >= 0 ? { spinLockOff: rec.spinLockOff } : {}),
      ...(kptrs && kptrs.length ? { kptrs } : {}),
      ...(rec ? { record: rec } : {}),
    };
  };
  return spec.maps.map((m) => conv(m, m.index));
}

/** The program BTF's struct metas (local object records); undefined when the BTF has none or fails the check. */
export function structMetasOf(btf: Btf | undefined): Map<number, BtfStructMeta> | undefined {
  if (!btf) return undefined;
  try {
    return checkOwnershipGraph(btf);
  } catch (e) {
    if (e instanceof BtfError) return undefined;
    throw e;
  }
}

/**
 * Kfunc ids: the platform's when it declares the kfunc, else the id of the
 * extern in the object's own BTF (so the call stays nameable in logs and is
 * judged by the verifier, not refused by the linker).
 */
export function linkPlatformFor(spec: ObjectSpec, platform: Platform) {
  const local = new Map<string, number>();
  for (const e of spec.externs) if (e.isFunc) local.set(e.name, e.btfId);
  const names = new Map<number, string>();
  const kfuncBtfId = (name: string): number | undefined => {
    const id = platform.kfuncBtfId(name) ?? local.get(name);
    if (id !== undefined) names.set(id, name);
    return id;
  };
  return { kfuncBtfId, kfuncName: (id: number) => names.get(id) };
}

export interface ObjectProgramInput {
  readonly input: VerifyInput;
  readonly linked: LinkedProgram;
}

export function objectProgramInput(spec: ObjectSpec, progName: string, platform: Platform, kernelBtf?: Btf): ObjectProgramInput {
  const lp = linkPlatformFor(spec, platform);
  const linked = linkProgram(spec, progName, lp);
  const p = linked.program;
  const metas = structMetasOf(kernelBtf ?? spec.btf);
  const input: VerifyInput = {
    insns: linked.insns,
    progType: p.kind.progTypeId,
    ...(p.kind.attachType ? { attachType: p.kind.attachType } : {}),
    license: spec.license,
    progFlags: p.kind.sleepable ? 16 : 0,
    maps: objectMaps(spec, kernelBtf, metas),
    ...(spec.btf ? { btf: spec.btf } : {}),
    ...(metas ? { structMetas: metas } : {}),
    funcInfo: linked.funcInfo.map((f) => ({ insn: f.insn, typeId: f.typeId })),
    lineInfo: linked.lineInfo.map((l) => ({ insn: l.insn, file: l.fileName, line: l.lineNum, col: l.col, text: l.line })),
    kfuncName: (insn) => (insn.src === 2 ? lp.kfuncName(insn.imm) : undefined),
    name: p.name,
  };
  return { input, linked };
}

/**
 * An entry program of an `ObjectSpec`, linked and turned into verifier input:
 * maps from the object (BTF-defined and global data), func_info/line_info at
 * final instruction indices, the program type libbpf derives from the section.
 */
import { BPF_KPTR, BPF_KPTR_REF, BtfError, findSpecialFields, type Btf, type BtfRecord } from '@bpfkit/btf';
import { linkProgram, type LinkedProgram, type MapSpec, type ObjectSpec } from '@bpfkit/object';
import type { Platform } from '@bpfkit/platform';
import type { VerifierMap, VerifyInput } from './types.js';

/** The special fields of a map value (spin lock, kptrs); null when it has none or its BTF is unusable. */
function valueRecord(btf: Btf | undefined, m: MapSpec): BtfRecord | null {
  if (!btf || !m.btfValueTypeId) return null;
  try {
    return findSpecialFields(btf, m.btfValueTypeId, { valueSize: m.valueSize });
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
export function objectMaps(spec: ObjectSpec, kernelBtf?: Btf): VerifierMap[] {
  const btf = kernelBtf ?? spec.btf;
  const conv = (m: MapSpec, index: number): VerifierMap => {
    const rec = kernelBtf || m.libbpfType === 'user' ? valueRecord(btf, m) : null;
    const kptrs = rec?.fields.filter((f) => (f.type & BPF_KPTR) !== 0).map((f) => ({ off: f.offset, btfId: f.kptr?.typeId ?? 0, referenced: f.type === BPF_KPTR_REF }));
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
    };
  };
  return spec.maps.map((m) => conv(m, m.index));
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
  const input: VerifyInput = {
    insns: linked.insns,
    progType: p.kind.progTypeId,
    ...(p.kind.attachType ? { attachType: p.kind.attachType } : {}),
    license: spec.license,
    progFlags: p.kind.sleepable ? 16 : 0,
    maps: objectMaps(spec, kernelBtf),
    ...(spec.btf ? { btf: spec.btf } : {}),
    funcInfo: linked.funcInfo.map((f) => ({ insn: f.insn, typeId: f.typeId })),
    lineInfo: linked.lineInfo.map((l) => ({ insn: l.insn, file: l.fileName, line: l.lineNum, col: l.col, text: l.line })),
    kfuncName: (insn) => (insn.src === 2 ? lp.kfuncName(insn.imm) : undefined),
    name: p.name,
  };
  return { input, linked };
}

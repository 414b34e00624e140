/** A recorded corpus case as verifier input (maps, program type, attach type). */
import { hexToBytes } from '@bpfkit/isa';
import { linux618 } from '@bpfkit/platform';
import { objectMaps } from '../object-input.js';
import type { VerifierMap, VerifyInput } from '../types.js';
import { ATTACH_TYPES, type VerifierCase } from './cases.js';
import { caseFuncInfo, loadCaseObject } from './graph-object.js';

const KFUNC_NAMES = new Map([...linux618.kfuncs.values()].map((k) => [k.btfId, k.name]));

const ATTACH_NAMES = new Map(Object.entries(ATTACH_TYPES).map(([k, v]) => [v, `BPF_${k.toUpperCase()}`]));

export function caseMaps(c: VerifierCase): VerifierMap[] {
  if (c.object) {
    const o = loadCaseObject(c.object);
    return objectMaps(o.spec, o.kernelBtf);
  }
  return c.maps.map((m, index) => ({
    index,
    name: m.name,
    type: m.type,
    keySize: m.keySize,
    valueSize: m.valueSize,
    maxEntries: m.maxEntries,
    flags: m.flags,
    frozen: m.frozen,
    ...(m.init ? { initialData: hexToBytes(m.init) } : {}),
    btfValueTypeId: 0,
  }));
}

export function caseInput(c: VerifierCase): VerifyInput {
  const attach = c.attachType !== undefined ? ATTACH_NAMES.get(c.attachType) : undefined;
  return {
    insns: c.insns,
    progType: c.progType,
    ...(attach ? { attachType: attach } : {}),
    license: c.license,
    progFlags: c.progFlags,
    maps: caseMaps(c),
    ...(c.object ? { btf: loadCaseObject(c.object).kernelBtf, funcInfo: caseFuncInfo(loadCaseObject(c.object), c.insns, c.funcs) } : {}),
    kfuncName: (insn) => (insn.src === 2 ? KFUNC_NAMES.get(insn.imm) : undefined),
    name: c.name,
  };
}

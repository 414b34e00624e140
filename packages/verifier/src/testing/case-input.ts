/** A recorded corpus case as verifier input (maps, program type, attach type). */
import { hexToBytes } from '@bpfkit/isa';
import type { VerifierMap, VerifyInput } from '../types.js';
import { ATTACH_TYPES, type VerifierCase } from './cases.js';

const ATTACH_NAMES = new Map(Object.entries(ATTACH_TYPES).map(([k, v]) => [v, `BPF_${k.toUpperCase()}`]));

export function caseMaps(c: VerifierCase): VerifierMap[] {
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
    name: c.name,
  };
}

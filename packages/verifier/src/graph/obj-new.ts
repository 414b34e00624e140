/**
 * The type argument of `bpf_obj_new_impl` / `bpf_percpu_obj_new_impl` (`check_special_kfunc`,
 * graph-collections.md §3.5): a struct of the program BTF; percpu objects are small structs of scalars.
 */
import type { BtfType } from '@bpfkit/btf';
import type { Env } from '../env.js';
import { reject } from '../errors.js';
import { localRecord } from './records.js';

const BPF_GLOBAL_PERCPU_MA_MAX_SIZE = 512;
const MAX_RESOLVE_DEPTH = 32;

function skipMods(types: readonly BtfType[], id: number): BtfType | undefined {
  let t = types[id];
  for (let d = 0; t && (t.kind === 'TYPEDEF' || t.kind === 'CONST' || t.kind === 'VOLATILE' || t.kind === 'RESTRICT' || t.kind === 'TYPE_TAG') && d < MAX_RESOLVE_DEPTH; d++) {
    t = types[(t as { type: number }).type];
  }
  return t;
}

/** `__btf_type_is_scalar_struct`. */
function isScalarStruct(env: Env, types: readonly BtfType[], t: BtfType, depth: number): boolean {
  if (t.kind !== 'STRUCT') return false;
  for (const m of t.members) {
    let mt = skipMods(types, m.type);
    if (!mt) return false;
    if (mt.kind === 'STRUCT') {
      if (depth >= 3) reject(env.insnIdx, 'E2BIG', 'max struct nesting depth exceeded');
      if (!isScalarStruct(env, types, mt, depth + 1)) return false;
      continue;
    }
    if (mt.kind === 'ARRAY') {
      if (mt.nelems === 0) return false;
      mt = skipMods(types, mt.type);
      if (!mt) return false;
    }
    if (mt.kind !== 'INT' && mt.kind !== 'ENUM' && mt.kind !== 'ENUM64' && mt.kind !== 'FLOAT') return false;
  }
  return true;
}

export function checkObjNewType(env: Env, typeId: number, percpu: boolean): void {
  const idx = env.insnIdx;
  const btf = env.input.btf;
  if (!btf) reject(idx, 'EINVAL', 'bpf_obj_new/bpf_percpu_obj_new requires prog BTF');
  const t = btf.types[typeId];
  if (!t || t.kind !== 'STRUCT') reject(idx, 'EINVAL', 'bpf_obj_new/bpf_percpu_obj_new type ID argument must be of a struct');
  if (!percpu) return;
  if (t.size > BPF_GLOBAL_PERCPU_MA_MAX_SIZE) reject(idx, 'EINVAL', `bpf_percpu_obj_new type size (${t.size}) is greater than ${BPF_GLOBAL_PERCPU_MA_MAX_SIZE}`);
  if (!isScalarStruct(env, btf.types, t, 0)) reject(idx, 'EINVAL', 'bpf_percpu_obj_new type ID argument must be of a struct of scalars');
  if (localRecord(env, typeId)) reject(idx, 'EINVAL', 'bpf_percpu_obj_new type ID argument must not contain special fields');
}

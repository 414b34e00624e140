/**
 * `btf_dump_mark_referenced`: flag every type that another type points at. Only the
 * anonymous-enum rule uses it (an unreferenced anonymous enum is a top-level constant
 * group). As in libbpf, a FUNC_PROTO's return type does not count as a reference.
 */
import type { BtfType } from '../types.js';
import { BtfCDumpError } from './errors.js';

export function markReferenced(types: readonly BtfType[], referenced: Uint8Array): void {
  const n = types.length;
  const mark = (id: number, from: number): void => {
    if (id >= n || id < 0) throw new BtfCDumpError('BAD_TYPE', `reference to missing type id ${id}`, from);
    referenced[id] = 1;
  };
  for (let i = 1; i < n; i++) {
    const t = types[i];
    switch (t.kind) {
      case 'INT':
      case 'ENUM':
      case 'ENUM64':
      case 'FWD':
      case 'FLOAT':
        break;
      case 'VOLATILE':
      case 'CONST':
      case 'RESTRICT':
      case 'PTR':
      case 'TYPEDEF':
      case 'FUNC':
      case 'VAR':
      case 'DECL_TAG':
      case 'TYPE_TAG':
        mark(t.type, i);
        break;
      case 'ARRAY':
        mark(t.indexType, i);
        mark(t.type, i);
        break;
      case 'STRUCT':
      case 'UNION': {
        const ms = t.members;
        for (let j = 0; j < ms.length; j++) mark(ms[j].type, i);
        break;
      }
      case 'FUNC_PROTO': {
        const ps = t.params;
        for (let j = 0; j < ps.length; j++) mark(ps[j].type, i);
        break;
      }
      case 'DATASEC': {
        const vs = t.vars;
        for (let j = 0; j < vs.length; j++) mark(vs[j].type, i);
        break;
      }
      default:
        throw new BtfCDumpError('BAD_TYPE', `unexpected kind ${t.kind}`, i);
    }
  }
}

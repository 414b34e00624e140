/**
 * `btf_dump_mark_referenced`: flag every type that another type points at. Only the
 * anonymous-enum rule uses it (an unreferenced anonymous enum is a top-level constant
 * group). As in libbpf, a FUNC_PROTO's return type does not count as a reference.
 */
import type { BtfTable } from '../btf.js';
import { BtfCDumpError } from './errors.js';
import * as K from './kinds.js';

function missing(id: number, from: number): never {
  throw new BtfCDumpError('BAD_TYPE', `reference to missing type id ${id}`, from);
}

/** Marks referenced types; returns the total number of enumerators (for sizing name tables). */
export function markReferenced(table: BtfTable, referenced: Uint8Array): number {
  const { words, rec, kinds, count: n } = table;
  let enumerators = 0;
  for (let i = 1; i < n; i++) {
    const r = rec[i]!;
    switch (kinds[i]) {
      case K.K_ENUM:
      case K.K_ENUM64:
        enumerators += words[r + 1]! & 0xffff;
        break;
      case K.K_INT:
      case K.K_FWD:
      case K.K_FLOAT:
        break;
      case K.K_VOLATILE:
      case K.K_CONST:
      case K.K_RESTRICT:
      case K.K_PTR:
      case K.K_TYPEDEF:
      case K.K_FUNC:
      case K.K_VAR:
      case K.K_DECL_TAG:
      case K.K_TYPE_TAG: {
        const t = words[r + 2]!;
        if (t >= n) missing(t, i);
        referenced[t] = 1;
        break;
      }
      case K.K_ARRAY: {
        const it = words[r + 4]!;
        if (it >= n) missing(it, i);
        referenced[it] = 1;
        const t = words[r + 3]!;
        if (t >= n) missing(t, i);
        referenced[t] = 1;
        break;
      }
      case K.K_STRUCT:
      case K.K_UNION: {
        const vlen = words[r + 1]! & 0xffff;
        for (let j = 0, q = r + 4; j < vlen; j++, q += 3) {
          const t = words[q]!;
          if (t >= n) missing(t, i);
          referenced[t] = 1;
        }
        break;
      }
      case K.K_FUNC_PROTO: {
        const vlen = words[r + 1]! & 0xffff;
        for (let j = 0, q = r + 4; j < vlen; j++, q += 2) {
          const t = words[q]!;
          if (t >= n) missing(t, i);
          referenced[t] = 1;
        }
        break;
      }
      case K.K_DATASEC: {
        const vlen = words[r + 1]! & 0xffff;
        for (let j = 0, q = r + 3; j < vlen; j++, q += 3) {
          const t = words[q]!;
          if (t >= n) missing(t, i);
          referenced[t] = 1;
        }
        break;
      }
      default:
        throw new BtfCDumpError('BAD_TYPE', `unexpected kind ${kinds[i]}`, i);
    }
  }
  return enumerators;
}

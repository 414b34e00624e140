/**
 * `btf_dump_mark_referenced`: flag every type that another type points at. Only the
 * anonymous-enum rule uses it (an unreferenced anonymous enum is a top-level constant
 * group). As in libbpf, a FUNC_PROTO's return type does not count as a reference.
 */
import type { BtfTable } from '../btf.js';
import { BtfCDumpError } from './errors.js';

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
      case 6 /* ENUM */:
      case 19 /* ENUM64 */:
        enumerators += words[r + 1]! & 0xffff;
        break;
      case 1 /* INT */:
      case 7 /* FWD */:
      case 16 /* FLOAT */:
        break;
      case 9 /* VOLATILE */:
      case 10 /* CONST */:
      case 11 /* RESTRICT */:
      case 2 /* PTR */:
      case 8 /* TYPEDEF */:
      case 12 /* FUNC */:
      case 14 /* VAR */:
      case 17 /* DECL_TAG */:
      case 18 /* TYPE_TAG */: {
        const t = words[r + 2]!;
        if (t >= n) missing(t, i);
        referenced[t] = 1;
        break;
      }
      case 3 /* ARRAY */: {
        const it = words[r + 4]!;
        if (it >= n) missing(it, i);
        referenced[it] = 1;
        const t = words[r + 3]!;
        if (t >= n) missing(t, i);
        referenced[t] = 1;
        break;
      }
      case 4 /* STRUCT */:
      case 5 /* UNION */: {
        const vlen = words[r + 1]! & 0xffff;
        for (let j = 0, q = r + 4; j < vlen; j++, q += 3) {
          const t = words[q]!;
          if (t >= n) missing(t, i);
          referenced[t] = 1;
        }
        break;
      }
      case 13 /* FUNC_PROTO */: {
        const vlen = words[r + 1]! & 0xffff;
        for (let j = 0, q = r + 4; j < vlen; j++, q += 2) {
          const t = words[q]!;
          if (t >= n) missing(t, i);
          referenced[t] = 1;
        }
        break;
      }
      case 15 /* DATASEC */: {
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

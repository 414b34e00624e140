/** Numeric kind codes (uapi `BTF_KIND_*`), for typed-array kind tables in hot loops. */
import { KIND_NAMES, type BtfType } from '../types.js';

export const K_VOID = 0;
export const K_INT = 1;
export const K_PTR = 2;
export const K_ARRAY = 3;
export const K_STRUCT = 4;
export const K_UNION = 5;
export const K_ENUM = 6;
export const K_FWD = 7;
export const K_TYPEDEF = 8;
export const K_VOLATILE = 9;
export const K_CONST = 10;
export const K_RESTRICT = 11;
export const K_FUNC = 12;
export const K_FUNC_PROTO = 13;
export const K_VAR = 14;
export const K_DATASEC = 15;
export const K_FLOAT = 16;
export const K_DECL_TAG = 17;
export const K_TYPE_TAG = 18;
export const K_ENUM64 = 19;

const CODES = new Map<string, number>(KIND_NAMES.map((k, i) => [k, i]));

/** kinds[id] = numeric kind of types[id]. */
export function kindTable(types: readonly BtfType[]): Uint8Array {
  const kinds = new Uint8Array(types.length);
  for (let i = 0; i < types.length; i++) kinds[i] = CODES.get(types[i].kind) ?? 0xff;
  return kinds;
}

/**
 * Numeric kind codes (uapi `BTF_KIND_*`), as stored in `BtfTable.kinds`. The dumper
 * writes them as literals (`case 4 /* STRUCT *\/:`): literal case labels let V8's
 * interpreter and baseline tiers dispatch a switch through a jump table, where a
 * namespace constant costs a property load per label (this code runs cold once per
 * dump). Keep those literals in sync with this list.
 */
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

// Reader of the special-field record format (docs/runtime-contract.md "Records").
// All fields u32 little-endian; header 16 bytes, then 16 bytes per field.

export const NONE: u32 = 0xFFFFFFFF;

export const KIND_SPIN_LOCK: u32 = 1;
export const KIND_LIST_HEAD: u32 = 2;
export const KIND_LIST_NODE: u32 = 3;
export const KIND_RB_ROOT: u32 = 4;
export const KIND_RB_NODE: u32 = 5;
export const KIND_REFCOUNT: u32 = 6;
export const KIND_KPTR_UNREF: u32 = 7;
export const KIND_KPTR_REF: u32 = 8;
export const KIND_KPTR_PERCPU: u32 = 9;

/** Struct size in bytes. */
// @ts-ignore: decorator
@inline export function recSize(rec: u32): u32 { return load<u32>(rec, 0); }
/** Offset of the bpf_spin_lock, NONE when absent. */
// @ts-ignore: decorator
@inline export function recSpinLockOff(rec: u32): u32 { return load<u32>(rec, 4); }
/** Offset of the bpf_refcount, NONE when absent. */
// @ts-ignore: decorator
@inline export function recRefcountOff(rec: u32): u32 { return load<u32>(rec, 8); }
// @ts-ignore: decorator
@inline export function recNFields(rec: u32): u32 { return load<u32>(rec, 12); }
/** Address of field i's 16-byte entry. */
// @ts-ignore: decorator
@inline export function recField(rec: u32, i: u32): u32 { return rec + 16 + (i << 4); }
// @ts-ignore: decorator
@inline export function fieldKind(f: u32): u32 { return load<u32>(f, 0); }
// @ts-ignore: decorator
@inline export function fieldOff(f: u32): u32 { return load<u32>(f, 4); }
// @ts-ignore: decorator
@inline export function fieldAux(f: u32): u32 { return load<u32>(f, 8); }
// @ts-ignore: decorator
@inline export function fieldAux2(f: u32): u32 { return load<u32>(f, 12); }

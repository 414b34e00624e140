// Corruption guard: every pointer walk of the collections is bounded, so a tree or list that a faulting
// or unverified program left cyclic (e.g. a node freed while still linked, its memory reused and
// re-added under itself) ends the walk instead of hanging the caller. The first address found
// corrupt is kept in a register the caller reads (vm-wasm turns it into a BAD_ACCESS fault).

/**
 * Deepest descent a valid red-black tree can need: height ≤ 2·log2(n + 1), and fewer than 2^27
 * nodes (32 bytes each plus an object header) fit in a 32-bit memory.
 */
export const RB_MAX_DEPTH: u32 = 64;
/** Longest chain any other walk (list drain, tree drain) follows: more nodes than memory can hold. */
export const MAX_WALK: u32 = 1 << 27;

let gCorrupt: u32 = 0;

/** Record a corrupt structure at `addr` (the first one is kept; address 0 is recorded as 1). */
export function setCorrupt(addr: u32): void { if (gCorrupt == 0) gCorrupt = addr == 0 ? 1 : addr; }
/** Address of the first corrupt node/head found since the last clear, 0 when none. */
export function corruptAddr(): u32 { return gCorrupt; }
export function clearCorrupt(): void { gCorrupt = 0; }

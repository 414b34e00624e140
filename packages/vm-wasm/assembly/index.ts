// The wasm core entry: filled in by the vm-wasm work (see docs/runtime-contract.md).
export function coreVersion(): u32 { return 1; }

export * from './engine.js';
export { createWasmEngine } from './engine-wasm.js';
export { createTsEngine, createEngine, ENGINE_NAMES } from './engines.js';
export { LoadError, RunError, FAULT_NAMES, type LoadErrorCode, type LoadErrorLocation, type SourceLine } from './errors.js';
export {
  loadInstance, Instance, MapHandle, MapError, sourceLine,
  type InstanceOptions, type RunOptions, type RunResult, type ProgramInfo, type ListView, type TreeView, type TreeNode, type TreeShape, type CollectionsAt, type Element,
} from './instance.js';
export { runRaw, type RawRunOptions, type RawRunResult } from './raw.js';
export { decodeValue, sizeOfType, SPECIAL_STRUCTS, type Decoded, type DecodeOptions } from './btf-value.js';
export { RecordSet, RecordKind, KIND_NAMES, type RecordDesc, type RecordField } from './records.js';
export { relocate, callName, UNKNOWN_KFUNC_BASE, type RelocationTargets, type RelocatedText } from './image.js';
export { contextKind, ethInfo, type ContextKind } from './context.js';
export { toBytes, hex, fromHex, type KeyLike } from './keys.js';

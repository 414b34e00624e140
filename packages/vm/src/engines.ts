/** Both engines by name. */
import type { Engine, EngineName } from './engine.js';
import { createWasmEngine } from './engine-wasm.js';
import { createTsEngine } from './engine-ts/index.js';

export { createWasmEngine, createTsEngine };

export const ENGINE_NAMES: readonly EngineName[] = ['wasm', 'ts'];

export function createEngine(name: EngineName): Engine {
  return name === 'ts' ? createTsEngine() : createWasmEngine();
}

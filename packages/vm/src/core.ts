/** Getting a `Core` from `@bpfkit/vm-wasm` (sync or async `instantiateCore`). */
import type { Core, CoreOptions } from '@bpfkit/vm-wasm';
import * as vmWasm from '@bpfkit/vm-wasm';
import { LoadError } from './errors.js';

type Instantiate = (opts?: CoreOptions) => Core | Promise<Core>;

export async function newCore(opts: CoreOptions): Promise<Core> {
  const inst = (vmWasm as unknown as { instantiateCore?: Instantiate }).instantiateCore;
  if (typeof inst !== 'function') throw new LoadError('CORE', '@bpfkit/vm-wasm has no instantiateCore (core not built?)');
  return await inst(opts);
}

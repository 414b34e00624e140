// The FreeFn handed to the collections: deferred return of an object to the heap.

import { heapFree } from './heap';

export function freeObject(obj: u32): void { heapFree(obj); }

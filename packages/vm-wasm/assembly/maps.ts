// Maps: array, hash, per-CPU array/hash, array-of-maps, hash-of-maps. Descriptor layout: docs/runtime-contract.md.

import { staticAlloc } from './mem';
import { regionAddOwned, regionDropOwner } from './regions';
import { gNrCpus, gCpu, round8, ENOENT, E2BIG, EEXIST, EINVAL } from './state';
import { copyAround, drainValue } from './fields';

export const MAP_MAGIC: u32 = 0x50414d42;
export const T_HASH: u32 = 1;
export const T_ARRAY: u32 = 2;
export const T_PERCPU_HASH: u32 = 5;
export const T_PERCPU_ARRAY: u32 = 6;
export const T_ARRAY_OF_MAPS: u32 = 12;
export const T_HASH_OF_MAPS: u32 = 13;

export const DESC_SIZE: u32 = 64;
// descriptor field offsets
// @ts-ignore: decorator
@inline function mType(m: usize): u32 { return load<u32>(m, 4); }
// @ts-ignore: decorator
@inline function mKeySize(m: usize): u32 { return load<u32>(m, 8); }
// @ts-ignore: decorator
@inline function mValueSize(m: usize): u32 { return load<u32>(m, 12); }
// @ts-ignore: decorator
@inline function mMax(m: usize): u32 { return load<u32>(m, 16); }
// @ts-ignore: decorator
@inline function mRecord(m: usize): u32 { return load<u32>(m, 24); }
// @ts-ignore: decorator
@inline function mStride(m: usize): u32 { return load<u32>(m, 28); }
// @ts-ignore: decorator
@inline function mData(m: usize): u32 { return load<u32>(m, 32); }
// @ts-ignore: decorator
@inline function mBuckets(m: usize): u32 { return load<u32>(m, 36); }
// @ts-ignore: decorator
@inline function mNBuckets(m: usize): u32 { return load<u32>(m, 40); }
// @ts-ignore: decorator
@inline function mElemSize(m: usize): u32 { return load<u32>(m, 52); }
// @ts-ignore: decorator
@inline function mCopies(m: usize): u32 { return load<u32>(m, 56); }
// @ts-ignore: decorator
@inline function mKeyStride(m: usize): u32 { return load<u32>(m, 60); }

const MAX_MAPS: i32 = 4096;
const MAPS: usize = memory.data(MAX_MAPS * 4, 16);
let gNMaps: i32 = 0;

export function mapsReset(): void { gNMaps = 0; }

/** True when `m` is the descriptor of a live map (checked mode validates map arguments with it). */
export function isMap(m: u64): bool {
  if (m == 0 || (m >>> 32) != 0) return false;
  for (let i = 0; i < gNMaps; i++) if (<u64>load<u32>(MAPS + (<usize>i << 2)) == m) return true;
  return false;
}

function isHash(t: u32): bool { return t == T_HASH || t == T_PERCPU_HASH || t == T_HASH_OF_MAPS; }
function isArray(t: u32): bool { return t == T_ARRAY || t == T_PERCPU_ARRAY || t == T_ARRAY_OF_MAPS; }
export function isMapOfMaps(m: usize): bool { const t = mType(m); return t == T_ARRAY_OF_MAPS || t == T_HASH_OF_MAPS; }
export function isPercpu(m: usize): bool { const t = mType(m); return t == T_PERCPU_ARRAY || t == T_PERCPU_HASH; }
export function mapKeySize(m: usize): u32 { return mKeySize(m); }
export function mapValueSize(m: usize): u32 { return mValueSize(m); }

export function mapCreate(type: u32, keySize: u32, valueSize: u32, maxEntries: u32, flags: u32, record: u32): usize {
  if (gNMaps >= MAX_MAPS || maxEntries == 0 || valueSize == 0) return 0;
  if (!isHash(type) && !isArray(type)) return 0;
  if (isArray(type) && keySize != 4) return 0;
  if (keySize == 0 || keySize > 512 || valueSize > (1 << 20)) return 0;
  if ((type == T_ARRAY_OF_MAPS || type == T_HASH_OF_MAPS) && valueSize != 4) return 0;
  const percpu = type == T_PERCPU_ARRAY || type == T_PERCPU_HASH;
  const copies: u32 = percpu ? gNrCpus : 1;
  const stride = round8(valueSize);
  const m = staticAlloc(DESC_SIZE, 8);
  if (m == 0) return 0;
  store<u32>(m, MAP_MAGIC); store<u32>(m, type, 4); store<u32>(m, keySize, 8); store<u32>(m, valueSize, 12);
  store<u32>(m, maxEntries, 16); store<u32>(m, flags, 20); store<u32>(m, record, 24); store<u32>(m, stride, 28);
  store<u32>(m, copies, 56); store<u32>(m, round8(keySize), 60);
  if (isArray(type)) {
    const bytes = <u64>maxEntries * copies * stride;
    if (bytes > 0x40000000) return 0;
    const data = staticAlloc(<u32>bytes, 8);
    if (data == 0) return 0;
    store<u32>(m, <u32>data, 32);
    regionAddOwned(<u32>data, <u32>bytes, 3, <u32>m);
  } else {
    const elem = 8 + round8(keySize) + copies * stride;
    const bytes = <u64>maxEntries * elem;
    if (bytes > 0x40000000) return 0;
    let nb: u32 = 1;
    while (nb < maxEntries && nb < (1 << 24)) nb <<= 1;
    const data = staticAlloc(<u32>bytes, 8);
    const buckets = staticAlloc(nb * 4, 8);
    if (data == 0 || buckets == 0) return 0;
    store<u32>(m, <u32>data, 32); store<u32>(m, <u32>buckets, 36); store<u32>(m, nb, 40);
    store<u32>(m, 0, 44); store<u32>(m, elem, 52);
    // free list through every element
    let free: u32 = 0;
    for (let i = <i32>maxEntries - 1; i >= 0; i--) {
      const e = <u32>data + <u32>i * elem;
      store<u32>(e, free);
      free = e;
    }
    store<u32>(m, free, 48);
    // values are program-visible; keys and links are not, but one region keeps the check cheap
    regionAddOwned(<u32>data, <u32>bytes, 3, <u32>m);
  }
  store<u32>(MAPS + (<usize>gNMaps << 2), <u32>m);
  gNMaps++;
  return m;
}

// ---- hashing

function hashKey(key: usize, n: u32): u32 {
  let h: u32 = 0x811c9dc5 ^ n;
  let i: u32 = 0;
  for (; i + 4 <= n; i += 4) { h = (h ^ load<u32>(key + i)) * 0x01000193; h ^= h >>> 15; }
  for (; i < n; i++) h = (h ^ <u32>load<u8>(key + i)) * 0x01000193;
  h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13;
  return h;
}

function keyEq(a: usize, b: usize, n: u32): bool {
  if (n == 4) return load<u32>(a) == load<u32>(b);
  if (n == 8) return load<u64>(a) == load<u64>(b);
  return memory.compare(a, b, n) == 0;
}

/** Element of `key` or 0. */
function hashFind(m: usize, key: usize): usize {
  const ks = mKeySize(m);
  const h = hashKey(key, ks);
  let e = <usize>load<u32>(<usize>mBuckets(m) + ((h & (mNBuckets(m) - 1)) << 2));
  while (e != 0) {
    if (load<u32>(e, 4) == h && keyEq(e + 8, key, ks)) return e;
    e = load<u32>(e);
  }
  return 0;
}

// @ts-ignore: decorator
@inline function elemValue(m: usize, e: usize, cpu: u32): usize { return e + 8 + mKeyStride(m) + cpu * mStride(m); }
// @ts-ignore: decorator
@inline function arrayValue(m: usize, idx: u32, cpu: u32): usize { return <usize>mData(m) + (<usize>idx * mCopies(m) + cpu) * mStride(m); }

/** Value address of `key` for `cpu` (ignored by non-per-CPU maps), or 0. Map-of-maps: the slot holding the inner map. */
export function mapLookupCpu(m: usize, key: usize, cpu: u32): usize {
  const copies = mCopies(m);
  if (cpu >= copies) { if (copies == 1) cpu = 0; else return 0; }
  const t = mType(m);
  if (isArray(t)) {
    const idx = load<u32>(key);
    if (idx >= mMax(m)) return 0;
    return arrayValue(m, idx, cpu);
  }
  const e = hashFind(m, key);
  return e == 0 ? 0 : elemValue(m, e, cpu);
}

export function mapLookup(m: usize, key: usize): usize { return mapLookupCpu(m, key, gCpu); }

/** What bpf_map_lookup_elem returns: the value address, or the inner map for map-of-maps. */
export function mapLookupHelper(m: usize, key: usize): usize {
  const v = mapLookupCpu(m, key, gCpu);
  if (v != 0 && isMapOfMaps(m)) return load<u32>(v);
  return v;
}

function writeValue(m: usize, dst: usize, src: usize): void {
  const rec = mRecord(m);
  copyAround(dst, src, mValueSize(m), rec);
  drainValue(dst, rec);
}

/** Update; `allCpus`: per-CPU maps take nrCpus values at a round8(valueSize) stride (syscall form), else this CPU's copy. */
export function mapUpdateImpl(m: usize, key: usize, value: usize, flags: u64, allCpus: bool): i64 {
  const kind = flags & ~<u64>4; // BPF_F_LOCK accepted (single-threaded: same as a plain update)
  if (kind > 2) return EINVAL;
  const t = mType(m);
  const copies = mCopies(m);
  const stride = mStride(m);
  if (isMapOfMaps(m)) {
    const inner = load<u32>(value);
    if (!isMap(inner)) return EINVAL;
  }
  if (isArray(t)) {
    const idx = load<u32>(key);
    if (idx >= mMax(m)) return E2BIG;
    if (kind == 1) return EEXIST;
    if (copies > 1 && !allCpus) writeValue(m, arrayValue(m, idx, gCpu), value);
    else for (let c: u32 = 0; c < copies; c++) writeValue(m, arrayValue(m, idx, c), value + c * stride);
    return 0;
  }
  let e = hashFind(m, key);
  if (e != 0) {
    if (kind == 1) return EEXIST;
    if (copies > 1 && !allCpus) writeValue(m, elemValue(m, e, gCpu), value);
    else for (let c: u32 = 0; c < copies; c++) writeValue(m, elemValue(m, e, c), value + c * stride);
    return 0;
  }
  if (kind == 2) return ENOENT;
  e = load<u32>(m, 48);
  if (e == 0) return E2BIG;
  store<u32>(m, load<u32>(e), 48);
  const ks = mKeySize(m);
  const h = hashKey(key, ks);
  memory.fill(e, 0, mElemSize(m));
  memory.copy(e + 8, key, ks);
  store<u32>(e, h, 4);
  const rec = mRecord(m);
  for (let c: u32 = 0; c < copies; c++) {
    const src = copies > 1 && !allCpus ? (c == gCpu ? value : 0) : value + c * stride;
    if (src != 0) copyAround(elemValue(m, e, c), src, mValueSize(m), rec);
  }
  const b = <usize>mBuckets(m) + ((h & (mNBuckets(m) - 1)) << 2);
  store<u32>(e, load<u32>(b));
  store<u32>(b, <u32>e);
  store<u32>(m, load<u32>(m, 44) + 1, 44);
  return 0;
}

export function mapDelete(m: usize, key: usize): i64 {
  const t = mType(m);
  if (isArray(t)) {
    if (t != T_ARRAY_OF_MAPS) return EINVAL;
    const idx = load<u32>(key);
    if (idx >= mMax(m)) return ENOENT;
    store<u32>(arrayValue(m, idx, 0), 0);
    return 0;
  }
  const ks = mKeySize(m);
  const h = hashKey(key, ks);
  const b = <usize>mBuckets(m) + ((h & (mNBuckets(m) - 1)) << 2);
  let prev: usize = b;
  let e = <usize>load<u32>(b);
  while (e != 0) {
    if (load<u32>(e, 4) == h && keyEq(e + 8, key, ks)) {
      store<u32>(prev, load<u32>(e));
      const rec = mRecord(m);
      if (rec != 0) for (let c: u32 = 0; c < mCopies(m); c++) drainValue(elemValue(m, e, c), rec);
      store<u32>(e, load<u32>(m, 48));
      store<u32>(m, <u32>e, 48);
      store<u32>(m, load<u32>(m, 44) - 1, 44);
      return 0;
    }
    prev = e;
    e = load<u32>(e);
  }
  return ENOENT;
}

/** Next key after `key` (0 = first) into `out`: 0, or -ENOENT at the end. */
export function mapNextKey(m: usize, key: usize, out: usize): i32 {
  const t = mType(m);
  if (isArray(t)) {
    let next: u32 = 0;
    if (key != 0) {
      const idx = load<u32>(key);
      next = idx >= mMax(m) ? 0 : idx + 1;
    }
    if (next >= mMax(m)) return <i32>ENOENT;
    store<u32>(out, next);
    return 0;
  }
  const nb = mNBuckets(m);
  const buckets = <usize>mBuckets(m);
  let bi: u32 = 0;
  if (key != 0) {
    const e = hashFind(m, key);
    if (e != 0) {
      const n = <usize>load<u32>(e);
      if (n != 0) { memory.copy(out, n + 8, mKeySize(m)); return 0; }
      bi = (load<u32>(e, 4) & (nb - 1)) + 1;
    }
  }
  for (; bi < nb; bi++) {
    const e = <usize>load<u32>(buckets + (<usize>bi << 2));
    if (e != 0) { memory.copy(out, e + 8, mKeySize(m)); return 0; }
  }
  return <i32>ENOENT;
}

/** Drain every element (the map stays usable but is forgotten by checked mode). */
export function mapFree(m: usize): void {
  const rec = mRecord(m);
  const t = mType(m);
  if (rec != 0) {
    const copies = mCopies(m);
    if (isArray(t)) {
      for (let i: u32 = 0; i < mMax(m); i++) for (let c: u32 = 0; c < copies; c++) drainValue(arrayValue(m, i, c), rec);
    } else {
      const nb = mNBuckets(m);
      for (let bi: u32 = 0; bi < nb; bi++) {
        let e = <usize>load<u32>(<usize>mBuckets(m) + (<usize>bi << 2));
        while (e != 0) {
          for (let c: u32 = 0; c < copies; c++) drainValue(elemValue(m, e, c), rec);
          e = load<u32>(e);
        }
      }
    }
  }
  for (let i = 0; i < gNMaps; i++) {
    if (load<u32>(MAPS + (<usize>i << 2)) == <u32>m) {
      gNMaps--;
      store<u32>(MAPS + (<usize>i << 2), load<u32>(MAPS + (<usize>gNMaps << 2)));
      break;
    }
  }
  regionDropOwner(<u32>m);
}


// bpf_trace_printk: a basic subset of the kernel's formats into a captured buffer.

import { gChecked } from './state';
import { checkAccess } from './regions';

const BUF_SIZE: u32 = 65536;
const BUF: usize = memory.data(<i32>BUF_SIZE, 16);
let gLen: u32 = 0;
const TMP_SIZE: u32 = 1024;
const TMP: usize = memory.data(<i32>TMP_SIZE, 16);
let gT: u32 = 0;

export function printkBuf(): usize { return BUF; }
export function printkLen(): u32 { return gLen; }
export function printkClear(): void { gLen = 0; }

function put(c: u32): void { if (gT < TMP_SIZE) { store<u8>(TMP + gT, <u8>c); gT++; } }

function putNum(v: u64, base: u32, neg: bool, width: i32, zero: bool, left: bool): void {
  const digits = memory.data(24);
  let n: i32 = 0;
  if (v == 0) { store<u8>(digits, 48); n = 1; }
  while (v != 0) {
    const d = <u32>(v % <u64>base);
    store<u8>(digits + n, <u8>(d < 10 ? 48 + d : 87 + d));
    n++;
    v /= <u64>base;
  }
  const len = n + (neg ? 1 : 0);
  if (!left && !zero) for (let i = len; i < width; i++) put(32);
  if (neg) put(45);
  if (!left && zero) for (let i = len; i < width; i++) put(48);
  for (let i = n - 1; i >= 0; i--) put(load<u8>(digits + i));
  if (left) for (let i = len; i < width; i++) put(32);
}

/** Returns the number of bytes written, or -EINVAL for a format the subset does not know. */
export function tracePrintk(fmt: usize, size: u32, a1: u64, a2: u64, a3: u64): i64 {
  if (size == 0 || size > 4096) return -22;
  if (gChecked && !checkAccess(<u32>fmt, size, false)) return -14;
  gT = 0;
  let argi = 0;
  let i: u32 = 0;
  while (i < size) {
    const c = <u32>load<u8>(fmt + i);
    if (c == 0) break;
    i++;
    if (c != 37) { put(c); continue; }
    if (i < size && load<u8>(fmt + i) == 37) { put(37); i++; continue; }
    let zero = false, left = false, plus = false;
    let width: i32 = 0;
    while (i < size) {
      const f = load<u8>(fmt + i);
      if (f == 48) zero = true; else if (f == 45) left = true; else if (f == 43) plus = true; else if (f != 32) break;
      i++;
    }
    while (i < size) {
      const f = <i32>load<u8>(fmt + i);
      if (f < 48 || f > 57) break;
      width = width * 10 + (f - 48); i++;
    }
    let longs = 0;
    while (i < size && load<u8>(fmt + i) == 108) { longs++; i++; }
    if (i >= size || longs > 2) return -22;
    const conv = <u32>load<u8>(fmt + i);
    i++;
    if (argi >= 3) return -22;
    const arg = argi == 0 ? a1 : argi == 1 ? a2 : a3;
    argi++;
    if (conv == 100 || conv == 105) { // d i
      const sv: i64 = longs > 0 ? <i64>arg : <i64><i32>arg;
      if (plus && sv >= 0) put(43);
      putNum(sv < 0 ? <u64>(0 - sv) : <u64>sv, 10, sv < 0, width, zero, left);
    } else if (conv == 117) { // u
      putNum(longs > 0 ? arg : <u64><u32>arg, 10, false, width, zero, left);
    } else if (conv == 120 || conv == 88) { // x X
      putNum(longs > 0 ? arg : <u64><u32>arg, 16, false, width, zero, left);
    } else if (conv == 112) { // p, px, pK: raw 16 hex digits
      if (longs > 0) return -22;
      if (i < size) { const m = load<u8>(fmt + i); if (m == 120 || m == 75) i++; }
      putNum(arg, 16, false, 16, true, false);
    } else if (conv == 99) { // c
      put(<u32>(arg & 0xff));
    } else if (conv == 115) { // s
      if ((arg >>> 32) != 0 || arg == 0) { const s = "(null)"; for (let k = 0; k < s.length; k++) put(s.charCodeAt(k)); continue; }
      let a = <usize>arg;
      for (let k = 0; k < 512; k++) {
        if (gChecked && !checkAccess(<u32>a, 1, false)) break;
        const ch = load<u8>(a);
        if (ch == 0) break;
        put(ch); a++;
      }
    } else return -22;
  }
  const room = BUF_SIZE - gLen;
  const n = gT < room ? gT : room;
  memory.copy(BUF + gLen, TMP, n);
  gLen += n;
  return <i64>gT;
}

/**
 * Kernel name rules (btf.c `btf_name_valid_identifier` / `btf_name_valid_section`),
 * applied to the raw string bytes with the kernel's Latin-1 `ctype` table (so bytes
 * 0xc0–0xff count as letters, as they do in the kernel).
 */
import type { Btf } from './btf.js';

/** KSYM_NAME_LEN in 6.18. */
export const KSYM_NAME_LEN = 512;

const ALPHA = new Uint8Array(256);
const DIGIT = new Uint8Array(256);
const PRINT = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const upper = (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xde);
  const lower = (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0xf6) || (c >= 0xf8);
  ALPHA[c] = upper || lower ? 1 : 0;
  DIGIT[c] = c >= 48 && c <= 57 ? 1 : 0;
  PRINT[c] = (c >= 0x20 && c <= 0x7e) || c >= 0xa0 ? 1 : 0;
}

function charOk(c: number, first: boolean): boolean {
  return (first ? ALPHA[c] === 1 : ALPHA[c] === 1 || DIGIT[c] === 1) || c === 95 /* _ */ || c === 46 /* . */;
}

/** `btf_name_valid_identifier` on bytes starting at `start` (NUL-terminated). */
export function isValidIdentifierAt(bytes: Uint8Array, start: number): boolean {
  if (start >= bytes.length || !charOk(bytes[start]!, true)) return false;
  const limit = start + KSYM_NAME_LEN;
  let i = start + 1;
  for (; i < bytes.length && bytes[i] !== 0 && i < limit; i++) if (!charOk(bytes[i]!, false)) return false;
  return i >= bytes.length || bytes[i] === 0;
}

/** `btf_name_valid_section` on bytes starting at `start`. */
export function isValidSectionAt(bytes: Uint8Array, start: number): boolean {
  if (start >= bytes.length || bytes[start] === 0) return false;
  const limit = start + KSYM_NAME_LEN;
  let i = start;
  for (; i < bytes.length && bytes[i] !== 0 && i < limit; i++) if (!PRINT[bytes[i]!]) return false;
  return i >= bytes.length || bytes[i] === 0;
}

function span(btf: Btf, off: number): { bytes: Uint8Array; start: number } | undefined {
  return off <= 0xffffff ? btf.strSpan(off) : undefined;
}

/** Identifier rule for the BTF string at `off` (false for an invalid offset). */
export function isValidIdentifierOff(btf: Btf, off: number): boolean {
  const s = span(btf, off);
  return s !== undefined && isValidIdentifierAt(s.bytes, s.start);
}

/** Section-name rule for the BTF string at `off`. */
export function isValidSectionOff(btf: Btf, off: number): boolean {
  const s = span(btf, off);
  return s !== undefined && isValidSectionAt(s.bytes, s.start);
}

const enc = new TextEncoder();
/** Identifier rule for a JS string (UTF-8 encoded). */
export function isValidIdentifier(s: string): boolean {
  const b = enc.encode(`${s}\0`);
  return isValidIdentifierAt(b, 0);
}
/** Section-name rule for a JS string (UTF-8 encoded). */
export function isValidSectionName(s: string): boolean {
  const b = enc.encode(`${s}\0`);
  return isValidSectionAt(b, 0);
}

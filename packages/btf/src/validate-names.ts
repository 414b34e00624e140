/** Kernel name rules (btf.c `btf_name_valid_identifier` / `btf_name_valid_section`). */

/** KSYM_NAME_LEN in 6.18. */
export const KSYM_NAME_LEN = 512;

/** First char letter, `_` or `.`; then letters, digits, `_`, `.`; shorter than KSYM_NAME_LEN. */
export function isValidIdentifier(s: string): boolean {
  return s.length > 0 && s.length < KSYM_NAME_LEN && /^[A-Za-z_.][A-Za-z0-9_.]*$/.test(s);
}

/** Any printable characters, non-empty, shorter than KSYM_NAME_LEN. */
export function isValidSectionName(s: string): boolean {
  return s.length > 0 && s.length < KSYM_NAME_LEN && /^[\x20-\x7e]+$/.test(s);
}

/** Indentation: one TAB per nesting level, capped like libbpf's `pfx()` (13 tabs). */
const PREFIX_CNT = 13;
const PREFIXES: string[] = Array.from({ length: PREFIX_CNT + 1 }, (_, i) => '\t'.repeat(i));

export function pfx(lvl: number): string {
  return PREFIXES[lvl >= PREFIX_CNT ? PREFIX_CNT : lvl];
}

/** `"\n" + pfx(lvl)`, precomputed. */
const NL_PREFIXES: string[] = PREFIXES.map((p) => '\n' + p);

export function nlPfx(lvl: number): string {
  return NL_PREFIXES[lvl >= PREFIX_CNT ? PREFIX_CNT : lvl];
}

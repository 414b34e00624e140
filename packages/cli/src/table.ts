/** Plain-text tables: columns padded to their widest cell, two spaces apart. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[], indent = '  '): string {
  const cells = rows.map((r) => r.map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    indent +
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd() +
    '\n';
  return line(header) + cells.map(line).join('');
}

export function hex(n: number | bigint): string {
  return '0x' + n.toString(16);
}

/**
 * A plain-text table for terminals: columns padded to their widest cell, two spaces apart, a dashed rule under the
 * header. Hand-written: a dozen lines, and the listing needs nothing a table library adds (no borders, no wrapping).
 * @example formatTable(['a', 'b'], [['1', 'two']]) // 'a  b\n-  ---\n1  two\n'
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].map((l) => `${l}\n`).join('');
}

/** Rows as aligned columns (the first row is the header); `right` columns are right-aligned. */
export function formatTable(
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (right.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** An instant as the CLI prints it: UTC, 24 h, to the second (`2026-12-03 08:49:25`). */
export function utcTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

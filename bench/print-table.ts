/** Prints aligned columns: the first left-aligned (names), the rest right-aligned (numbers). */
export function printTable(header: readonly string[], lines: ReadonlyArray<readonly string[]>): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? "").length)),
  );
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join("  ");
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}

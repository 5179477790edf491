// Left-aligned columns separated by spaces, as Kafka's tools print them.

export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join(" ")
      .trimEnd();
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

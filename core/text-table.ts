/** Renders rows as an aligned plain-text table (numbers right-aligned), for the CLI. */
export function textTable(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  opts: { maxWidth?: number } = {},
): string {
  const maxWidth = opts.maxWidth ?? 60;
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return "NULL";
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  };
  const cells = rows.map((r) => r.map(cell));
  const numeric = columns.map(
    (_, i) => cells.length > 0 && cells.every((r) => /^-?\d+(\.\d+)?(e[+-]?\d+)?$|^NULL$/i.test(r[i] ?? "")),
  );
  const widths = columns.map((c, i) =>
    Math.min(maxWidth, Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length))),
  );
  const fit = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + "…" : s);
  const pad = (s: string, i: number) =>
    numeric[i] ? fit(s, widths[i]!).padStart(widths[i]!) : fit(s, widths[i]!).padEnd(widths[i]!);
  const line = (r: readonly string[]) =>
    r
      .map((s, i) => pad(s, i))
      .join("  ")
      .trimEnd();
  const out = [line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
  out.push(`(${rows.length} row${rows.length === 1 ? "" : "s"})`);
  return out.join("\n");
}

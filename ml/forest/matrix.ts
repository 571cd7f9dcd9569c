/** Input normalisation: rows or columns in, one Float64Array per feature out. */
import type { ColumnarMatrix, FeatureMatrix } from "./types.ts";

export function isColumnar(x: FeatureMatrix): x is ColumnarMatrix {
  return !Array.isArray(x) && typeof (x as ColumnarMatrix).nRows === "number";
}

export function shape(x: FeatureMatrix): { nRows: number; nCols: number } {
  if (isColumnar(x)) return { nRows: x.nRows, nCols: x.columns.length };
  const rows = x as ReadonlyArray<ArrayLike<number>>;
  return { nRows: rows.length, nCols: rows.length > 0 ? rows[0]!.length : 0 };
}

export function toColumns(x: FeatureMatrix): Float64Array[] {
  const { nRows, nCols } = shape(x);
  if (isColumnar(x)) {
    return x.columns.map((c) => {
      if (c.length !== nRows) throw new RangeError("column length differs from nRows");
      return c instanceof Float64Array ? c : Float64Array.from(c);
    });
  }
  const rows = x as ReadonlyArray<ArrayLike<number>>;
  const cols = Array.from({ length: nCols }, () => new Float64Array(nRows));
  for (let r = 0; r < nRows; r++) {
    const row = rows[r]!;
    if (row.length !== nCols) throw new RangeError(`row ${r} has ${row.length} columns, expected ${nCols}`);
    for (let c = 0; c < nCols; c++) cols[c]![r] = row[c]!;
  }
  return cols;
}

/** Rows [start, end) as plain arrays, for the library's Matrix-based prediction. */
export function rowSlice(x: FeatureMatrix, start: number, end: number): number[][] {
  const { nCols } = shape(x);
  const out: number[][] = [];
  if (isColumnar(x)) {
    for (let r = start; r < end; r++) {
      const row = new Array<number>(nCols);
      for (let c = 0; c < nCols; c++) row[c] = x.columns[c]![r]!;
      out.push(row);
    }
  } else {
    const rows = x as ReadonlyArray<ArrayLike<number>>;
    for (let r = start; r < end; r++) out.push(Array.from(rows[r]!));
  }
  return out;
}

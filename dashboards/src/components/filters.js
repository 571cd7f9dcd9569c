// Filter inputs shared by the pages (client-side over the aggregated data shipped with the page).
import * as Inputs from "@observablehq/inputs";

export const RANGE_PRESETS = new Map([
  ["Last 7 days", "7"],
  ["Last 28 days", "28"],
  ["Last 90 days", "90"],
  ["Last 365 days", "365"],
  ["All data", "all"],
]);

/** A date-range preset select; its value is "7" | "28" | "90" | "365" | "all". */
export function rangeInput(value = "28") {
  return Inputs.select(RANGE_PRESETS, { label: "Date range", value });
}

/** A select over `values` with an "All" entry first (value null). */
export function sliceInput(label, values, { all = "All" } = {}) {
  const options = new Map([[all, null], ...values.map((v) => [v, v])]);
  return Inputs.select(options, { label, value: null });
}

export { Inputs };

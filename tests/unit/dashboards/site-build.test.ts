import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, checkSiteOffline, type BuildSiteResult } from "../../../dashboards/build.ts";
import { createFixtureWarehouse, PLANTED_PII } from "./fixture-warehouse.ts";

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Every string (keys and values) inside a parsed JSON document. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

/** A phone number in any of the shapes the CRM holds them: +852..., 0912-345-678, 852 9123 4567. */
function looksLikePhone(s: string): boolean {
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/.test(s)) return false; // ISO dates
  return /(?:\+|\b)\d[\d\s().-]{6,}\d\b/.test(s) && s.replace(/\D/g, "").length >= 8;
}

describe("dashboard site build (offline, from a tiny warehouse)", () => {
  const work = mkdtempSync(join(tmpdir(), "scrm-dash-"));
  const warehouse = join(work, "warehouse.duckdb");
  const outDir = join(work, "site");
  let result: BuildSiteResult;

  beforeAll(async () => {
    await createFixtureWarehouse(warehouse, { endDate: "2026-04-30", days: 70 });
    result = await buildSite({ warehouse, outDir, timezone: "Asia/Hong_Kong" });
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("builds the overview page", () => {
    expect(result.pages).toBeGreaterThanOrEqual(1);
    expect(result.bytes).toBeGreaterThan(0);
    expect(statSync(join(outDir, "index.html")).isFile()).toBe(true);
  });

  it("fetched nothing from a CDN and references no external host", async () => {
    expect(readdirSync(outDir)).not.toContain("_npm");
    expect(await checkSiteOffline(outDir)).toEqual([]);
  });

  it("ships the KPI data as aggregates, with deltas against the previous period", () => {
    const dataFiles = listFiles(outDir).filter((f) => f.endsWith(".json") && f.includes("_file"));
    const overviewFile = dataFiles.find((f) => /overview\.[0-9a-f]+\.json$/.test(f));
    expect(overviewFile, `data files: ${dataFiles.map((f) => relative(outDir, f)).join(", ")}`).toBeDefined();
    const overview = JSON.parse(readFileSync(overviewFile!, "utf8"));
    expect(overview.anchor).toBe("2026-04-30");
    const inbound = overview.kpis.find((k: { metric: string }) => k.metric === "inbound_messages");
    expect(inbound.periods.map((p: { days: number }) => p.days)).toEqual([7, 28]);
    const week = inbound.periods[0];
    expect(week.current).toMatchObject({ start: "2026-04-24", end: "2026-04-30", days: 7 });
    expect(week.previous).toMatchObject({ start: "2026-04-17", end: "2026-04-23", days: 7 });
    expect(week.change).toBeCloseTo(week.current.value - week.previous.value);
    // The median first response comes from conversation-level rows when the mart has them.
    // Ratios are re-aggregated from their parts; revenue is one figure, in the business currency.
    const read = overview.kpis.find((k: { metric: string }) => k.metric === "read_rate");
    expect(read.note).not.toMatch(/average of daily/);
    const metrics = overview.kpis.map((k: { metric: string }) => k.metric);
    expect(metrics).toContain("revenue_business");
    expect(metrics.filter((m: string) => m.startsWith("revenue"))).toHaveLength(1);
    expect(overview.refreshed.source).toBe("max(marts.fct_messages.last_loaded_at)");
    const frt = overview.kpis.find((k: { metric: string }) => k.metric === "first_response_median_seconds");
    expect(frt.source).toBe("fct_conversations");
  });

  it("contains no phone number, name, email or message text", () => {
    const files = listFiles(outDir);
    for (const file of files.filter((f) => f.endsWith(".json"))) {
      const offenders = strings(JSON.parse(readFileSync(file, "utf8"))).filter(looksLikePhone);
      expect(offenders, relative(outDir, file)).toEqual([]);
    }
    const planted = [...PLANTED_PII.phones, ...PLANTED_PII.names, ...PLANTED_PII.emails, ...PLANTED_PII.messageText];
    for (const file of files.filter((f) => /\.(html|js|json|css)$/.test(f))) {
      const text = readFileSync(file, "utf8");
      for (const value of planted) expect(text.includes(value), `${value} in ${relative(outDir, file)}`).toBe(false);
    }
  });
});

describe("checkSiteOffline", () => {
  it("lists a _npm directory and files that reference external hosts, ignoring SVG namespaces", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scrm-offline-"));
    try {
      await mkdir(join(dir, "_npm"));
      await writeFile(
        join(dir, "index.html"),
        `<link href="https://fonts.googleapis.com/css2"><svg xmlns="http://www.w3.org/2000/svg"></svg>`,
      );
      await writeFile(join(dir, "ok.js"), `const ns = "http://www.w3.org/1999/xhtml";`);
      await writeFile(
        join(dir, "cdn.js"),
        `import("//cdn.jsdelivr.net/npm/x"); const s = '<script src="//cdn.example.org/a.js">';`,
      );
      const problems = await checkSiteOffline(dir);
      expect(problems).toHaveLength(3);
      expect(problems.join("\n")).toMatch(/_npm/);
      expect(problems.join("\n")).toMatch(/index\.html references fonts\.googleapis\.com/);
      expect(problems.join("\n")).toMatch(/cdn\.js references cdn\.example\.org/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("phone-like detector used above", () => {
  it("flags the CRM's shapes and not dates or counts", () => {
    for (const s of PLANTED_PII.phones) expect(looksLikePhone(s), s).toBe(true);
    for (const s of ["2026-04-30", "2026-04-30T10:00:00Z", "inbound_messages", "12345"])
      expect(looksLikePhone(s), s).toBe(false);
  });
});

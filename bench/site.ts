/**
 * `npx tsx bench/site.ts [--small 80] [--large 800] [--days 35|150] [--home <existing home>]`:
 * the dashboard site at two demo scales. For each scale: the cold site build time (cache deleted,
 * as `scrm dashboards` does), then every page in headless Chromium at 1280 px: data bytes it
 * fetched and the time to first complete render. Targets: < 1 MB of data per page, < 1.5 s.
 * With --home, benchmarks that already-built home instead of generating demos.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseConfig } from "../core/config.ts";
import { homeLayout, type HomeLayout } from "../core/home.ts";
import { silentLogger } from "../core/log.ts";
import { noProgress } from "../core/progress.ts";
import { buildSite } from "../dashboards/build.ts";
import { checkSite, dataBytesPerPage, DESKTOP } from "../dashboards/browser-check.ts";
import { stepDemo, stepIngest, stepTransform, type PipelineContext } from "../scheduler/pipeline.ts";

const { values } = parseArgs({
  options: {
    small: { type: "string", default: "80" },
    large: { type: "string", default: "800" },
    "small-days": { type: "string", default: "35" },
    "large-days": { type: "string", default: "150" },
    home: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const END = new Date("2026-11-01T00:00:00Z");
const RUNS = 3;

async function prepare(customers: number, days: number): Promise<{ home: HomeLayout; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), `scrm-bench-site-${customers}-`));
  const home = homeLayout(dir);
  const ctx: PipelineContext = {
    loaded: { config: parseConfig({}, "bench", {}), home, file: null },
    log: silentLogger,
    progress: noProgress,
    now: () => END,
  };
  await stepDemo(ctx, { customers, days, end: END });
  await stepIngest(ctx);
  await stepTransform(ctx);
  return { home, dir };
}

async function measure(label: string, home: HomeLayout): Promise<void> {
  const built = await buildSite({
    warehouse: home.warehouse,
    outDir: home.site,
    timezone: "Asia/Hong_Kong",
    dbtTarget: join(home.dbt, "target"),
  });
  console.log(
    `\n## ${label}: site build ${(built.ms / 1000).toFixed(1)} s, ${built.pages} pages, ${(built.bytes / 1024).toFixed(0)} KiB in total`,
  );
  const shipped = dataBytesPerPage(home.site);
  const runs: Map<string, number[]> = new Map();
  const fetched = new Map<string, number>();
  const problems: string[] = [];
  for (let i = 0; i < RUNS; ++i) {
    for (const r of await checkSite(home.site, { widths: [DESKTOP] })) {
      runs.set(r.page, [...(runs.get(r.page) ?? []), r.renderMs]);
      fetched.set(r.page, r.dataBytes);
      if (i === 0) problems.push(...r.problems.map((p) => `${r.page}: ${p}`));
    }
  }
  console.log(`| page | data files (KiB) | data fetched (KiB) | first render, median of ${RUNS} (ms) | targets |`);
  console.log("|---|---:|---:|---:|---|");
  for (const [page, ms] of [...runs].sort()) {
    const median = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
    const bytes = shipped.get(page) ?? 0;
    const ok = bytes < 1_000_000 && median < 1500 ? "ok" : "MISSED";
    console.log(
      `| ${page} | ${(bytes / 1024).toFixed(0)} | ${((fetched.get(page) ?? 0) / 1024).toFixed(0)} | ${median} | ${ok} |`,
    );
  }
  if (problems.length) console.log(`problems:\n  ${problems.join("\n  ")}`);
}

if (values.home) {
  await measure(`home ${values.home}`, homeLayout(values.home));
} else {
  for (const [customers, days] of [
    [Number(values.small), Number(values["small-days"])],
    [Number(values.large), Number(values["large-days"])],
  ] as const) {
    const started = performance.now();
    const { home, dir } = await prepare(customers, days);
    console.log(
      `\n(demo ${customers} customers x ${days} days prepared in ${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
    try {
      await measure(`${customers} customers x ${days} days`, home);
    } finally {
      if (!values.keep) rmSync(dir, { recursive: true, force: true });
    }
  }
}

// Builds the static dashboard site with Observable Framework, offline, and checks the result.
//
//   import { buildSite } from "./dashboards/build.ts";
//   const { pages, bytes, ms } = await buildSite({ warehouse, outDir, timezone: "Asia/Hong_Kong" });
//
// The framework's cache is deleted first, so a warm cache can never hide a page that needs
// the network. After the build: no `_npm/` directory (nothing fetched from a CDN) and no file
// that references an external host.
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { delimiter, dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export interface BuildSiteOptions {
  /** The DuckDB warehouse file; the data loaders open it read-only. */
  warehouse: string;
  /** Where the site is written; replaced if it holds a previous build, refused otherwise. */
  outDir: string;
  /** IANA business time zone (e.g. Asia/Hong_Kong): "last 7 days" means complete local days. */
  timezone: string;
  /**
   * dbt's target directory (where `dbt build` wrote manifest.json: `<home>/dbt/target`). The
   * glossary page is built from the model and column descriptions in it. When omitted, the
   * glossary loader tries `<dir of warehouse>/dbt/target` (the home layout).
   */
  dbtTarget?: string;
}

export interface BuildSiteResult {
  pages: number;
  bytes: number;
  ms: number;
}

const DASHBOARDS_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = resolve(DASHBOARDS_DIR, "..");
export const CONFIG_PATH = join(DASHBOARDS_DIR, "observablehq.config.js");
export const SOURCE_ROOT = join(DASHBOARDS_DIR, "src");
export const CACHE_DIR = join(SOURCE_ROOT, ".observablehq", "cache");
const OBSERVABLE_BIN = join(REPO_DIR, "node_modules", ".bin", "observable");

/**
 * Framework 1.13.4 bundles its client runtime with a table of lazily imported libraries and
 * asks registry.npmjs.org for their `latest` versions at every cold build; with no network that
 * stops the build ("fetch failed ... registry.npmjs.org"). Pages never load these (they import
 * their libraries from node_modules), so we pin the versions by pre-seeding the framework's
 * version cache (`.observablehq/cache/_npm/<name>@<version>/`, empty directories). Nothing is
 * downloaded and nothing lands in the site's `_npm/` (checked after the build).
 */
export const CLIENT_NPM_VERSION_PINS: readonly string[] = [
  "@observablehq/plot@0.6.17",
  "@observablehq/sample-datasets@1.0.1",
  "apache-arrow@21.2.0",
  "arquero@8.0.3",
  "d3@7.9.2",
  "d3-dsv@3.0.2",
  "echarts@6.1.0",
  "htl@0.3.1",
  "leaflet@1.9.4",
  "lodash@4.17.21",
  "mapbox-gl@3.32.0",
  "parquet-wasm@0.8.0",
  "react@19.3.1",
  "react-dom@19.3.1",
  "topojson-client@3.1.0",
];

/** Hosts whose URLs are identifiers rather than resources (XML/SVG namespaces), plus loopback. */
const ALLOWED_HOSTS = new Set(["www.w3.org", "localhost", "127.0.0.1"]);
const TEXT_EXTENSIONS = new Set([
  ".html",
  ".js",
  ".mjs",
  ".css",
  ".json",
  ".svg",
  ".txt",
  ".map",
  ".xml",
  ".webmanifest",
]);
const URL_PATTERN =
  /\bhttps?:\/\/([a-z0-9.-]+)|(?:src|href)\s*=\s*["']?\/\/([a-z0-9.-]+)|url\(\s*["']?\/\/([a-z0-9.-]+)/gi;

export class SiteBuildError extends Error {
  constructor(
    message: string,
    readonly output?: string,
  ) {
    super(message);
    this.name = "SiteBuildError";
  }
}

export async function buildSite(opts: BuildSiteOptions): Promise<BuildSiteResult> {
  const started = performance.now();
  const warehouse = resolve(opts.warehouse);
  const outDir = resolve(opts.outDir);
  if (!existsSync(warehouse))
    throw new SiteBuildError(`warehouse not found: ${warehouse} (run the pipeline first: \`scrm run\`)`);
  try {
    new Intl.DateTimeFormat("en", { timeZone: opts.timezone });
  } catch {
    throw new SiteBuildError(`not an IANA time zone: ${opts.timezone} (for example Asia/Hong_Kong)`);
  }
  const release = await acquireBuildLock();
  try {
    await clearOutDir(outDir);
    await rm(CACHE_DIR, { recursive: true, force: true });
    await seedNpmVersionCache(CACHE_DIR);
    await runFramework(warehouse, outDir, opts.timezone, opts.dbtTarget ? resolve(opts.dbtTarget) : undefined);
  } finally {
    // The next build deletes it anyway; removing it now leaves no stale copy of warehouse data
    // (loader outputs) lying in the checkout.
    await rm(CACHE_DIR, { recursive: true, force: true });
    await release();
  }

  const problems = await checkSiteOffline(outDir);
  if (problems.length > 0) {
    throw new SiteBuildError(
      `the built site at ${outDir} is not self-contained:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  const files = listFiles(outDir);
  const pages = files.filter((f) => f.endsWith(".html") && !f.endsWith("404.html")).length;
  if (pages === 0 || !existsSync(join(outDir, "index.html")))
    throw new SiteBuildError(`the build wrote no index.html to ${outDir}`);
  const bytes = files.reduce((sum, f) => sum + statSync(join(outDir, f)).size, 0);
  return { pages, bytes, ms: Math.round(performance.now() - started) };
}

async function runFramework(warehouse: string, outDir: string, timezone: string, dbtTarget?: string): Promise<void> {
  const result = await execa(OBSERVABLE_BIN, ["build", "--config", CONFIG_PATH], {
    cwd: REPO_DIR,
    all: true,
    reject: false,
    env: {
      // Framework runs `.ts` data loaders with `tsx` from PATH.
      PATH: [join(REPO_DIR, "node_modules", ".bin"), process.env.PATH ?? ""].join(delimiter),
      SCRM_WAREHOUSE: warehouse,
      SCRM_SITE_DIR: outDir,
      SCRM_TIMEZONE: timezone,
      ...(dbtTarget ? { SCRM_DBT_TARGET: dbtTarget } : {}),
      // Loaders run in the business time zone only through SCRM_TIMEZONE; keep Node's own clock in UTC.
      TZ: "UTC",
      NO_COLOR: "1",
      OBSERVABLE_TELEMETRY_DISABLE: "true",
    },
  });
  if (result.exitCode !== 0 || result.failed) {
    const output = result.all ?? "";
    process.stderr.write(output.endsWith("\n") ? output : `${output}\n`);
    throw new SiteBuildError(
      `observable build failed (exit ${result.exitCode ?? "?"}); its output is above. Last lines:\n${tail(output, 25)}`,
      output,
    );
  }
}

const LOCK_DIR = join(SOURCE_ROOT, ".observablehq", "build.lock");
const LOCK_STALE_MS = 10 * 60_000;

/**
 * Builds share Framework's cache directory (`src/.observablehq/cache`), so two at once (say the
 * unit test and the end-to-end test in parallel vitest workers) would wipe each other's cache.
 * A lock directory (mkdir is atomic) serialises them across processes.
 */
async function acquireBuildLock(timeoutMs = 180_000): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  await mkdir(dirname(LOCK_DIR), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      return () => rm(LOCK_DIR, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (await stat(LOCK_DIR).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > LOCK_STALE_MS) {
        await rm(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new SiteBuildError(`another site build holds ${LOCK_DIR}; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Everything in `outDir` that would make the site reach beyond itself: a `_npm/` directory
 * (libraries fetched from a CDN) and each file that references an external http(s) host.
 */
export async function checkSiteOffline(outDir: string): Promise<string[]> {
  const problems: string[] = [];
  if (existsSync(join(outDir, "_npm")))
    problems.push(
      `${join(outDir, "_npm")}/ exists: a page imports an npm: library (import it from node_modules by bare name instead)`,
    );
  for (const file of listFiles(outDir)) {
    if (!TEXT_EXTENSIONS.has(extname(file).toLowerCase())) continue;
    const text = await readFile(join(outDir, file), "utf8");
    const hosts = new Set<string>();
    for (const m of text.matchAll(URL_PATTERN)) {
      const host = (m[1] ?? m[2] ?? m[3] ?? "").toLowerCase();
      if (host && !ALLOWED_HOSTS.has(host)) hosts.add(host);
    }
    if (hosts.size > 0) problems.push(`${file} references ${[...hosts].sort().join(", ")}`);
  }
  return problems;
}

/** Pre-seeds Framework's npm version cache so a cold build never asks the registry. */
async function seedNpmVersionCache(cacheDir: string): Promise<void> {
  for (const spec of CLIENT_NPM_VERSION_PINS) await mkdir(join(cacheDir, "_npm", spec), { recursive: true });
}

/** Empties `outDir` if it is absent, empty or a previous site build; refuses anything else. */
async function clearOutDir(outDir: string): Promise<void> {
  if (!existsSync(outDir)) return;
  if (!(await stat(outDir)).isDirectory()) throw new SiteBuildError(`${outDir} exists and is not a directory`);
  const entries = await readdir(outDir);
  const looksLikeSite = entries.length === 0 || entries.includes("_observablehq") || entries.includes("index.html");
  if (!looksLikeSite) {
    throw new SiteBuildError(
      `${outDir} is not empty and does not look like a previous site build; refusing to delete it (choose another output directory)`,
    );
  }
  if (resolve(outDir) === REPO_DIR || resolve(outDir) === resolve("/"))
    throw new SiteBuildError(`refusing to use ${outDir} as the site directory`);
  await rm(outDir, { recursive: true, force: true });
}

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path, base));
    else if (entry.isFile()) out.push(relative(base, path));
  }
  return out;
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

// `npx tsx dashboards/build.ts <warehouse> <outDir> [timezone]` builds once and prints the summary.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [warehouse, outDir, timezone = "UTC", dbtTarget] = process.argv.slice(2);
  if (!warehouse || !outDir) {
    console.error("usage: tsx dashboards/build.ts <warehouse.duckdb> <outDir> [timezone] [dbtTargetDir]");
    process.exit(2);
  }
  const r = await buildSite({ warehouse, outDir, timezone, ...(dbtTarget ? { dbtTarget } : {}) });
  console.log(
    `built ${r.pages} page(s), ${(r.bytes / 1024).toFixed(0)} KiB, in ${(r.ms / 1000).toFixed(1)} s -> ${resolve(outDir)}`,
  );
}

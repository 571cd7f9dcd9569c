/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Opens every page of a built site in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core) served on loopback, and reports what a user would hit: console errors, failed
// requests, requests to other hosts, empty charts, and the time to first render. Shared by the
// browser test (tests/e2e/site-browser.test.ts) and the benchmark (bench/site.ts).
//
//   npx tsx dashboards/browser-check.ts <siteDir> [screenshotDir]
import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.SCRM_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".arrow": "application/vnd.apache.arrow.file",
  ".csv": "text/csv",
  ".txt": "text/plain",
};

/** A static server for `root` on 127.0.0.1 (clean URLs: /funnel -> funnel.html). */
export async function serveStatic(
  root: string,
): Promise<{ url: string; server: Server; bytesServed: Map<string, number> }> {
  const base = resolve(root);
  const bytesServed = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    else if (!existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`;
    if (!existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    const size = statSync(file).size;
    bytesServed.set(path, size);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, bytesServed };
}

/** The pages of a built site, as URL paths ("/", "/funnel", ...). */
export function sitePages(siteDir: string): string[] {
  return readdirSync(siteDir)
    .filter((f) => f.endsWith(".html") && f !== "404.html")
    .map((f) => (f === "index.html" ? "/" : `/${f.slice(0, -5)}`))
    .sort();
}

export interface PageCheck {
  page: string;
  width: number;
  /** ms from navigation start until the page's main content has rendered every code cell. */
  renderMs: number;
  /** Bytes of data files (`_file/`) the page fetched. */
  dataBytes: number;
  /** Bytes of everything the page fetched. */
  totalBytes: number;
  charts: number;
  emptyCharts: number;
  problems: string[];
  screenshot?: string;
}

export interface CheckOptions {
  widths?: { width: number; height: number }[];
  screenshotDir?: string;
  timeoutMs?: number;
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Visits every page at every width and reports problems; never throws for page problems. */
export async function checkSite(siteDir: string, opts: CheckOptions = {}): Promise<PageCheck[]> {
  const widths = opts.widths ?? [DESKTOP, PHONE];
  const { url, server } = await serveStatic(siteDir);
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const results: PageCheck[] = [];
  try {
    for (const viewport of widths) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, serviceWorkers: "block" });
      for (const path of sitePages(siteDir)) {
        const page = await context.newPage();
        const problems: string[] = [];
        let dataBytes = 0;
        let totalBytes = 0;
        let inflight = 0;
        page.on("request", () => inflight++);
        page.on("requestfinished", () => inflight--);
        page.on("requestfailed", () => inflight--);
        page.on("console", (m) => {
          if (m.type() === "error") problems.push(`console error: ${m.text()}`);
        });
        page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
        page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? "?"})`));
        page.on("response", async (r) => {
          if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
          const len = Number(r.headers()["content-length"] ?? 0);
          totalBytes += len;
          if (new URL(r.url()).pathname.startsWith("/_file/")) dataBytes += len;
        });
        await page.route("**/*", (route) => {
          const host = new URL(route.request().url()).hostname;
          if (
            host === "127.0.0.1" ||
            route.request().url().startsWith("data:") ||
            route.request().url().startsWith("blob:")
          )
            return route.continue();
          problems.push(`request to a non-loopback host: ${route.request().url()}`);
          return route.abort();
        });
        const started = Date.now();
        await page.goto(`${url}${path}`, { waitUntil: "load", timeout: opts.timeoutMs ?? 15_000 });
        // Rendered = no cell still pending (Framework marks pending cells with .observablehq--loading).
        await page
          .waitForFunction(
            () => {
              const main = document.querySelector("#observablehq-main");
              return (
                !!main &&
                main.querySelectorAll(".observablehq--loading").length === 0 &&
                main.querySelectorAll(".observablehq").length > 0
              );
            },
            undefined,
            { timeout: opts.timeoutMs ?? 15_000, polling: 25 },
          )
          .catch(() => problems.push("the page did not finish rendering"));
        // Charts inside resize() draw on a later ResizeObserver callback: rendered = every card
        // holds a chart, table or empty-state box, and the DOM stopped growing for 150 ms.
        let renderedAt = Date.now();
        {
          let last = -1;
          let stableSince = Date.now();
          const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
          while (Date.now() < deadline) {
            const state = await page.evaluate(() => {
              const main = document.querySelector("#observablehq-main");
              if (!main) return { size: -1, ready: false };
              const cards = [...main.querySelectorAll(".chart-card, .trend-card")];
              const ready =
                main.querySelectorAll(".observablehq--loading").length === 0 &&
                cards.every((c) => c.querySelector("svg, table, .empty-state"));
              return { size: main.querySelectorAll("*").length, ready };
            });
            if (state.size !== last || !state.ready || inflight > 0) {
              last = state.size;
              stableSince = Date.now();
            } else if (Date.now() - stableSince >= 250) break;
            await page.waitForTimeout(25);
          }
          renderedAt = stableSince;
        }
        const renderMs = renderedAt - started;
        await page.waitForTimeout(100);
        const charts = await page.evaluate(() => {
          let empty = 0;
          // Plot's chart SVGs carry exactly "plot-<hash>"; legends are "plot-<hash>-ramp" / "-swatches".
          const plots = [...document.querySelectorAll("#observablehq-main svg")].filter((s) =>
            /^plot-[0-9a-f]+$/.test(s.getAttribute("class") ?? ""),
          );
          for (const svg of plots) {
            const drawn = [...svg.querySelectorAll(":scope > g[aria-label]")].filter(
              (g) =>
                !/axis|tick|grid|label|rule|tip/.test(g.getAttribute("aria-label") ?? "") &&
                g.querySelector("path, rect, circle, line, text") !== null,
            );
            if (drawn.length === 0) empty++;
          }
          // A card with neither a chart, a table nor an explicit empty-state box rendered nothing.
          for (const card of [...document.querySelectorAll("#observablehq-main .chart-card")]) {
            if (!card.querySelector("svg, table, .empty-state")) empty++;
          }
          return { count: plots.length, empty };
        });
        if (charts.empty > 0) problems.push(`${charts.empty} empty chart(s)`);
        const errorCells = await page.locator("#observablehq-main .observablehq--error").count();
        if (errorCells > 0)
          problems.push(
            `${errorCells} cell(s) in error: ${(await page.locator("#observablehq-main .observablehq--error").first().innerText()).slice(0, 300)}`,
          );
        let screenshot: string | undefined;
        if (opts.screenshotDir) {
          const name = `${path === "/" ? "index" : path.slice(1)}-${viewport.width}.png`;
          screenshot = join(opts.screenshotDir, name);
          await page.screenshot({ path: screenshot, fullPage: true });
        }
        results.push({
          page: path,
          width: viewport.width,
          renderMs,
          dataBytes,
          totalBytes,
          charts: charts.count,
          emptyCharts: charts.empty,
          problems,
          ...(screenshot ? { screenshot } : {}),
        });
        await page.close();
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
  return results;
}

/** Data bytes per page straight from the built files: every `_file/` asset a page's HTML names. */
export function dataBytesPerPage(siteDir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const path of sitePages(siteDir)) {
    const html = readFileSyncUtf8(join(siteDir, path === "/" ? "index.html" : `${path.slice(1)}.html`));
    const files = new Set([...html.matchAll(/["'(]\.?\.?\/?(_file\/[^"')\s]+)/g)].map((m) => m[1]!));
    let bytes = 0;
    for (const f of files) if (existsSync(join(siteDir, f))) bytes += statSync(join(siteDir, f)).size;
    out.set(path, bytes);
  }
  return out;
}

import { readFileSync } from "node:fs";
function readFileSyncUtf8(p: string): string {
  return readFileSync(p, "utf8");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [site, shots] = process.argv.slice(2);
  if (!site) {
    console.error("usage: tsx dashboards/browser-check.ts <siteDir> [screenshotDir]");
    process.exit(2);
  }
  if (shots) await import("node:fs/promises").then((fs) => fs.mkdir(shots, { recursive: true }));
  const results = await checkSite(site, { screenshotDir: shots });
  for (const r of results) {
    console.log(
      `${r.page.padEnd(16)} ${String(r.width).padStart(4)}px ${String(r.renderMs).padStart(5)} ms  data ${(r.dataBytes / 1024).toFixed(0).padStart(4)} KiB  charts ${r.charts}${r.problems.length ? `\n   ${r.problems.join("\n   ")}` : ""}`,
    );
  }
  void relative;
}

/**
 * `npx tsx bench/crm.ts [--contacts 200000] [--tags 10000] [--budget 100] [--window-ms 10000] [--no-postgres]`:
 * contacts per second from SQLite and from PostgreSQL into raw (snapshot: read, map, normalise
 * phones, land; then load), and tags written per second to the local HubSpot test server at its
 * rate budget. Use --contacts 1000000 for the issue's scale.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import pg from "pg";
import { homeLayout, type HomeLayout } from "../core/home.ts";
import { silentLogger } from "../core/log.ts";
import { PROJECT_ROOT } from "../core/project.ts";
import { withWarehouse } from "../core/warehouse.ts";
import { HubSpotCrmConnector } from "../ingest/crm/hubspot-connector.ts";
import { DEFAULT_SQL_MAPPING } from "../ingest/crm/mapping.ts";
import { snapshotCrm } from "../ingest/crm/snapshot.ts";
import { SqlCrmConnector } from "../ingest/crm/sql-connector.ts";
import { enqueueDesiredTags, ensureWritebackSchema, processOutbox } from "../ingest/crm/writeback-core.ts";
import { loadLanded } from "../ingest/load/loader.ts";
import { HubSpotMock } from "../tests/integration/crm/hubspot-mock.ts";
import { startPostgres } from "../tests/integration/crm/postgres-server.ts";

const { values } = parseArgs({
  options: {
    contacts: { type: "string", default: "200000" },
    tags: { type: "string", default: "10000" },
    budget: { type: "string", default: "100" },
    "window-ms": { type: "string", default: "10000" },
    "no-postgres": { type: "boolean", default: false },
  },
});
const N = Number(values.contacts);
const TAGS = Number(values.tags);
const SCHEMA = readFileSync(join(PROJECT_ROOT, "ingest/crm/crm-schema.sql"), "utf8");
const PHONES: Array<[string, string]> = [
  ["9123 4567", "HK"],
  ["0912-345-678", "TW"],
  ["010-1234-5678", "KR"],
  ["8123 4567", "SG"],
  ["012-345 6789", "MY"],
  ["(11) 8765-4321", "BR"],
  ["098765 43210", "IN"],
  ["n/a", "HK"],
];
const iso = (i: number) => new Date(Date.UTC(2026, 0, 1) + i).toISOString();

async function intoRaw(label: string, url: string): Promise<Record<string, string | number>> {
  const dir = mkdtempSync(join(tmpdir(), "scrm-bench-crm-"));
  const home: HomeLayout = homeLayout(dir);
  try {
    const connector = SqlCrmConnector.open(url, DEFAULT_SQL_MAPPING, { readOnly: true });
    const t0 = performance.now();
    const snap = await snapshotCrm({
      connector,
      landingRoot: home.landing.root,
      crmName: "bench",
      now: new Date(),
      defaultRegion: "HK",
    });
    await connector.close();
    const t1 = performance.now();
    await withWarehouse(home.warehouse, {}, (wh) => loadLanded(wh, home, silentLogger));
    const t2 = performance.now();
    return {
      source: label,
      contacts: snap.counts.contacts,
      "snapshot s": ((t1 - t0) / 1000).toFixed(1),
      "load s": ((t2 - t1) / 1000).toFixed(1),
      "contacts/s": Math.round(snap.counts.contacts / ((t2 - t0) / 1000)),
      "phone failures": `${((snap.health?.phone_failure_rate ?? 0) * 100).toFixed(1)}%`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sqliteBench() {
  const dir = mkdtempSync(join(tmpdir(), "scrm-bench-sqlite-"));
  const path = join(dir, "crm.sqlite");
  const db = new SQLite(path);
  db.pragma("journal_mode = WAL");
  db.exec(SCHEMA);
  const ins = db.prepare(
    "insert into contacts (id, full_name, phone, country, customer_grade, tags, marketing_opt_in, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 1, ?, ?)",
  );
  db.transaction(() => {
    for (let i = 0; i < N; i++) {
      const [phone, country] = PHONES[i % PHONES.length]!;
      ins.run(`C${i}`, `Customer ${i}`, phone, country, i % 3 ? null : "VIP", "vip", iso(i), iso(i));
    }
  })();
  db.close();
  try {
    return await intoRaw("SQLite", path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresBench() {
  const server = await startPostgres();
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query(SCHEMA.replace(/\breal\b/g, "double precision"));
    await client.query(
      `insert into contacts (id, full_name, phone, country, customer_grade, tags, marketing_opt_in, created_at, updated_at)
       select 'C' || i, 'Customer ' || i, (array[${PHONES.map(([p]) => `'${p}'`).join(",")}])[i % ${PHONES.length} + 1],
              (array[${PHONES.map(([, c]) => `'${c}'`).join(",")}])[i % ${PHONES.length} + 1],
              case when i % 3 = 0 then 'VIP' end, 'vip', 1,
              to_char(timestamp '2026-01-01' + i * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              to_char(timestamp '2026-01-01' + i * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
       from generate_series(0, ${N - 1}) i`,
    );
    await client.end();
    return await intoRaw("PostgreSQL", server.url);
  } finally {
    server.stop();
  }
}

async function hubspotBench() {
  const budget = Number(values.budget);
  const windowMs = Number(values["window-ms"]);
  const mock = new HubSpotMock({ budget, windowMs });
  await mock.start();
  const dir = mkdtempSync(join(tmpdir(), "scrm-bench-hs-"));
  try {
    for (let i = 0; i < TAGS; i++)
      mock.addContact(String(i + 1), { firstname: `C${i}`, scrm_tags: i % 2 ? "vip" : null });
    const connector = new HubSpotCrmConnector({
      accessToken: mock.token,
      basePath: mock.url,
      rateBudget: { requests: budget, windowMs },
    });
    return await withWarehouse(join(dir, "wh.duckdb"), {}, async (wh) => {
      await ensureWritebackSchema(wh);
      await wh.run(
        `insert into crm_sync.desired_tags select 'hs', (i)::varchar, 'scrm:churn-risk' from range(1, ${TAGS + 1}) t(i)`,
      );
      const enqueued = await enqueueDesiredTags(wh, "hs", "scrm:", { now: new Date() });
      const t0 = performance.now();
      const report = await processOutbox(wh, connector, "hs", { dryRun: false, now: () => new Date(), enqueued });
      const s = (performance.now() - t0) / 1000;
      return {
        budget: `${budget} req / ${windowMs / 1000} s`,
        tags: report.written,
        seconds: s.toFixed(1),
        "tags/s": Math.round(report.written / s),
        requests: mock.stats.requests,
        "429s": mock.stats.rateLimited,
        "max inputs": mock.stats.maxInputs,
      };
    });
  } finally {
    await mock.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Array<Record<string, string | number>> = [await sqliteBench()];
if (!values["no-postgres"]) rows.push(await postgresBench());
console.log(`contacts into raw (${N.toLocaleString("en-US")} contacts):`);
console.table(rows);
console.log(`tags written to the local HubSpot server:`);
console.table([await hubspotBench()]);

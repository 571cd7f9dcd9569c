import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MARKETING_TABLES, type MarketingTable } from "../landing/marketing.ts";
import type { Campaign } from "./campaigns.ts";
import type { Customer } from "./customers.ts";
import type { CrmOnlyContact } from "./crm-writer.ts";
import { MARKETS } from "./markets.ts";
import { messyLocal, mobileNumber } from "./phones.ts";
import type { Rng } from "./rng.ts";
import { DAY_MS, isoDate } from "./time.ts";

/** Marketing exports as RFC 4180 CSV under landing/marketing/<table>/. */
export function csvField(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeCsv(
  root: string,
  table: MarketingTable,
  rows: (string | number | null)[][],
): { path: string; bytes: number } {
  const dir = join(root, table);
  mkdirSync(dir, { recursive: true });
  const lines = [MARKETING_TABLES[table].join(","), ...rows.map((r) => r.map(csvField).join(","))];
  const text = lines.join("\r\n") + "\r\n";
  const path = join(dir, `demo-${table}.csv`);
  writeFileSync(path, text);
  return { path, bytes: Buffer.byteLength(text) };
}

export function writeMarketing(
  rng: Rng,
  root: string,
  campaigns: readonly Campaign[],
  customers: readonly Customer[],
  crmOnly: readonly CrmOnlyContact[],
  startMs: number,
  endMs: number,
): { files: string[]; bytes: number; leads: number } {
  const scale = Math.min(20, Math.max(0.05, customers.length / 5000));
  const files: string[] = [];
  let bytes = 0;
  const add = (r: { path: string; bytes: number }): void => {
    files.push(r.path);
    bytes += r.bytes;
  };
  add(
    writeCsv(
      root,
      "campaigns",
      campaigns.map((c) => [
        c.id,
        c.name,
        c.channel,
        c.kind,
        c.objective,
        isoDate(c.startMs),
        isoDate(c.endMs - DAY_MS),
        Math.round(c.budget * scale * 100) / 100,
        "USD",
      ]),
    ),
  );
  const spend: (string | number | null)[][] = [];
  const leads: (string | number | null)[][] = [];
  let leadSeq = 0;
  for (let day = startMs; day < endMs; day += DAY_MS) {
    for (const c of campaigns) {
      if (day < c.startMs || day >= c.endMs || c.dailySpend === 0) continue;
      const s = Math.round(c.dailySpend * scale * (0.7 + rng.float() * 0.6) * 100) / 100;
      const clicks = Math.round(s * c.ctr * (0.8 + rng.float() * 0.4));
      const impressions = Math.round(clicks * (40 + rng.float() * 60));
      spend.push([isoDate(day), c.channel, c.id, s, "USD", impressions, clicks]);
      if (c.channel === "line" || c.channel === "facebook" || c.channel === "instagram" || c.channel === "web") {
        const n = rng.poisson(clicks * 0.04);
        for (let i = 0; i < n; i++) {
          const at = day + rng.int(0, DAY_MS - 1);
          let phone: string;
          let country: string;
          let crm: string | null = null;
          const r = rng.float();
          if (r < 0.2 && customers.length > 0) {
            const cu = rng.pick(customers);
            country = cu.market.code;
            phone = rng.chance(0.5) ? "+" + cu.e164 : messyLocal(rng, cu.market.code, cu.e164, cu.market.callingCode);
            crm = cu.crmId && rng.chance(0.6) ? cu.crmId : null;
          } else if (r < 0.3 && crmOnly.length > 0) {
            const k = rng.pick(crmOnly);
            country = k.market.code;
            phone = "+" + k.e164;
            crm = rng.chance(0.6) ? k.id : null;
          } else {
            const m = rng.pickWeighted(MARKETS.map((x) => [x, x.weight] as const));
            country = m.code;
            phone = rng.chance(0.5)
              ? "+" + mobileNumber(rng, m.code)
              : messyLocal(rng, m.code, mobileNumber(rng, m.code), m.callingCode);
          }
          leads.push([
            `L${String(++leadSeq).padStart(8, "0")}`,
            new Date(at).toISOString(),
            c.channel,
            c.id,
            phone,
            country,
            crm,
          ]);
        }
      }
    }
  }
  add(writeCsv(root, "ad_spend", spend));
  leads.sort((a, b) => String(a[1]).localeCompare(String(b[1])));
  add(writeCsv(root, "leads", leads));
  return { files, bytes, leads: leads.length };
}

import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { CrmContactsTable, CrmDatabase } from "../crm/crm-schema.ts";
import { AGENTS } from "./agents.ts";
import { CATALOGUE } from "./catalogue.ts";
import type { Customer } from "./customers.ts";
import { MARKETS, type Market, type MarketCode } from "./markets.ts";
import { emailFor, personName } from "./names.ts";
import type { OrderSink } from "./orders.ts";
import { GARBAGE_PHONES, messyLocal, mobileNumber } from "./phones.ts";
import type { Rng } from "./rng.ts";
import { DAY_MS, HOUR_MS, MIN_MS } from "./time.ts";

/** The embedded default CRM (SQLite) with the quirks the seed describes (R7, R8, R9, R10, R18). */
const DDL_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "crm", "crm-schema.sql");

export interface CrmHandle {
  db: Kysely<CrmDatabase>;
  raw: Database.Database;
}

export function openCrm(path: string): CrmHandle {
  mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  raw.pragma("journal_mode = MEMORY");
  raw.pragma("synchronous = OFF");
  // Orders stream in day by day; contacts are written at the end. `foreign_key_check` is clean afterwards.
  raw.pragma("foreign_keys = OFF");
  raw.exec(readFileSync(DDL_PATH, "utf8"));
  const db = new Kysely<CrmDatabase>({ dialect: new SqliteDialect({ database: raw }) });
  return { db, raw };
}

const STREETS: Record<MarketCode, readonly string[]> = {
  HK: ["Flat {n}B, {m} Nathan Road", "Rm {n}, {m}/F, Hennessy Road", "{m} King's Road, Block {n}"],
  TW: ["{m} Zhongxiao E. Rd., Sec. 4, {n}F", "No. {m}, Xinyi Rd., {n}F"],
  KR: ["{m} Teheran-ro, Gangnam-gu, #{n}0{n}", "{m} Sejong-daero, Jung-gu"],
  SG: ["Blk {m} Ang Mo Kio Ave 3, #{n}-{m}", "{m} Orchard Road, #{n}-01"],
  MY: ["No. {m}, Jalan SS{n}/2", "{m} Jalan Ampang, Unit {n}"],
  BR: ["Rua Augusta, {m}, apto {n}", "Av. Paulista, {m}, sala {n}"],
  IN: ["{m}, MG Road, Flat {n}", "House {m}, Sector {n}"],
};

function postalCode(rng: Rng, code: MarketCode): string {
  switch (code) {
    case "HK":
      return "999077";
    case "TW":
      return String(rng.int(100, 983));
    case "KR":
      return rng.digits(5);
    case "SG":
      return String(rng.int(10, 82)) + rng.digits(4);
    case "MY":
      return String(rng.int(10, 98)) + rng.digits(3);
    case "BR":
      return rng.digits(5) + "-" + rng.digits(3);
    case "IN":
      return String(rng.int(1, 8)) + rng.digits(5);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function phoneField(rng: Rng, market: Market, digits: string): string | null {
  const r = rng.float();
  if (r < 0.012) return rng.pick(GARBAGE_PHONES);
  if (r < 0.022) return null;
  return messyLocal(rng, market.code, digits, market.callingCode);
}

interface ContactBase {
  id: string;
  name: string;
  market: Market;
  phone: string | null;
  createdAt: number;
  leadSource: string;
  optIn: boolean;
  grade: string | null;
  tags: string[];
  ownerAgent: string | null;
}

function finishContact(rng: Rng, b: ContactBase, endMs: number): { row: CrmContactsTable; deleted: boolean } {
  const created = Math.min(b.createdAt, endMs - 60_000);
  // Several updates over the period; the last one is what the snapshot shows (ms precision, R10).
  let updated = created;
  const updates = rng.int(0, 4);
  for (let i = 0; i < updates; i++) updated = Math.max(updated, created + Math.floor(rng.float() * (endMs - created)));
  let deleted: number | null = null;
  if (rng.chance(0.015)) {
    deleted = updated + Math.floor(rng.float() * (endMs - updated));
    updated = deleted;
  }
  const postalMissing = rng.chance(0.23);
  const street = rng
    .pick(STREETS[b.market.code])
    .replace(/\{n\}/g, String(rng.int(1, 30)))
    .replace(/\{m\}/g, String(rng.int(1, 400)));
  const gradeBlank = b.grade === null ? rng.pick([null, ""]) : b.grade;
  return {
    row: {
      id: b.id,
      full_name: b.name,
      phone: b.phone,
      country: rng.chance(0.97) ? b.market.code : null,
      email: rng.chance(0.6) ? emailFor(rng, b.name, rng.int(1, 999)) : null,
      customer_grade: gradeBlank,
      postal_code: postalMissing ? rng.pick([null, ""]) : postalCode(rng, b.market.code),
      address: rng.chance(0.92) ? street : null,
      city: rng.pick(b.market.cities),
      lead_source: b.leadSource,
      tags: b.tags.length ? b.tags.join(";") : null,
      marketing_opt_in: b.optIn ? 1 : 0,
      opt_in_at: b.optIn ? iso(created + rng.int(0, 30) * MIN_MS + rng.int(0, 999)) : null,
      owner_agent_id: b.ownerAgent,
      created_at: iso(created),
      updated_at: iso(Math.max(updated, created)),
      deleted_at: deleted === null ? null : iso(deleted),
    },
    deleted: deleted !== null,
  };
}

function grade(rng: Rng, c: Customer): string | null {
  if (rng.chance(0.42)) return null; // R7: many empty grades
  if (c.archetype === "loyal") return rng.pick(["VIP", "Gold"]);
  if (c.ordersPlaced > 1) return rng.pick(["Gold", "Silver"]);
  return rng.pick(["Silver", "Bronze", "new customer", "Bronze"]);
}

function tags(rng: Rng, c: Customer): string[] {
  const t: string[] = [];
  if (rng.chance(0.3)) t.push("newsletter");
  if (c.archetype === "loyal" && rng.chance(0.6)) t.push("vip");
  if (rng.chance(0.05)) t.push("wholesale");
  if (c.discountMentions >= 3 && rng.chance(0.5)) t.push("scrm:price-sensitive");
  if (c.complaints > 0 && rng.chance(0.4)) t.push("scrm:complaint");
  if (rng.chance(0.1)) t.push("scrm:store-lookup");
  return t;
}

export interface CrmOnlyContact {
  id: string;
  market: Market;
  e164: string;
}

/** Writes contacts (customers, duplicate records, CRM-only contacts) and the product catalogue. */
export async function writeCrmContacts(
  rng: Rng,
  db: Kysely<CrmDatabase>,
  customers: readonly Customer[],
  orders: OrderSink,
  crmOnly: readonly CrmOnlyContact[],
  endMs: number,
): Promise<{ contacts: number; deleted: number; duplicates: string[][] }> {
  const rows: CrmContactsTable[] = [];
  const duplicates: string[][] = [];
  let deleted = 0;
  const push = (b: ContactBase): void => {
    const r = finishContact(rng, b, endMs);
    rows.push(r.row);
    if (r.deleted) deleted++;
  };
  for (const c of customers) {
    const owner = rng.chance(0.8) ? (AGENTS[c.ownerAgent]?.id ?? null) : null;
    const createdAt =
      c.acquisition === "existing" ? c.acquiredAt : c.acquiredAt + rng.int(2, 72 * 60) * MIN_MS + rng.int(0, 999);
    const late = orders.lateContacts.get(c.idx);
    const id = c.crmId ?? late?.id;
    if (!id) continue;
    push({
      id,
      name: c.crmName,
      market: c.market,
      phone: phoneField(rng, c.market, c.crmDigits),
      createdAt: c.crmId ? createdAt : (late?.at ?? createdAt),
      leadSource: c.leadSource,
      optIn: c.optIn,
      grade: grade(rng, c),
      tags: tags(rng, c),
      ownerAgent: owner,
    });
    if (c.dupCrmId && c.dupName && c.dupPhone) {
      push({
        id: c.dupCrmId,
        name: c.dupName,
        market: c.market,
        phone: messyLocal(rng, c.market.code, c.dupPhone, c.market.callingCode),
        createdAt: createdAt + rng.int(5, 200) * DAY_MS,
        leadSource: rng.pick(["Store", "Web", "LINE", "Facebook"]),
        optIn: rng.chance(0.5),
        grade: null,
        tags: [],
        ownerAgent: null,
      });
      duplicates.push([c.crmId ?? id, c.dupCrmId]);
    }
  }
  for (const k of crmOnly) {
    push({
      id: k.id,
      name: personName(rng, k.market.code),
      market: k.market,
      phone: phoneField(rng, k.market, k.e164),
      createdAt: endMs - rng.int(20, 900) * DAY_MS - rng.int(0, DAY_MS - 1),
      leadSource: rng.pick(["Store", "Web", "LINE", "Facebook", "Instagram", "Referral"]),
      optIn: rng.chance(0.6),
      grade: rng.chance(0.5) ? null : rng.pick(["Bronze", "Silver", "new customer"]),
      tags: rng.chance(0.2) ? ["newsletter"] : [],
      ownerAgent: null,
    });
  }
  const nowish = endMs - 2 * HOUR_MS;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto("contacts")
        .values(rows.slice(i, i + 500))
        .execute();
    await trx
      .insertInto("products")
      .values(
        CATALOGUE.map((p, i) => ({
          sku: p.sku,
          name: p.name,
          brand: p.brand,
          category: p.category,
          list_price: p.usd,
          currency: "USD",
          updated_at: iso(nowish - i * DAY_MS - i * 7919),
        })),
      )
      .execute();
  });
  return { contacts: rows.length, deleted, duplicates };
}

/** Contacts only in the CRM (store and web customers who never wrote on WhatsApp). */
export function crmOnlyContacts(rng: Rng, n: number, firstSeq: number): CrmOnlyContact[] {
  const out: CrmOnlyContact[] = [];
  for (let i = 0; i < n; i++) {
    const market = rng.pickWeighted(MARKETS.map((m) => [m, m.weight] as const));
    out.push({ id: `C${String(firstSeq + i).padStart(7, "0")}`, market, e164: mobileNumber(rng, market.code) });
  }
  return out;
}

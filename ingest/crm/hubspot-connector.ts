import { Client } from "@hubspot/api-client";
import { ConnectorError, type CrmConnector, type CrmEntity, type SourceRow, type TagWriteResult } from "./connector.ts";
import { DEFAULT_HUBSPOT_MAPPING, entityColumns, MappingError, type CrmMapping } from "./mapping.ts";
import { RateBudget, sleep } from "./rate-budget.ts";

export interface HubSpotOptions {
  readonly accessToken: string;
  /** Default https://api.hubapi.com; tests point it at a local server. */
  readonly basePath?: string;
  readonly mapping?: CrmMapping;
  /** Requests per window this integration may use (HubSpot: 100 per 10 s on Free/Starter, 190 above). */
  readonly rateBudget?: { requests: number; windowMs: number };
  /** Inputs per batch call; HubSpot documents at most 100. Halved on a VALIDATION_ERROR about inputs. */
  readonly batchSize?: number;
  /** Retries of a 429 or 5xx answer before the call fails. */
  readonly maxRetries?: number;
  /** First backoff for 5xx; doubles each retry. */
  readonly backoffMs?: number;
}

interface ApiError {
  code: number;
  body?: { message?: string; category?: string; policyName?: string } | string;
  headers?: Record<string, string>;
}

const isApiError = (e: unknown): e is ApiError =>
  typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "number";

/** HubSpot CRM v3 through the official SDK: contacts and deals changed since a watermark; tags as a multi-checkbox property. */
export class HubSpotCrmConnector implements CrmConnector {
  readonly kind = "hubspot" as const;
  readonly mapping: CrmMapping;
  readonly client: Client;
  readonly budget: RateBudget;
  private batchSize: number;
  private readonly maxRetries: number;
  private readonly backoffMs: number;
  /** Calls made, and how many answers were 429 or 5xx (for the health figures). */
  readonly stats = { calls: 0, rateLimited: 0, serverErrors: 0, retries: 0 };

  constructor(opts: HubSpotOptions) {
    if (!opts.accessToken) throw new ConnectorError("HubSpot needs an access token (private app token)");
    this.mapping = opts.mapping ?? DEFAULT_HUBSPOT_MAPPING;
    this.client = new Client({
      accessToken: opts.accessToken,
      ...(opts.basePath ? { basePath: opts.basePath.replace(/\/$/, "") } : {}),
      numberOfApiCallRetries: 0, // retries are ours: Retry-After, the rate budget and per-record results
      limiterOptions: { maxConcurrent: 1, minTime: 0 },
    });
    const budget = opts.rateBudget ?? { requests: 100, windowMs: 10_000 };
    this.budget = new RateBudget(budget.requests, budget.windowMs);
    this.batchSize = Math.min(100, opts.batchSize ?? 100);
    this.maxRetries = opts.maxRetries ?? 5;
    this.backoffMs = opts.backoffMs ?? 500;
  }

  /** One API call within the budget; 429 and 5xx are retried with backoff, honouring Retry-After. */
  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.budget.take();
      this.stats.calls += 1;
      try {
        return await fn();
      } catch (err) {
        if (!isApiError(err)) throw err;
        const retryable = err.code === 429 || err.code >= 500;
        if (err.code === 429) this.stats.rateLimited += 1;
        if (err.code >= 500) this.stats.serverErrors += 1;
        const body = typeof err.body === "object" && err.body ? err.body : {};
        if (!retryable || attempt >= this.maxRetries || /DAILY/i.test(body.policyName ?? "")) {
          throw new ConnectorError(
            `HubSpot ${what}: HTTP ${err.code}${body.category ? ` ${body.category}` : ""}${body.policyName ? ` ${body.policyName}` : ""}: ${body.message ?? "no message"}`,
          );
        }
        this.stats.retries += 1;
        const retryAfter = Number(err.headers?.["retry-after"] ?? err.headers?.["Retry-After"]);
        const wait = Number.isFinite(retryAfter)
          ? retryAfter * 1000
          : err.code === 429
            ? this.budget.windowMs // wait the rolling window out
            : Math.min(this.backoffMs * 2 ** attempt, 30_000);
        await sleep(wait);
      }
    }
  }

  private objectOf(entity: CrmEntity): string | null {
    const e = this.mapping[entity];
    return e ? e.table : null;
  }

  async validate(): Promise<void> {
    const problems: string[] = [];
    const check = async (key: string, e: { table: string } & Parameters<typeof entityColumns>[0], extra: string[]) => {
      let names: Set<string>;
      try {
        const res = await this.call(`properties of ${e.table}`, () =>
          this.client.crm.properties.coreApi.getAll(e.table),
        );
        names = new Set(res.results.map((p) => p.name));
      } catch (err) {
        problems.push(`${key}.table: object "${e.table}" cannot be read: ${(err as Error).message}`);
        return;
      }
      names.add("hs_object_id");
      if (key === "orders") names.add("associated_contact_id"); // filled from the deal's associations
      for (const c of [...entityColumns(e), ...extra]) {
        if (!names.has(c)) problems.push(`${key}: property "${c}" does not exist on HubSpot object "${e.table}"`);
      }
    };
    const m = this.mapping;
    await check("contacts", m.contacts, m.tags.column ? [m.tags.column] : []);
    if (m.orders) await check("orders", m.orders, []);
    if (problems.length) throw new MappingError(`the CRM mapping does not match HubSpot:\n  ${problems.join("\n  ")}`);
  }

  async *readChanged(entity: CrmEntity, since: string | null): AsyncIterable<SourceRow> {
    const e = this.mapping[entity];
    const object = this.objectOf(entity);
    if (!e || !object || entity === "products") return;
    const properties = entityColumns(e).filter((c) => c !== "hs_object_id" && c !== "associated_contact_id");
    const api = object === "deals" ? this.client.crm.deals.searchApi : this.client.crm.contacts.searchApi;
    let from = since ? Date.parse(since) : 0;
    let after: string | undefined;
    for (;;) {
      const request = {
        filterGroups: [{ filters: [{ propertyName: e.updatedAt, operator: "GTE", value: String(from) }] }],
        sorts: [{ propertyName: e.updatedAt, direction: "ASCENDING" }],
        properties,
        limit: 100,
        ...(after ? { after } : {}),
      };
      const page = await this.call(`search ${object}`, () => api.doSearch(request as never));
      const rows: SourceRow[] = page.results.map((r) => ({ ...r.properties, hs_object_id: r.id }));
      if (entity === "orders" && rows.length) await this.attachContacts(rows);
      yield* rows;
      const next = page.paging?.next?.after;
      if (!next || !rows.length) return;
      // A search returns at most 10,000 results: restart from the last instant seen (">=" overlaps).
      if (Number(next) + 100 > 10_000) {
        const last = Date.parse(String(rows[rows.length - 1]![e.updatedAt]));
        if (!(last > from)) throw new ConnectorError(`HubSpot: more than 10,000 ${object} share one modified instant`);
        from = last;
        after = undefined;
      } else after = next;
    }
  }

  /** Deals carry their first associated contact as `associated_contact_id`. */
  private async attachContacts(rows: SourceRow[]): Promise<void> {
    const res = await this.call("deal associations", () =>
      this.client.crm.associations.v4.batchApi.getPage("deals", "contacts", {
        inputs: rows.map((r) => ({ id: String(r.hs_object_id) })),
      }),
    );
    const byDeal = new Map(res.results.map((r) => [String(r._from.id), r.to[0]?.toObjectId]));
    for (const r of rows) {
      const c = byDeal.get(String(r.hs_object_id));
      r.associated_contact_id = c === undefined ? null : String(c);
    }
  }

  async *readOrderItems(): AsyncIterable<SourceRow> {}

  listIds(): null {
    return null;
  }

  readDeleted(entity: "contacts" | "orders"): AsyncIterable<{ id: string; deletedAt: string | null }> | null {
    const object = this.objectOf(entity);
    if (!object) return null;
    const api = object === "deals" ? this.client.crm.deals.basicApi : this.client.crm.contacts.basicApi;
    const call = this.call.bind(this);
    return (async function* () {
      let after: string | undefined;
      do {
        const page = await call(`archived ${object}`, () =>
          api.getPage(100, after, undefined, undefined, undefined, true),
        );
        for (const r of page.results) {
          const at = (r as { archivedAt?: Date }).archivedAt;
          yield { id: r.id, deletedAt: at ? new Date(at).toISOString() : null };
        }
        after = page.paging?.next?.after;
      } while (after);
    })();
  }

  private tagProperty(): string {
    const p = this.mapping.tags.column ?? this.mapping.contacts.fields.tags;
    if (typeof p !== "string") throw new MappingError("the HubSpot mapping names no tags property (tags.column)");
    return p;
  }

  async readTags(ids: readonly string[]): Promise<Map<string, string | null>> {
    const prop = this.tagProperty();
    const out = new Map<string, string | null>();
    for (let i = 0; i < ids.length; i += this.batchSize) {
      const inputs = ids.slice(i, i + this.batchSize).map((id) => ({ id }));
      const res = await this.call("batch read contacts", () =>
        this.client.crm.contacts.batchApi.read({ inputs, properties: [prop], propertiesWithHistory: [] }),
      );
      for (const r of res.results) out.set(r.id, r.properties[prop] ?? null);
    }
    return out;
  }

  async writeTags(updates: ReadonlyArray<{ id: string; value: string }>): Promise<TagWriteResult[]> {
    const prop = this.tagProperty();
    const results: TagWriteResult[] = [];
    let i = 0;
    while (i < updates.length) {
      const chunk = updates.slice(i, i + this.batchSize);
      try {
        const res = await this.call("batch update contacts", () =>
          this.client.crm.contacts.batchApi.update({
            inputs: chunk.map((u) => ({ id: u.id, properties: { [prop]: u.value } })),
          }),
        );
        const failed = new Map<string, string>();
        for (const e of (
          res as { errors?: Array<{ message: string; category?: string; context?: { ids?: string[] } }> }
        ).errors ?? []) {
          for (const id of e.context?.ids ?? []) failed.set(id, `${e.category ?? "error"}: ${e.message}`);
        }
        const ok = new Set(res.results.map((r) => r.id));
        for (const u of chunk) {
          if (ok.has(u.id)) results.push({ id: u.id, ok: true });
          else results.push({ id: u.id, ok: false, error: failed.get(u.id) ?? "not in HubSpot's answer" });
        }
        i += chunk.length;
      } catch (err) {
        const msg = (err as Error).message;
        if (/VALIDATION_ERROR/.test(msg) && /inputs/i.test(msg) && this.batchSize > 1) {
          this.batchSize = Math.max(1, Math.floor(this.batchSize / 2));
          continue;
        }
        for (const u of chunk) results.push({ id: u.id, ok: false, error: msg });
        i += chunk.length;
      }
    }
    return results;
  }

  async close(): Promise<void> {}
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/**
 * A local HTTP server enforcing HubSpot CRM v3's documented contract (shared/notes/crm-apis.md C1):
 * bearer auth; at most 100 inputs per batch (400 VALIDATION_ERROR otherwise); a per-window request
 * budget (HubSpot: per 10 s) answered with 429 and a body naming `policyName`; multi-checkbox
 * values replaced as a whole by updates; search capped at 10,000 results; 5xx injectable.
 */
export interface MockRecord {
  id: string;
  properties: Record<string, string | null>;
  archived?: boolean;
  archivedAt?: string;
}

export interface HubSpotMockOptions {
  token?: string;
  /** Requests allowed per window (HubSpot Free/Starter: 100 per 10 s). */
  budget?: number;
  windowMs?: number;
  /** Send Retry-After (seconds) with 429 answers. */
  retryAfterSeconds?: number;
}

export class HubSpotMock {
  readonly token: string;
  readonly objects = { contacts: new Map<string, MockRecord>(), deals: new Map<string, MockRecord>() };
  readonly associations = new Map<string, string[]>(); // deal id -> contact ids
  readonly properties = {
    contacts: [
      "hs_object_id",
      "firstname",
      "lastname",
      "phone",
      "country",
      "email",
      "customer_grade",
      "city",
      "zip",
      "address",
      "hs_analytics_source",
      "scrm_tags",
      "hubspot_owner_id",
      "createdate",
      "lastmodifieddate",
    ],
    deals: [
      "hs_object_id",
      "closedate",
      "dealstage",
      "deal_currency_code",
      "amount",
      "pipeline",
      "hs_lastmodifieddate",
    ],
  };
  readonly stats = { requests: 0, rateLimited: 0, injected: 0, updatesWritten: 0, maxInputs: 0, batchUpdates: 0 };
  /** Status codes to answer the next requests with, in order (e.g. [502, 503]). */
  readonly failNext: number[] = [];
  private window: number[] = [];
  private server: Server | null = null;
  url = "";
  private clock = 0;

  constructor(private readonly opts: HubSpotMockOptions = {}) {
    this.token = opts.token ?? "test-token";
  }

  /** Monotonic ms timestamps so that every write gets a distinct lastmodifieddate. */
  private stamp(): string {
    this.clock = Math.max(this.clock + 1, Date.now());
    return new Date(this.clock).toISOString();
  }

  addContact(id: string, props: Record<string, string | null>, modifiedAt?: string): void {
    const at = modifiedAt ?? this.stamp();
    this.objects.contacts.set(id, {
      id,
      properties: { createdate: at, ...props, hs_object_id: id, lastmodifieddate: at },
    });
  }

  addDeal(id: string, contactId: string, props: Record<string, string | null>, modifiedAt?: string): void {
    const at = modifiedAt ?? this.stamp();
    this.objects.deals.set(id, { id, properties: { ...props, hs_object_id: id, hs_lastmodifieddate: at } });
    this.associations.set(id, [contactId]);
  }

  archive(type: "contacts" | "deals", id: string): void {
    const r = this.objects[type].get(id);
    if (r) Object.assign(r, { archived: true, archivedAt: this.stamp() });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        try {
          this.handle(req, res, body);
        } catch (err) {
          send(res, 500, { status: "error", message: (err as Error).message, category: "INTERNAL_ERROR" });
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    this.stats.requests += 1;
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return send(res, 401, {
        status: "error",
        message: "Authentication credentials not found.",
        category: "INVALID_AUTHENTICATION",
      });
    }
    const budget = this.opts.budget ?? 100;
    const windowMs = this.opts.windowMs ?? 10_000;
    const now = Date.now();
    this.window = this.window.filter((t) => t > now - windowMs);
    const rateHeaders = {
      "X-HubSpot-RateLimit-Interval-Milliseconds": String(windowMs),
      "X-HubSpot-RateLimit-Max": String(budget),
      "X-HubSpot-RateLimit-Remaining": String(Math.max(0, budget - this.window.length - 1)),
    };
    if (this.window.length >= budget) {
      this.stats.rateLimited += 1;
      return send(
        res,
        429,
        {
          status: "error",
          message: "You have reached your ten_secondly_rolling limit.",
          errorType: "RATE_LIMIT",
          correlationId: "00000000-0000-0000-0000-000000000000",
          policyName: "TEN_SECONDLY_ROLLING",
        },
        {
          ...rateHeaders,
          ...(this.opts.retryAfterSeconds !== undefined ? { "Retry-After": String(this.opts.retryAfterSeconds) } : {}),
        },
      );
    }
    this.window.push(now);
    const injected = this.failNext.shift();
    if (injected) {
      this.stats.injected += 1;
      return send(res, injected, { status: "error", message: "injected failure", category: "INTERNAL_ERROR" });
    }
    const url = new URL(req.url ?? "/", "http://x");
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const inputs = body.inputs as unknown[] | undefined;
    if (Array.isArray(inputs)) {
      this.stats.maxInputs = Math.max(this.stats.maxInputs, inputs.length);
      if (inputs.length > 100) {
        return send(res, 400, {
          status: "error",
          category: "VALIDATION_ERROR",
          message: `Too many inputs: ${inputs.length}. The maximum number of inputs is 100.`,
        });
      }
    }
    let m: RegExpMatchArray | null;
    if (req.method === "GET" && (m = url.pathname.match(/^\/crm\/v3\/properties\/(\w+)$/))) {
      const props = this.properties[m[1] as "contacts" | "deals"];
      if (!props) return send(res, 404, { status: "error", category: "OBJECT_NOT_FOUND", message: "no such object" });
      return send(res, 200, { results: props.map((name) => ({ name, label: name, type: "string" })) }, rateHeaders);
    }
    if (req.method === "POST" && (m = url.pathname.match(/^\/crm\/v3\/objects\/(contacts|deals)\/search$/))) {
      return send(res, 200, this.search(m[1] as "contacts" | "deals", body), rateHeaders);
    }
    if (req.method === "GET" && (m = url.pathname.match(/^\/crm\/v3\/objects\/(contacts|deals)$/))) {
      const archived = url.searchParams.get("archived") === "true";
      const all = [...this.objects[m[1] as "contacts" | "deals"].values()].filter(
        (r) => Boolean(r.archived) === archived,
      );
      const after = Number(url.searchParams.get("after") ?? 0);
      const limit = Math.min(100, Number(url.searchParams.get("limit") ?? 10));
      const page = all.slice(after, after + limit);
      return send(res, 200, {
        results: page.map((r) => view(r, [])),
        ...(after + limit < all.length ? { paging: { next: { after: String(after + limit) } } } : {}),
      });
    }
    if (req.method === "POST" && url.pathname === "/crm/v3/objects/contacts/batch/read") {
      const props = (body.properties as string[]) ?? [];
      const found: object[] = [];
      const missing: string[] = [];
      for (const { id } of inputs as Array<{ id: string }>) {
        const r = this.objects.contacts.get(id);
        if (r && !r.archived) found.push(view(r, props));
        else missing.push(id);
      }
      return send(res, missing.length ? 207 : 200, batchBody(found, missing));
    }
    if (req.method === "POST" && url.pathname === "/crm/v3/objects/contacts/batch/update") {
      this.stats.batchUpdates += 1;
      const done: object[] = [];
      const missing: string[] = [];
      for (const input of inputs as Array<{ id: string; properties: Record<string, string> }>) {
        const r = this.objects.contacts.get(input.id);
        if (!r || r.archived) {
          missing.push(input.id);
          continue;
        }
        for (const [k, v] of Object.entries(input.properties)) {
          if (!this.properties.contacts.includes(k)) {
            return send(res, 400, {
              status: "error",
              category: "VALIDATION_ERROR",
              message: `Property values were not valid: property "${k}" does not exist`,
            });
          }
          // Multi-checkbox: the value replaces the whole set; "" clears it.
          r.properties[k] = v === "" ? null : v;
        }
        r.properties.lastmodifieddate = this.stamp();
        this.stats.updatesWritten += 1;
        done.push(view(r, Object.keys(input.properties)));
      }
      return send(res, missing.length ? 207 : 200, batchBody(done, missing));
    }
    if (req.method === "POST" && url.pathname === "/crm/v4/associations/deals/contacts/batch/read") {
      return send(res, 200, {
        status: "COMPLETE",
        results: (inputs as Array<{ id: string }>).map(({ id }) => ({
          from: { id },
          to: (this.associations.get(id) ?? []).map((c) => ({
            toObjectId: Number(c),
            associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 3, label: null }],
          })),
        })),
        startedAt: new Date().toISOString(),
        completedAt: new Date().toISOString(),
      });
    }
    return send(res, 404, {
      status: "error",
      category: "OBJECT_NOT_FOUND",
      message: `no route ${req.method} ${url.pathname}`,
    });
  }

  private search(type: "contacts" | "deals", body: Record<string, unknown>): object {
    const filter = (
      body.filterGroups as Array<{ filters: Array<{ propertyName: string; operator: string; value: string }> }>
    )?.[0]?.filters?.[0];
    const sortProp = type === "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";
    let rows = [...this.objects[type].values()].filter((r) => !r.archived);
    if (filter) {
      const min = Number(filter.value);
      if (filter.operator !== "GTE") throw new Error(`mock supports GTE filters only, got ${filter.operator}`);
      rows = rows.filter((r) => Date.parse(r.properties[filter.propertyName] ?? "") >= min);
    }
    rows.sort((a, b) => (a.properties[sortProp]! < b.properties[sortProp]! ? -1 : 1) || (a.id < b.id ? -1 : 1));
    const after = Number(body.after ?? 0);
    const limit = Math.min(200, Number(body.limit ?? 10));
    if (after + limit > 10_000) {
      throw new Error("search is limited to 10,000 results");
    }
    const props = (body.properties as string[]) ?? [];
    return {
      total: rows.length,
      results: rows.slice(after, after + limit).map((r) => view(r, props)),
      ...(after + limit < rows.length ? { paging: { next: { after: String(after + limit) } } } : {}),
    };
  }
}

function view(r: MockRecord, props: string[]): object {
  const properties: Record<string, string | null> = {
    hs_object_id: r.id,
    createdate: r.properties.createdate ?? null,
    lastmodifieddate: r.properties.lastmodifieddate ?? null,
  };
  for (const p of props) properties[p] = r.properties[p] ?? null;
  return {
    id: r.id,
    properties,
    createdAt: r.properties.createdate ?? new Date(0).toISOString(),
    updatedAt: r.properties.lastmodifieddate ?? r.properties.hs_lastmodifieddate ?? new Date(0).toISOString(),
    archived: Boolean(r.archived),
    ...(r.archivedAt ? { archivedAt: r.archivedAt } : {}),
  };
}

function batchBody(results: object[], missing: string[]): object {
  return {
    status: "COMPLETE",
    results,
    ...(missing.length
      ? {
          numErrors: 1,
          errors: [
            {
              status: "error",
              category: "OBJECT_NOT_FOUND",
              message: "Could not get some CONTACT objects, they may be deleted or not exist.",
              context: { ids: missing },
            },
          ],
        }
      : {}),
    startedAt: new Date().toISOString(),
    completedAt: new Date().toISOString(),
  };
}

function send(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json;charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

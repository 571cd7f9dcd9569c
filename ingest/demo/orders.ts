import type { Kysely } from "kysely";
import type { CrmDatabase, CrmOrderItemsTable, CrmOrdersTable } from "../crm/crm-schema.ts";
import { CATALOGUE, type Product } from "./catalogue.ts";
import type { Customer } from "./customers.ts";
import { localPrice } from "./markets.ts";
import type { Rng } from "./rng.ts";
import { DAY_MS, MIN_MS } from "./time.ts";

/**
 * CRM orders: payment method drives conversion (card converts better than COD, R25), some are
 * refunded later (updated_at moves), item names are the messy strings staff type (R9).
 */
export interface NewOrder {
  customer: Customer | null;
  crmId: string | null;
  at: number;
  product: Product;
  qty: number;
  unit: number;
  channel: "whatsapp" | "web" | "store" | "line";
  campaignId: string | null;
  endMs: number;
  currency?: string;
}

const PAID_PROB: Record<string, number> = { card: 0.92, wallet: 0.9, bank_transfer: 0.8, cod: 0.55 };

export function messyItemName(rng: Rng, p: Product, size: string | null): string {
  const base = rng.chance(0.25) ? p.name : (rng.pick(p.messy) as string);
  return size && rng.chance(0.7) ? `${base} ${rng.pick(["size ", "", "/", "sz "])}${size}` : base;
}

export class OrderSink {
  private orders: CrmOrdersTable[] = [];
  private items: CrmOrderItemsTable[] = [];
  private seq = 0;
  count = 0;
  /** WhatsApp customers missing from the CRM get a record when they first order (id, created at). */
  readonly lateContacts = new Map<number, { id: string; at: number }>();

  constructor(private readonly db: Kysely<CrmDatabase>) {}

  add(rng: Rng, o: NewOrder): { id: string; status: string; total: number } {
    const id = `SO${String(++this.seq).padStart(8, "0")}`;
    const market = o.customer?.market;
    const code = market?.code ?? "HK";
    const method = rng.pickWeighted([
      ["card", 40],
      ["cod", code === "IN" || code === "MY" ? 45 : 22],
      ["wallet", 22],
      ["bank_transfer", code === "BR" ? 25 : 12],
    ] as const);
    let status = "paid";
    let updated = o.at + rng.int(1, 30) * MIN_MS + rng.int(0, 999);
    if (!rng.chance(PAID_PROB[method] ?? 0.8)) {
      status = o.endMs - o.at < 3 * DAY_MS && rng.chance(0.6) ? "pending" : "cancelled";
      if (status === "pending") updated = o.at + rng.int(0, 999);
      else updated = o.at + rng.int(1, 48) * 60 * MIN_MS + rng.int(0, 999);
    } else if (rng.chance(0.05)) {
      const refundAt = o.at + rng.int(3, 20) * DAY_MS + rng.int(0, DAY_MS - 1);
      if (refundAt < o.endMs) {
        status = "refunded";
        updated = refundAt;
      }
    }
    if (updated >= o.endMs) updated = o.endMs - rng.int(1, 60_000);
    const lines: CrmOrderItemsTable[] = [];
    const size = o.product.sizes ? (rng.pick(o.product.sizes) as string) : null;
    lines.push(this.item(rng, id, 1, o.product, size, o.qty, o.unit));
    if (o.product.category === "phone" && rng.chance(0.3)) {
      const acc = CATALOGUE.filter((p) => p.category === "accessory");
      const a = rng.pick(acc);
      lines.push(this.item(rng, id, 2, a, null, 1, market ? localPrice(a.usd, market) : a.usd));
    }
    const total = Math.round(lines.reduce((s, l) => s + l.quantity * l.unit_price, 0) * 100) / 100;
    this.orders.push({
      id,
      contact_id: o.crmId ?? this.lateContact(o.customer, o.at),
      ordered_at: new Date(o.at).toISOString(),
      status,
      payment_method: method,
      channel: o.channel,
      campaign_id: o.campaignId,
      currency: o.currency ?? market?.currency ?? "HKD",
      total_amount: total,
      updated_at: new Date(Math.max(updated, o.at)).toISOString(),
    });
    this.items.push(...lines);
    this.count++;
    return { id, status, total };
  }

  private lateContact(c: Customer | null, at: number): string {
    const idx = c?.idx ?? -1;
    let late = this.lateContacts.get(idx);
    if (!late) {
      late = { id: `CW${String(idx + 1).padStart(7, "0")}`, at };
      this.lateContacts.set(idx, late);
    }
    return late.id;
  }

  private item(
    rng: Rng,
    orderId: string,
    lineNo: number,
    p: Product,
    size: string | null,
    qty: number,
    unit: number,
  ): CrmOrderItemsTable {
    const r = rng.float();
    return {
      order_id: orderId,
      line_no: lineNo,
      sku: r < 0.55 ? null : r < 0.62 ? "" : r < 0.66 ? p.sku.toLowerCase() : p.sku,
      product_name: messyItemName(rng, p, size),
      quantity: qty,
      unit_price: unit,
    };
  }

  async flushIfLarge(): Promise<void> {
    if (this.orders.length >= 5000) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.orders.length === 0) return;
    const orders = this.orders;
    const items = this.items;
    this.orders = [];
    this.items = [];
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < orders.length; i += 500)
        await trx
          .insertInto("orders")
          .values(orders.slice(i, i + 500))
          .execute();
      for (let i = 0; i < items.length; i += 1000)
        await trx
          .insertInto("order_items")
          .values(items.slice(i, i + 1000))
          .execute();
    });
  }
}

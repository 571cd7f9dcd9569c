import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * The mapping file: which tables (SQL), objects (HubSpot) or CSV columns hold contacts, orders and
 * products, and the default for each empty field (R7: empty customer grade -> "new customer").
 * Target field names are the raw.crm_* column names, so every connector lands the same shape.
 */
export const CONTACT_FIELDS = [
  "full_name",
  "phone",
  "country",
  "email",
  "customer_grade",
  "postal_code",
  "address",
  "city",
  "lead_source",
  "tags",
  "marketing_opt_in",
  "opt_in_at",
  "owner_agent_id",
  "created_at",
  "deleted_at",
] as const;
export const ORDER_FIELDS = [
  "contact_id",
  "ordered_at",
  "status",
  "payment_method",
  "channel",
  "campaign_id",
  "currency",
  "total_amount",
] as const;
export const PRODUCT_FIELDS = ["name", "brand", "category", "list_price", "currency"] as const;
export const ITEM_FIELDS = ["line_no", "sku", "product_name", "quantity", "unit_price"] as const;

export type ContactField = (typeof CONTACT_FIELDS)[number];
export type OrderField = (typeof ORDER_FIELDS)[number];
export type ProductField = (typeof PRODUCT_FIELDS)[number];

/** How each target field is typed; values that do not fit count as mapping errors (R7). */
export const FIELD_TYPES: Record<string, "text" | "timestamp" | "boolean" | "number" | "integer" | "country"> = {
  country: "country",
  marketing_opt_in: "boolean",
  opt_in_at: "timestamp",
  created_at: "timestamp",
  deleted_at: "timestamp",
  ordered_at: "timestamp",
  total_amount: "number",
  list_price: "number",
  line_no: "integer",
  quantity: "integer",
  unit_price: "number",
};

/** One source column, or several joined with a space (e.g. first name + last name). */
const column = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const defaultValue = z.union([z.string(), z.number(), z.boolean()]);

function entity<F extends readonly [string, ...string[]]>(fields: F) {
  return z
    .object({
      table: z.string().min(1),
      id: z.string().min(1),
      updatedAt: z.string().min(1),
      fields: z.partialRecord(z.enum(fields), column).default({}),
      defaults: z.partialRecord(z.enum(fields), defaultValue).default({}),
      /** Target fields whose emptiness (after defaults) is a mapping error. */
      required: z.array(z.enum(fields)).default([]),
    })
    .strict();
}

export const mappingSchema = z
  .object({
    contacts: entity(CONTACT_FIELDS as unknown as readonly [ContactField, ...ContactField[]]),
    orders: entity(ORDER_FIELDS as unknown as readonly [OrderField, ...OrderField[]]).optional(),
    products: entity(PRODUCT_FIELDS as unknown as readonly [ProductField, ...ProductField[]]).optional(),
    orderItems: z
      .object({
        table: z.string().min(1),
        orderId: z.string().min(1),
        fields: z.partialRecord(z.enum(ITEM_FIELDS), column).default({}),
      })
      .strict()
      .optional(),
    tags: z
      .object({
        /** Source column (or HubSpot multi-checkbox property) holding the tags; default contacts.fields.tags. */
        column: z.string().min(1).optional(),
        separator: z.string().min(1).default(";"),
        /** Only tags starting with this prefix are ours to add or remove. */
        namespace: z.string().min(1).default("scrm:"),
        /** SQL CRMs: also set the contact's updated_at column when writing tags. */
        touchUpdatedAt: z.boolean().default(false),
      })
      .strict()
      .default({ separator: ";", namespace: "scrm:", touchUpdatedAt: false }),
  })
  .strict();

export type CrmMapping = z.infer<typeof mappingSchema>;
export type EntityMapping = CrmMapping["contacts"];

export class MappingError extends Error {
  override readonly name = "MappingError";
}

export function parseMapping(raw: unknown, origin: string): CrmMapping {
  const result = mappingSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new MappingError(`invalid CRM mapping in ${origin}:\n${lines.join("\n")}`);
  }
  return result.data;
}

export function loadMappingFile(path: string): CrmMapping {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new MappingError(`CRM mapping ${path}: cannot read JSON: ${(err as Error).message}`);
  }
  return parseMapping(raw, path);
}

const identity = <F extends string>(fields: readonly F[]) =>
  Object.fromEntries(fields.map((f) => [f, f])) as unknown as Record<F, string>;

/** The embedded SQLite CRM (crm-schema.sql): every target field has a column of the same name. */
export const DEFAULT_SQL_MAPPING: CrmMapping = parseMapping(
  {
    contacts: {
      table: "contacts",
      id: "id",
      updatedAt: "updated_at",
      fields: identity(CONTACT_FIELDS),
      defaults: { customer_grade: "new customer" },
      required: ["full_name"],
    },
    orders: { table: "orders", id: "id", updatedAt: "updated_at", fields: identity(ORDER_FIELDS) },
    products: { table: "products", id: "sku", updatedAt: "updated_at", fields: identity(PRODUCT_FIELDS) },
    orderItems: { table: "order_items", orderId: "order_id", fields: identity(ITEM_FIELDS) },
    tags: { column: "tags", separator: ";", namespace: "scrm:", touchUpdatedAt: true },
  },
  "the built-in mapping",
);

/** HubSpot CRM objects: property names. `scrm_tags` must be a multiple-checkbox contact property. */
export const DEFAULT_HUBSPOT_MAPPING: CrmMapping = parseMapping(
  {
    contacts: {
      table: "contacts",
      id: "hs_object_id",
      updatedAt: "lastmodifieddate",
      fields: {
        full_name: ["firstname", "lastname"],
        phone: "phone",
        country: "country",
        email: "email",
        customer_grade: "customer_grade",
        city: "city",
        postal_code: "zip",
        address: "address",
        lead_source: "hs_analytics_source",
        tags: "scrm_tags",
        owner_agent_id: "hubspot_owner_id",
        created_at: "createdate",
      },
      defaults: { customer_grade: "new customer" },
      required: ["full_name"],
    },
    orders: {
      table: "deals",
      id: "hs_object_id",
      updatedAt: "hs_lastmodifieddate",
      fields: {
        contact_id: "associated_contact_id",
        ordered_at: "closedate",
        status: "dealstage",
        currency: "deal_currency_code",
        total_amount: "amount",
        channel: "pipeline",
      },
      defaults: {},
    },
    tags: { column: "scrm_tags", separator: ";", namespace: "scrm:" },
  },
  "the built-in HubSpot mapping",
);

/** Column headers of the vendors' CSV exports. */
export const CSV_PRESETS: Record<"hubspot" | "zoho" | "salesforce", CrmMapping> = {
  hubspot: parseMapping(
    {
      contacts: {
        table: "contacts",
        id: "Record ID",
        updatedAt: "Last Modified Date",
        fields: {
          full_name: ["First Name", "Last Name"],
          phone: "Phone Number",
          country: "Country/Region",
          email: "Email",
          city: "City",
          postal_code: "Postal Code",
          lead_source: "Original Source",
          owner_agent_id: "Contact owner",
          customer_grade: "Lifecycle Stage",
          created_at: "Create Date",
        },
        defaults: { customer_grade: "new customer" },
        required: ["full_name"],
      },
      orders: {
        table: "deals",
        id: "Record ID",
        updatedAt: "Last Modified Date",
        fields: {
          contact_id: "Associated Contact IDs",
          ordered_at: "Close Date",
          status: "Deal Stage",
          total_amount: "Amount",
          currency: "Currency",
        },
      },
    },
    "the HubSpot CSV preset",
  ),
  zoho: parseMapping(
    {
      contacts: {
        table: "Contacts",
        id: "Record Id",
        updatedAt: "Modified Time",
        fields: {
          full_name: ["First Name", "Last Name"],
          phone: "Mobile",
          country: "Mailing Country",
          email: "Email",
          city: "Mailing City",
          postal_code: "Mailing Zip",
          address: "Mailing Street",
          lead_source: "Lead Source",
          owner_agent_id: "Contact Owner",
          tags: "Tag",
          created_at: "Created Time",
        },
        defaults: { customer_grade: "new customer" },
        required: ["full_name"],
      },
      orders: {
        table: "Deals",
        id: "Record Id",
        updatedAt: "Modified Time",
        fields: {
          contact_id: "Contact Name.id",
          ordered_at: "Closing Date",
          status: "Stage",
          total_amount: "Amount",
          currency: "Currency",
        },
      },
    },
    "the Zoho CSV preset",
  ),
  salesforce: parseMapping(
    {
      contacts: {
        table: "Contact",
        id: "Id",
        updatedAt: "LastModifiedDate",
        fields: {
          full_name: ["FirstName", "LastName"],
          phone: "MobilePhone",
          country: "MailingCountry",
          email: "Email",
          city: "MailingCity",
          postal_code: "MailingPostalCode",
          address: "MailingStreet",
          lead_source: "LeadSource",
          owner_agent_id: "OwnerId",
          created_at: "CreatedDate",
        },
        defaults: { customer_grade: "new customer" },
        required: ["full_name"],
      },
      orders: {
        table: "Opportunity",
        id: "Id",
        updatedAt: "LastModifiedDate",
        fields: {
          contact_id: "ContactId",
          ordered_at: "CloseDate",
          status: "StageName",
          total_amount: "Amount",
          currency: "CurrencyIsoCode",
        },
      },
    },
    "the Salesforce CSV preset",
  ),
};

/** Every source column an entity mapping names (id, updated_at, fields), deduplicated. */
export function entityColumns(e: {
  id?: string;
  updatedAt?: string;
  orderId?: string;
  fields: Partial<Record<string, string | string[]>>;
}): string[] {
  const cols = new Set<string>();
  for (const c of [e.id, e.updatedAt, e.orderId]) if (c) cols.add(c);
  for (const v of Object.values(e.fields)) for (const c of Array.isArray(v) ? v : v ? [v] : []) cols.add(c);
  return [...cols];
}

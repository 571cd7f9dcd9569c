import type { CrmMapping } from "./mapping.ts";

/** A record as the CRM holds it: source column (or property) name -> value. */
export type SourceRow = Record<string, unknown>;

export type CrmEntity = "contacts" | "orders" | "products";

/** The outcome of writing one record's tag value. */
export interface TagWriteResult {
  readonly id: string;
  readonly ok: boolean;
  readonly error?: string;
}

/**
 * One interface for every CRM: read records changed since a watermark, list the ids that exist
 * (for deletion detection), read and write the tag field. Watermarks are ISO-8601 UTC instants.
 */
export interface CrmConnector {
  readonly kind: "sql" | "hubspot" | "csv";
  readonly mapping: CrmMapping;
  /** Refuses a mapping naming a missing table, object or column, with a message naming it. */
  validate(): Promise<void>;
  /** Rows changed at or after `since` (all rows when null), oldest first. */
  readChanged(entity: CrmEntity, since: string | null): AsyncIterable<SourceRow>;
  /** Order items of orders changed at or after `since`; each row carries `__order_updated_at`. */
  readOrderItems(since: string | null): AsyncIterable<SourceRow>;
  /**
   * Every id that currently exists, for hard-delete detection; null when the CRM cannot list them
   * cheaply (then `readDeleted` is used instead).
   */
  listIds(entity: "contacts" | "orders"): AsyncIterable<string> | null;
  /** Ids the CRM itself reports as deleted (HubSpot's archived records); null when not supported. */
  readDeleted(entity: "contacts" | "orders"): AsyncIterable<{ id: string; deletedAt: string | null }> | null;
  /** Current raw tag value per contact id (null when empty); ids not found are absent. */
  readTags(ids: readonly string[]): Promise<Map<string, string | null>>;
  /** Replaces the tag value of each contact as a whole. */
  writeTags(updates: ReadonlyArray<{ id: string; value: string }>): Promise<TagWriteResult[]>;
  close(): Promise<void>;
}

export class ConnectorError extends Error {
  override readonly name = "ConnectorError";
}

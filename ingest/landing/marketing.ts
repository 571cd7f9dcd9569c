/**
 * Marketing exports land as CSV files with a header row under `landing/marketing/<table>/`.
 * These are the columns, in order; the loader refuses a file whose header differs.
 */
export const MARKETING_TABLES = {
  campaigns: ["campaign_id", "name", "channel", "kind", "objective", "started_on", "ended_on", "budget", "currency"],
  ad_spend: ["spend_date", "channel", "campaign_id", "spend", "currency", "impressions", "clicks"],
  leads: ["lead_id", "created_at", "channel", "campaign_id", "phone", "country", "crm_contact_id"],
} as const;

export type MarketingTable = keyof typeof MARKETING_TABLES;

/** Channels that bring customers; WhatsApp is compared against the others (R26). */
export const CHANNELS = ["whatsapp", "line", "facebook", "instagram", "web", "store"] as const;

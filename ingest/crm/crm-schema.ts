/** Kysely's view of the embedded default CRM; the DDL is `crm-schema.sql` beside this file. */
export interface CrmContactsTable {
  id: string;
  full_name: string;
  phone: string | null;
  country: string | null;
  email: string | null;
  customer_grade: string | null;
  postal_code: string | null;
  address: string | null;
  city: string | null;
  lead_source: string | null;
  tags: string | null;
  marketing_opt_in: number;
  opt_in_at: string | null;
  owner_agent_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface CrmProductsTable {
  sku: string;
  name: string;
  brand: string;
  category: string;
  list_price: number;
  currency: string;
  updated_at: string;
}

export interface CrmOrdersTable {
  id: string;
  contact_id: string;
  ordered_at: string;
  status: string;
  payment_method: string;
  channel: string;
  campaign_id: string | null;
  currency: string;
  total_amount: number;
  updated_at: string;
}

export interface CrmOrderItemsTable {
  order_id: string;
  line_no: number;
  sku: string | null;
  product_name: string;
  quantity: number;
  unit_price: number;
}

export interface CrmDatabase {
  contacts: CrmContactsTable;
  products: CrmProductsTable;
  orders: CrmOrdersTable;
  order_items: CrmOrderItemsTable;
}

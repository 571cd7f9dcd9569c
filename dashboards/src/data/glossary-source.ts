// Pure parsing of the dbt manifest into glossary entries; not a loader. Tested directly.

export interface GlossaryColumn {
  name: string;
  description: string;
}
export interface GlossaryModel {
  id: string; // "marts.fct_orders"
  name: string;
  schema: string;
  description: string;
  columns: GlossaryColumn[];
}
export interface GlossaryMetric {
  name: string;
  description: string;
  /** Where the definition came from: the model's meta.metrics or its description. */
  source: string;
}

interface ManifestNode {
  resource_type?: string;
  name?: string;
  schema?: string;
  config?: { schema?: string | null };
  description?: string;
  columns?: Record<string, { name?: string; description?: string }>;
  meta?: Record<string, unknown>;
  config_meta?: unknown;
  fqn?: string[];
}

/** Splits "a, b (x, y), c" at commas outside parentheses. */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * Metric definitions of a KPI model: `meta.metrics` ({name: description | {description}}) when
 * the YAML has it, else the "Metrics: a, b (definition), ..." list of its description.
 */
export function metricsOf(node: ManifestNode): GlossaryMetric[] {
  const meta = (node.meta ?? (node.config as { meta?: Record<string, unknown> } | undefined)?.meta ?? {}) as Record<string, unknown>;
  const id = `${node.schema ?? "marts"}.${node.name}`;
  if (meta.metrics && typeof meta.metrics === "object") {
    return Object.entries(meta.metrics as Record<string, unknown>).map(([name, v]) => ({
      name,
      description: typeof v === "string" ? v : String((v as { description?: string })?.description ?? ""),
      source: `${id} (meta.metrics)`,
    }));
  }
  const m = /Metrics:\s*([\s\S]*?)(?:\.\s*$|\.\s+[A-Z]|$)/.exec(node.description ?? "");
  if (!m) return [];
  const out: GlossaryMetric[] = [];
  for (const item of splitTopLevel(m[1]!)) {
    const mm = /^([a-z][a-z0-9_]*)\s*(?:\(([\s\S]*)\))?\s*$/.exec(item.trim());
    if (mm) out.push({ name: mm[1]!, description: (mm[2] ?? "").trim(), source: `${id} (description)` });
  }
  return out;
}

/** Models of the given schemas (marts, ml) with their column descriptions, sorted by name. */
export function glossaryFromManifest(manifest: { nodes?: Record<string, ManifestNode> }, schemas: readonly string[] = ["marts", "ml"]) {
  const models: GlossaryModel[] = [];
  const metrics: GlossaryMetric[] = [];
  for (const node of Object.values(manifest.nodes ?? {})) {
    if (node.resource_type !== "model" || !node.name) continue;
    const schema = String(node.config?.schema ?? node.schema ?? "");
    const inSchema = schemas.some((s) => schema === s || schema.endsWith(`_${s}`) || (node.fqn ?? []).includes(s));
    if (!inSchema) continue;
    const short = schemas.find((s) => schema === s || schema.endsWith(`_${s}`) || (node.fqn ?? []).includes(s)) ?? schema;
    models.push({
      id: `${short}.${node.name}`,
      name: node.name,
      schema: short,
      description: node.description ?? "",
      columns: Object.values(node.columns ?? {}).map((c) => ({ name: String(c.name ?? ""), description: c.description ?? "" })),
    });
    metrics.push(...metricsOf({ ...node, schema: short }));
  }
  models.sort((a, b) => a.id.localeCompare(b.id));
  const seen = new Set<string>();
  const unique = metrics.filter((m) => !seen.has(m.name) && seen.add(m.name)).sort((a, b) => a.name.localeCompare(b.name));
  return { models, metrics: unique };
}

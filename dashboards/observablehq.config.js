// Observable Framework configuration for the executive dashboard site.
// Built by dashboards/build.ts (`scrm dashboards`), which sets SCRM_WAREHOUSE, SCRM_SITE_DIR and
// SCRM_TIMEZONE. Paths resolve relative to this file, so the build works from any directory.
// Offline by construction: no Google fonts (Framework's default global stylesheet), no links
// to observablehq.com in the footer, libraries imported from node_modules by the pages.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const timeZone = process.env.SCRM_TIMEZONE || "UTC";
const builtAt = new Date();

function formatBuiltAt(date) {
  try {
    return new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
      timeZoneName: "short",
    }).format(date);
  } catch {
    return date.toISOString();
  }
}

export default {
  root: resolve(here, "src"),
  output: process.env.SCRM_SITE_DIR ? resolve(process.env.SCRM_SITE_DIR) : resolve(here, "dist"),
  title: "WhatsApp CRM dashboards",
  // Links end in .html so the site works from any static file server, not only clean-URL hosts.
  cleanUrls: false,
  pages: [
    { name: "Overview", path: "/" },
    { name: "Funnel", path: "/funnel" },
    { name: "Cost per acquisition", path: "/cpa" },
    { name: "Service efficiency", path: "/service" },
    { name: "Conversations and keywords", path: "/conversations" },
    { name: "Broadcasts and templates", path: "/broadcasts" },
    { name: "Anomalies", path: "/anomalies" },
    { name: "Churn risk", path: "/churn" },
    { name: "Data health", path: "/health" },
    { name: "Glossary", path: "/glossary" },
  ],
  pager: false,
  theme: ["air", "near-midnight"],
  // Framework's default is a Google Fonts stylesheet; the site must not touch the network.
  globalStylesheets: [],
  // An empty inline icon: browsers otherwise request /favicon.ico, a 404 in the console.
  head: `<meta name="robots" content="noindex"><link rel="icon" href="data:,">`,
  footer: `Built ${formatBuiltAt(builtAt)} (<time datetime="${builtAt.toISOString()}">${builtAt.toISOString()}</time>) from the SCRM warehouse. Aggregates only; no personal data.`,
  search: false,
  linkify: false,
};

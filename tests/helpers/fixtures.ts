import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../core/project.ts";

/** The real Cloud API payloads vendored in tests/fixtures (sources and licences in its README) (pywa maps case -> envelope; restfb is one each). */
export const FIXTURES_DIR = join(PROJECT_ROOT, "tests", "fixtures", "whatsapp-webhooks");

export interface FixtureBody {
  readonly name: string;
  readonly body: string;
}

export function fixtureBodies(): FixtureBody[] {
  const out: FixtureBody[] = [];
  for (const file of readdirSync(join(FIXTURES_DIR, "pywa")).sort()) {
    const cases = JSON.parse(readFileSync(join(FIXTURES_DIR, "pywa", file), "utf8")) as Record<string, unknown>;
    for (const [name, envelope] of Object.entries(cases)) {
      out.push({ name: `pywa/${file}#${name}`, body: JSON.stringify(envelope) });
    }
  }
  for (const file of readdirSync(join(FIXTURES_DIR, "restfb")).sort()) {
    out.push({ name: `restfb/${file}`, body: readFileSync(join(FIXTURES_DIR, "restfb", file), "utf8") });
  }
  return out;
}

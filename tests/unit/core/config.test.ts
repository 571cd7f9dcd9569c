import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig } from "../../../core/config.ts";
import { tempHome } from "../../helpers/temp-home.ts";

describe("configuration", () => {
  it("has working defaults with no file", () => {
    const { home, cleanup } = tempHome();
    try {
      const { config, file } = loadConfig(home.root, {});
      expect(file).toBeNull();
      expect(config.business.timezone).toBe("Asia/Hong_Kong");
      expect(config.sources.crm).toEqual({ kind: "sqlite", path: "crm/crm.sqlite" });
    } finally {
      cleanup();
    }
  });

  it("refuses an invalid file naming the key", () => {
    const { home, cleanup } = tempHome();
    try {
      writeFileSync(home.configFile, JSON.stringify({ business: { timezone: "Mars/Olympus" }, dbt: { threads: 0 } }));
      expect(() => loadConfig(home.root, {})).toThrow(ConfigError);
      expect(() => loadConfig(home.root, {})).toThrow(/business\.timezone: not an IANA time zone.*scrm\.config\.json/);
      expect(() => loadConfig(home.root, {})).toThrow(/dbt\.threads/);
    } finally {
      cleanup();
    }
  });

  it("refuses unknown keys (a typo must not be silently ignored)", () => {
    expect(() => parseConfig({ busines: {} }, "test.json", {})).toThrow(/busines|Unrecognized/);
  });

  it("lets the environment override the file, and says so when the value is bad", () => {
    const config = parseConfig({}, "f", { SCRM_TIMEZONE: "Asia/Seoul", WHATSAPP_APP_SECRET: "a, b" });
    expect(config.business.timezone).toBe("Asia/Seoul");
    expect(config.receiver.appSecrets).toEqual(["a", "b"]);
    expect(() => parseConfig({}, "f", { SCRM_TIMEZONE: "Nowhere" })).toThrow(/environment variable SCRM_TIMEZONE/);
  });
});

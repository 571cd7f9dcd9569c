import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // DuckDB files and dbt runs are heavy; two cores, so keep to two workers.
    maxWorkers: 2,
    minWorkers: 1,
    env: { TZ: "UTC" },
  },
});

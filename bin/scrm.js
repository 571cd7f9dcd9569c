#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so no build step stands between a clone and `npx scrm`.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./cli.ts");
process.exitCode = await main(process.argv);

/**
 * The receiver as a standalone process, for the crash test and the benchmark (run with tsx):
 *   SCRM_HOME=<dir> WHATSAPP_APP_SECRET=<s> node --import tsx ingest/receiver/run-child.ts
 * Optional env: RECEIVER_PORT (default 0 = any), RECEIVER_DURABLE=0, RECEIVER_WRITER_ID,
 * RECEIVER_SEGMENT_MAX_BYTES, RECEIVER_SEGMENT_MAX_AGE_MS. Prints `READY <port>` on stdout once
 * listening; stops gracefully on SIGTERM/SIGINT (exit 0).
 */
import { parseConfig } from "../../core/config.ts";
import { homeLayout } from "../../core/home.ts";
import { consoleLogger } from "../../core/log.ts";
import { startReceiver } from "./server.ts";

const env = process.env;
const home = homeLayout(env.SCRM_HOME ?? "data");
const config = parseConfig({ receiver: { port: Number(env.RECEIVER_PORT ?? 0) } }, "run-child", env);
const log = consoleLogger();
const num = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number(v));

try {
  const receiver = await startReceiver({
    home,
    config: config.receiver,
    log,
    writerId: env.RECEIVER_WRITER_ID ?? "rcv",
    durable: env.RECEIVER_DURABLE !== "0",
    segmentMaxBytes: num(env.RECEIVER_SEGMENT_MAX_BYTES),
    segmentMaxAgeMs: num(env.RECEIVER_SEGMENT_MAX_AGE_MS),
  });
  process.stdout.write(`READY ${receiver.port}\n`);
  const stop = () => {
    receiver.close().then(
      () => process.exit(0),
      (err: Error) => {
        log.error(err.message);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
} catch (err) {
  log.error((err as Error).message);
  process.exit(2);
}

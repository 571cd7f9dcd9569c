import type { Config } from "../../core/config.ts";
import type { HomeLayout } from "../../core/home.ts";
import type { Logger } from "../../core/log.ts";
import { startReceiver, type ReceiverOptions } from "./server.ts";

/**
 * `scrm serve`: runs the webhook receiver until SIGTERM or SIGINT, then stops gracefully (stops
 * accepting, finishes in-flight requests, seals the open segment) and resolves.
 */
export async function serveCommand(opts: {
  home: HomeLayout;
  config: Config;
  log: Logger;
  /** Extra receiver options (writer id, allowUnsigned for local testing, rotation). */
  receiver?: Partial<Omit<ReceiverOptions, "home" | "config" | "log">>;
  /** Where the URL is printed (default stdout). */
  out?: NodeJS.WritableStream;
}): Promise<void> {
  const receiver = await startReceiver({
    ...opts.receiver,
    home: opts.home,
    config: opts.config.receiver,
    log: opts.log,
  });
  const out = opts.out ?? process.stdout;
  out.write(`receiving WhatsApp webhooks at ${receiver.url}\n`);
  out.write(`health  ${receiver.url.replace(/\/webhook$/, "/healthz")}\n`);
  out.write(`metrics ${receiver.url.replace(/\/webhook$/, "/metrics")}\n`);
  out.write(`landing ${opts.home.landing.webhooks}\n`);
  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        opts.log.warn(`${signal} again while stopping; still finishing in-flight requests`);
        return;
      }
      stopping = true;
      opts.log.info(`${signal}: stopping the receiver (finishing in-flight requests, sealing the open segment)`);
      receiver.close().then(
        () => {
          process.off("SIGTERM", stop);
          process.off("SIGINT", stop);
          resolve();
        },
        (err: unknown) => {
          process.off("SIGTERM", stop);
          process.off("SIGINT", stop);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}

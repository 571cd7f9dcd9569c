/**
 * Receiver throughput: requests/s and latency for ~2 KB signed webhook POSTs on loopback, with
 * durable acknowledgement (group-commit fdatasync) against the same server with fsync off. Both
 * receivers run as child processes at once; rounds alternate between them so that other load on
 * the machine hits both alike, and each mode reports its median round. The load generator (this
 * process) uses node:http keep-alive agents with `--concurrency` requests in flight.
 *   npx tsx bench/receiver.ts [--seconds 2] [--rounds 3] [--concurrency 64] [--bytes 2048]
 */
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { textTable } from "../core/text-table.ts";
import {
  keepAliveAgent,
  percentile,
  postWebhook,
  spawnReceiver,
  statusWebhookBody,
  type ChildReceiver,
} from "../ingest/receiver/load-client.ts";
import { signBody } from "../ingest/receiver/signature.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
    warmup: { type: "string", default: "1" },
    concurrency: { type: "string", default: "64" },
    max: { type: "string", default: "200000" },
    bytes: { type: "string", default: "2048" },
  },
});
const SECRET = "bench-app-secret";
const concurrency = Number(values.concurrency);
const bytes = Number(values.bytes);
const CLK = 100; // USER_HZ

interface Round {
  ok: number;
  errors: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  serverCpu: number;
  clientCpu: number;
}

interface Mode {
  name: string;
  durable: boolean;
  dir: string;
  rcv: ChildReceiver;
  rounds: Round[];
  pool: Array<{ body: Buffer; headers: Record<string, string> }>;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

async function startMode(durable: boolean): Promise<Mode> {
  const dir = mkdtempSync(join(tmpdir(), "scrm-bench-receiver-"));
  const rcv = await spawnReceiver({
    SCRM_HOME: dir,
    WHATSAPP_APP_SECRET: SECRET,
    RECEIVER_DURABLE: durable ? "1" : "0",
    RECEIVER_WRITER_ID: durable ? "benchd" : "benchn",
  });
  // Bodies and signatures are prepared before the clock starts so that the client, which shares
  // the machine's two cores with the server, spends its time on HTTP only.
  const pool = Array.from({ length: 2048 }, (_, i) => {
    const body = statusWebhookBody(`wamid.bench.${durable ? "d" : "n"}.${i}`, bytes);
    return { body, headers: { "x-hub-signature-256": signBody(SECRET, body) } };
  });
  return { name: durable ? "durable ack (fdatasync)" : "fsync off", durable, dir, rcv, rounds: [], pool };
}

async function drive(mode: Mode, ms: number, max: number): Promise<Round> {
  const agent = keepAliveAgent(concurrency);
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let n = 0;
  const until = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < until && ok + errors < max) {
      const { body, headers } = mode.pool[n++ % mode.pool.length]!;
      const t0 = performance.now();
      try {
        const r = await postWebhook(agent, mode.rcv.port, body, headers);
        if (r.status === 200) ok += 1;
        else errors += 1;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - t0);
    }
  };
  const server0 = cpuTicks(mode.rcv.child.pid!);
  const client0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - started;
  const serverCpu = ((cpuTicks(mode.rcv.child.pid!) - server0) / CLK / (elapsed / 1000)) * 100;
  const c = process.cpuUsage(client0);
  const clientCpu = ((c.user + c.system) / 1000 / elapsed) * 100;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    ok,
    errors,
    rps: Math.round(ok / (elapsed / 1000)),
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    serverCpu,
    clientCpu,
  };
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const median = (rounds: Round[]) => [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]!;

const modes = [await startMode(true), await startMode(false)];
try {
  for (const m of modes) await drive(m, Number(values.warmup) * 1000, Infinity);
  for (let i = 0; i < Number(values.rounds); i++) {
    for (const m of i % 2 === 0 ? modes : [...modes].reverse()) {
      m.rounds.push(await drive(m, Number(values.seconds) * 1000, Number(values.max)));
    }
  }
  const metrics = await Promise.all(
    modes.map(
      async (m) =>
        (await (await fetch(`http://127.0.0.1:${m.rcv.port}/metrics`)).json()) as {
          group_commit: { mean_batch: number };
        },
    ),
  );
  process.stdout.write(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} (other work on the machine skews these figures)\n`,
  );
  process.stdout.write(
    `receiver: ~${bytes} B signed POSTs, ${concurrency} keep-alive clients in flight, loopback, ` +
      `${values.rounds} alternating rounds of ${values.seconds} s per mode (median round shown)\n\n`,
  );
  process.stdout.write(
    textTable(
      [
        "mode",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "errors",
        "rounds req/s",
        "srv cpu%",
        "cli cpu%",
        "req/srv-cpu-s",
        "lines/fsync",
      ],
      modes.map((m, i) => {
        const r = median(m.rounds);
        return [
          m.name,
          r.rps,
          r2(r.p50),
          r2(r.p90),
          r2(r.p99),
          r2(r.max),
          m.rounds.reduce((n, x) => n + x.errors, 0),
          m.rounds.map((x) => x.rps).join(" "),
          Math.round(r.serverCpu),
          Math.round(r.clientCpu),
          Math.round(r.rps / (r.serverCpu / 100)),
          m.durable ? metrics[i]!.group_commit.mean_batch : "-",
        ];
      }),
    ).replace(/\n\(\d+ rows?\)$/, "") + "\n\n",
  );
  const d = median(modes[0]!.rounds);
  const n = median(modes[1]!.rounds);
  process.stdout.write(
    "srv cpu% = the receiver process's CPU use during the round (100 = one full core); req/srv-cpu-s = req/s\n" +
      "per second of receiver CPU, i.e. what one uncontended core would sustain if the client kept up.\n\n",
  );
  process.stdout.write(`durable / fsync-off throughput: ${(d.rps / n.rps).toFixed(2)}\n`);
  process.stdout.write(
    `target >= 5000 req/s with p99 < 50 ms (durable): ${d.rps >= 5000 && d.p99 < 50 ? "met" : "NOT met"}\n`,
  );
} finally {
  for (const m of modes) {
    m.rcv.child.kill("SIGTERM");
    await m.rcv.exited;
    rmSync(m.dir, { recursive: true, force: true });
  }
}

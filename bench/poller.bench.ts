// npm run bench: how many list requests it takes, and how late completion is noticed, when many
// resources wait on one server at once. Compared, over real HTTP against the emulator:
//   - this project's shared poller (one list per tick for every waiter on the server),
//   - Terraform's StateChangeConf style (each resource polls alone, backoff from 100 ms doubling to 10 s),
//   - AWS SDK waiter style (each resource polls alone, every 15 s).
// Time is scaled down 10x so the run takes seconds: jobs finish 1.5 s to 6 s after they start, and
// every policy's intervals are divided by 10 likewise. Lags are reported multiplied back by 10.
import { startEmulator } from "../emulator";
import { VpsOrgClient } from "../provider/client";
import type { Snapshot } from "../provider/client/schemas";
import { Poller } from "../provider/wait/poller";

const SCALE = 10;
const WAITERS = 5; // the API allows 5 snapshots per server
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Result {
  policy: string;
  requests: number;
  meanLagMs: number;
  maxLagMs: number;
}

/** A waiter that polls on its own with a given interval schedule. */
async function pollAlone(client: VpsOrgClient, serverId: number, id: number, nextDelay: (n: number) => number) {
  for (let n = 0; ; n++) {
    await sleep(nextDelay(n));
    const item = (await client.snapshots.list({ serverId })).find((s) => s.id === id);
    if (item?.status === "completed") return Date.now();
  }
}

async function run(policy: string): Promise<Result> {
  const emulator = await startEmulator({ tokens: ["vps_bench"], manual: true });
  const control = `${emulator.controlUrl}`;
  const client = new VpsOrgClient({ token: "vps_bench", baseUrl: emulator.url });
  try {
    // Free the server's snapshot slots, then start WAITERS jobs that finish at staggered times.
    for (const s of await client.snapshots.list({ serverId: 12345 })) await client.snapshots.delete(s.id);
    const jobs: Array<{ job: Snapshot; doneAt: number }> = [];
    const start = Date.now();
    for (let i = 0; i < WAITERS; i++) {
      const job = await client.snapshots.create({ serverId: 12345, name: `bench-${i}` });
      jobs.push({ job, doneAt: start + 1500 + i * 1100 });
    }
    await fetch(`${control}/requests`, { method: "DELETE" });
    const completer = (async () => {
      for (const { job, doneAt } of jobs) {
        await sleep(Math.max(0, doneAt - Date.now()));
        await fetch(`${control}/jobs/snapshots/${job.id}/complete`, { method: "POST" });
      }
    })();

    const poller = new Poller({ minIntervalMs: 1000 / SCALE, maxIntervalMs: 10_000 / SCALE });
    const detected = await Promise.all(
      jobs.map(({ job }) => {
        if (policy === "pulumi-vpsorg shared poller") {
          return poller.wait(
            "bench|snapshots|12345",
            () => client.snapshots.list({ serverId: 12345 }),
            (items) => (items.find((s) => s.id === job.id)?.status === "completed" ? { done: Date.now() } : undefined),
            { timeoutMs: 120_000, onTimeout: () => new Error("timeout") },
          );
        }
        if (policy === "Terraform StateChangeConf (per resource)") {
          return pollAlone(client, 12345, Number(job.id), (n) => Math.min(10_000, 100 * 2 ** n) / SCALE);
        }
        return pollAlone(client, 12345, Number(job.id), () => 15_000 / SCALE);
      }),
    );
    await completer;
    const counts = (await (await fetch(`${control}/requests`)).json()) as { byRoute: Record<string, number> };
    const lags = detected.map((at, i) => at - jobs[i].doneAt);
    return {
      policy,
      requests: counts.byRoute["GET /api/v1/snapshots/"] ?? 0,
      meanLagMs: Math.round(lags.reduce((a, b) => a + b, 0) / lags.length),
      maxLagMs: Math.max(...lags),
    };
  } finally {
    await emulator.close();
  }
}

async function main() {
  const policies = [
    "pulumi-vpsorg shared poller",
    "Terraform StateChangeConf (per resource)",
    "AWS SDK waiter, 15 s delay (per resource)",
  ];
  const results: Result[] = [];
  for (const policy of policies) results.push(await run(policy));
  console.log(`${WAITERS} snapshots of one server completing 1.1 s apart (time scaled 1/${SCALE}):\n`);
  console.log("| policy | list requests | mean detection lag | max lag |\n| --- | --- | --- | --- |");
  for (const r of results) {
    console.log(`| ${r.policy} | ${r.requests} | ${r.meanLagMs * SCALE} ms | ${r.maxLagMs * SCALE} ms |`);
  }
  console.log("\n(lags shown at real-world scale, i.e. multiplied back by the scale factor)");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

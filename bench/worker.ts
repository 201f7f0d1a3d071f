// One policy in one scenario, in a process of its own (forked by bench/main.ts), so that its
// peak RSS is its own and our shared poller starts fresh with the scaled settings. The emulator
// runs in the parent; this process only creates, waits, and completes jobs at their times.
import { proveGone } from "../provider/operations/proof";
import { createRuntime } from "../provider/runtime";
import { waitForSnapshot } from "../provider/wait/jobs";
import type { PlannedJob } from "./config";
import { PeerClient } from "./peer-http";
import { peerDelays, type PolicyId, scaledClientOptions, scaledSettings } from "./policies";

export interface WorkerTask {
  policy: PolicyId;
  scale: number;
  apiUrl: string;
  controlUrl: string;
  token: string;
  /** "sequential": (a), one job at a time; "together": (b), (c); "refresh": (d). */
  shape: "sequential" | "together" | "refresh";
  /** Emulator server ids, indexed by PlannedJob.server. */
  serverIds: number[];
  jobs: PlannedJob[];
  /** For "refresh": the snapshots to read, by server id. */
  reads: Array<{ serverId: number; id: number }>;
  /** Take a GC'd look at memory once every create has answered (needs --expose-gc). */
  measureMemory: boolean;
}

export interface WorkerResult {
  /** Detection lags, scaled time (ms): from the job's completion to its wait returning. */
  lagsMs: number[];
  failures: number;
  failureSamples: string[];
  /** Scaled ms from the start to the last wait (or read) settling, and to the last job completing. */
  wallMs: number;
  lastDoneMs: number;
  rssStartBytes: number;
  rssPeakBytes: number;
  heapStartBytes: number;
  heapPeakBytes: number;
  /**
   * Memory held by waiting, after a full GC: at the start, and once every create has answered
   * while `pendingWaits` waits were still waiting (scenario (e) only: a full GC pauses the process).
   */
  retained?: { pendingWaits: number; heapBytes: number; rssBytes: number; baseHeapBytes: number; baseRssBytes: number };
  /** Lines the process wrote to stderr (progress and retry lines: what a user's terminal shows); set by the parent. */
  stderrLines: number;
  notes: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runTask(task: WorkerTask): Promise<WorkerResult> {
  // Ours runs as a provider process does, on a runtime of its own (its settings scaled); the peers
  // talk through a model of their SDKs' HTTP (peer-http.ts).
  const runtime = createRuntime({
    settings: scaledSettings(task.scale),
    clientOptions: scaledClientOptions(task.scale),
  });
  const client = runtime.clientFor({ token: task.token, baseUrl: task.apiUrl });
  const peer = new PeerClient(task.apiUrl, task.token, task.scale);
  const result: WorkerResult = {
    lagsMs: [],
    failures: 0,
    failureSamples: [],
    wallMs: 0,
    lastDoneMs: 0,
    rssStartBytes: 0,
    rssPeakBytes: 0,
    heapStartBytes: 0,
    heapPeakBytes: 0,
    stderrLines: 0,
    notes: [],
  };
  const fail = (what: string, error: unknown) => {
    result.failures++;
    const message = `${what}: ${(error as Error)?.message ?? String(error)}`;
    if (result.failureSamples.length < 3 && !result.failureSamples.includes(message))
      result.failureSamples.push(message);
  };
  if (task.policy === "ours") {
    result.notes.push(`our poll settings (scaled): ${JSON.stringify(runtime.poller.settings)}`);
  }
  const sampleMemory = () => {
    const { rss, heapUsed } = process.memoryUsage();
    result.rssPeakBytes = Math.max(result.rssPeakBytes, rss);
    result.heapPeakBytes = Math.max(result.heapPeakBytes, heapUsed);
  };
  const start0 = process.memoryUsage();
  result.rssStartBytes = result.rssPeakBytes = start0.rss;
  result.heapStartBytes = result.heapPeakBytes = start0.heapUsed;
  const sampler = setInterval(sampleMemory, 25);
  const gc = (globalThis as { gc?: () => void }).gc;
  const measureRetained = gc && task.measureMemory;
  let base: NodeJS.MemoryUsage | undefined;
  if (measureRetained) {
    gc();
    base = process.memoryUsage();
  }
  let createsAnswered = 0;
  let pendingWaits = 0;
  /** Once every create has answered: a full GC and one look at what the waiting holds. */
  const createAnswered = () => {
    if (++createsAnswered !== task.jobs.length || !measureRetained || !base) return;
    gc();
    const now = process.memoryUsage();
    result.retained = {
      pendingWaits,
      heapBytes: now.heapUsed,
      rssBytes: now.rss,
      baseHeapBytes: base.heapUsed,
      baseRssBytes: base.rss,
    };
  };
  const started = performance.now();
  const timeoutMs = (30 * 60_000) / task.scale; // the Snapshot resource's default waitTimeout

  /** Ours lists a server through listOnServer (coalesced), as the provider's create and read do. */
  const listOurs = (serverId: number) => runtime.reads.list(client, "snapshot", serverId);

  const completions: Array<Promise<void>> = [];
  async function oneJob(job: PlannedJob, index: number): Promise<void> {
    const serverId = task.serverIds[job.server];
    let id: number;
    try {
      const name = `bench-${index}`;
      if (task.policy === "ours") {
        await listOurs(serverId); // the provider's look before POST
        id = Number((await client.snapshots.create({ serverId, name })).id);
      } else {
        id = Number((await peer.createSnapshot(serverId, name)).id);
      }
    } catch (error) {
      fail("create", error);
      createAnswered();
      return;
    }
    let doneAt = Number.POSITIVE_INFINITY;
    completions.push(
      sleep(job.durationMs / task.scale).then(async () => {
        doneAt = performance.now(); // before the control call: a wait cannot see it any sooner
        result.lastDoneMs = Math.max(result.lastDoneMs, doneAt - started);
        const response = await fetch(`${task.controlUrl}/jobs/snapshots/${id}/complete`, { method: "POST" });
        if (!response.ok) throw new Error(`control: completing snapshot ${id} answered ${response.status}`);
      }),
    );
    const waiting =
      task.policy === "ours"
        ? waitForSnapshot(runtime.poller, client, serverId, id, { timeoutMs })
        : pollAlone(peer, serverId, id, peerDelays(task.policy), task.scale, timeoutMs);
    pendingWaits++;
    createAnswered();
    try {
      await waiting;
      result.lagsMs.push(performance.now() - doneAt);
    } catch (error) {
      fail("wait", error);
    } finally {
      pendingWaits--;
    }
  }

  try {
    if (task.shape === "sequential") {
      for (const [i, job] of task.jobs.entries()) await oneJob(job, i);
    } else if (task.shape === "together") {
      await Promise.all(task.jobs.map((job, i) => oneJob(job, i)));
    } else {
      if (task.policy === "ours")
        result.notes.push(
          "refresh reads: coalesced through provider/reads/batcher.ts, as the provider's read; an object " +
            "missing from its list is proven gone (its server visible and the same) before it counts as gone",
        );
      const read = (serverId: number) => (task.policy === "ours" ? listOurs(serverId) : peer.listSnapshots(serverId));
      const proof = {
        client,
        reads: runtime.reads,
        source: { account: "the bench's account", token: "the bench", howToSet: "", url: "", baseUrl: task.apiUrl },
        deletedServers: new Set<string>(),
      };
      let gone = 0;
      await Promise.all(
        task.reads.map(async ({ serverId, id }) => {
          try {
            const items = (await read(serverId)) as Array<{ id: unknown }>;
            if (items.some((item) => Number(item.id) === id)) return;
            // Ours drops nothing without proof; the peers take the missing object as gone.
            if (task.policy === "ours") await proveGone(proof, `snapshot ${id}`, serverId, undefined);
            gone++;
          } catch (error) {
            fail("read", error);
          }
        }),
      );
      result.notes.push(`refresh: ${gone} of ${task.reads.length} objects found gone`);
    }
    result.wallMs = performance.now() - started;
    await Promise.all(completions);
  } finally {
    clearInterval(sampler);
    sampleMemory();
  }
  return result;
}

/** A peer's wait: sleep, list the server, look for the snapshot; errors (after the client's retries) end it. */
async function pollAlone(
  peer: PeerClient,
  serverId: number,
  id: number,
  nextDelay: () => number,
  scale: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    await sleep(nextDelay() / scale);
    if (performance.now() > deadline) throw new Error(`snapshot ${id} still in progress at the deadline`);
    const item = (await peer.listSnapshots(serverId)).find((s) => Number(s.id) === id);
    if (item?.status === "completed") return;
    if (item?.status === "failed") throw new Error(`snapshot ${id} failed`);
  }
}

// Forked by main.ts: one task in, one result out.
if (require.main === module) {
  process.once("message", (task: WorkerTask) => {
    runTask(task).then(
      (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
      (error: Error) => process.send?.({ ok: false, error: error.stack ?? String(error) }, () => process.exit(1)),
    );
  });
}

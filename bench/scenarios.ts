// Runs one scenario for one policy: an emulator of its own in a process of its own (manual jobs,
// the scenario's servers and rate limit), a forked worker that creates and waits, and the
// emulator's request counts afterwards.
import { type ChildProcess, fork } from "node:child_process";
import { type BenchConfig, jobSchedule, type PlannedJob, type ScenarioId } from "./config";
import type { PolicyId } from "./policies";
import type { HostReady, HostSetup } from "./emulator-host";
import type { WorkerResult, WorkerTask } from "./worker";

const TOKEN = "vps_bench_token";
const LIST_ROUTES = ["GET /api/v1/snapshots/", "GET /api/v1/backups/", "GET /api/v1/servers/"];

export interface RunResult extends WorkerResult {
  scenario: ScenarioId;
  policy: PolicyId;
  /** Provider processes the waits were split over (1 but in scenario (f)). */
  processes: number;
  /** Requests to the servers list or one server: the proof before "gone" in (d), restore waits elsewhere. */
  serverRequests: number;
  waits: number;
  listRequests: number;
  allRequests: number;
  rateLimited: number;
  /** Each job's real-scale duration, for "wall time against the longest job". */
  longestJobMs: number;
}

export async function runScenario(
  config: BenchConfig,
  scenario: ScenarioId,
  policy: PolicyId,
  paths: { workerPath: string; hostPath: string },
  processes = 1,
): Promise<RunResult> {
  const { scale } = config;
  const serverCount = scenario === "single" ? 1 : config[scenario].servers;
  const jobs = plannedJobs(config, scenario);
  const setup: HostSetup = {
    token: TOKEN,
    servers: serverCount,
    refreshSnapshots: scenario === "refresh" ? config.refresh.resources : 0,
    refreshGone: scenario === "refresh" ? config.refresh.gone : 0,
  };
  const { child: host, ready: emulator } = await startHost(paths.hostPath, setup);
  const reads = emulator.reads;
  try {
    if (scenario === "limited" || scenario === "processes") {
      const { requestsPerMinute, burst } = config[scenario];
      await control(emulator.controlUrl, "PUT", "/rate-limit", { requestsPerMinute, burst, timeScale: scale });
    }
    await control(emulator.controlUrl, "DELETE", "/requests");

    const task: WorkerTask = {
      policy,
      scale,
      apiUrl: emulator.url,
      controlUrl: emulator.controlUrl,
      token: TOKEN,
      shape: scenario === "single" ? "sequential" : scenario === "refresh" ? "refresh" : "together",
      serverIds: emulator.serverIds,
      jobs,
      reads,
      measureMemory: scenario === "memory",
    };
    // Several processes (f): each takes the jobs of its own servers, as a stack of a monorepo would.
    const parts = Array.from({ length: processes }, (_, k) => ({
      ...task,
      jobs: jobs.filter((job) => job.server % processes === k),
    }));
    const result = mergeResults(await Promise.all(parts.map((part) => runWorker(paths.workerPath, part))));
    const counts = (await control(emulator.controlUrl, "GET", "/requests")) as {
      total: number;
      byRoute: Record<string, number>;
      rateLimited: { total: number };
    };
    return {
      ...result,
      scenario,
      policy,
      processes,
      waits: scenario === "refresh" ? reads.length : jobs.length,
      // Every list the account was sent (a poller may list backups or servers too), pages included.
      listRequests: LIST_ROUTES.reduce((sum, route) => sum + (counts.byRoute[route] ?? 0), 0),
      allRequests: counts.total,
      serverRequests:
        (counts.byRoute["GET /api/v1/servers/"] ?? 0) + (counts.byRoute["GET /api/v1/servers/:serverId/"] ?? 0),
      rateLimited: counts.rateLimited.total,
      longestJobMs: Math.max(0, ...jobs.map((j) => j.durationMs)),
    };
  } finally {
    await stopHost(host);
  }
}

/** The jobs the worker creates and completes; a refresh creates none (it reads the seeded snapshots). */
function plannedJobs(config: BenchConfig, scenario: ScenarioId): PlannedJob[] {
  switch (scenario) {
    case "single":
      return config.singleDurationsS.map((s) => ({ server: 0, durationMs: s * 1000 }));
    case "fleet":
    case "limited":
    case "processes":
      return jobSchedule(config, config[scenario].waits, config[scenario].servers);
    case "memory":
      return Array.from({ length: config.memory.waits }, (_, i) => ({
        server: i % config.memory.servers,
        durationMs: config.memory.jobDurationS * 1000,
      }));
    case "refresh":
      return [];
  }
}

function startHost(hostPath: string, setup: HostSetup): Promise<{ child: ChildProcess; ready: HostReady }> {
  return new Promise((resolve, reject) => {
    const child = fork(hostPath, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", (ready: HostReady) => resolve({ child, ready }));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`bench emulator host exited with code ${code} before starting`)));
    child.send(setup);
  });
}

/** Disconnecting tells the host to close its emulator and exit. */
function stopHost(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.disconnect();
  });
}

/** The results of processes that ran side by side, as one run: lags and counts added, times the latest. */
function mergeResults(results: WorkerResult[]): WorkerResult {
  if (results.length === 1) return results[0];
  return {
    lagsMs: results.flatMap((r) => r.lagsMs),
    failures: results.reduce((sum, r) => sum + r.failures, 0),
    failureSamples: [...new Set(results.flatMap((r) => r.failureSamples))].slice(0, 3),
    wallMs: Math.max(...results.map((r) => r.wallMs)),
    lastDoneMs: Math.max(...results.map((r) => r.lastDoneMs)),
    rssStartBytes: Math.max(...results.map((r) => r.rssStartBytes)),
    rssPeakBytes: Math.max(...results.map((r) => r.rssPeakBytes)),
    heapStartBytes: Math.max(...results.map((r) => r.heapStartBytes)),
    heapPeakBytes: Math.max(...results.map((r) => r.heapPeakBytes)),
    stderrLines: results.reduce((sum, r) => sum + r.stderrLines, 0),
    notes: [...new Set(results.flatMap((r) => r.notes))],
  };
}

function runWorker(workerPath: string, task: WorkerTask): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(workerPath, [], {
      execArgv: ["--expose-gc"], // for the retained-memory measure, once per run
      // stderr is kept, not shown: a waiting provider writes progress and retry lines there.
      stdio: ["ignore", "inherit", "pipe", "ipc"],
    });
    const stderr: string[] = [];
    let lineCount = 0;
    let partial = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      lineCount += lines.length;
      stderr.push(...lines);
      if (stderr.length > 20) stderr.splice(0, stderr.length - 20);
    });
    const tail = () => [...stderr, partial].filter(Boolean).slice(-20).join("\n");
    let settled = false;
    child.once("message", (message: { ok: boolean; result?: WorkerResult; error?: string }) => {
      settled = true;
      if (message.ok && message.result) {
        message.result.stderrLines = lineCount;
        if (lineCount > 0) {
          message.result.notes.push(
            `wrote ${lineCount} lines to stderr (progress and retry notices), e.g. "${stderr[0]}"`,
          );
        }
        resolve(message.result);
      } else reject(new Error(`bench worker (${task.policy}) failed: ${message.error}\n${tail()}`));
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (!settled)
        reject(new Error(`bench worker (${task.policy}) exited with code ${code} before answering\n${tail()}`));
    });
    child.send(task);
  });
}

async function control(controlUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator control ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

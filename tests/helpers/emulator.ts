// Starts a real emulator (on a free port) for a test file, and talks to its control API.
import { type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";

/** Tokens long and odd enough that finding one in an error or a log line is proof of a leak. */
export const TOKEN_A = "vps_test_A7f3kQ9zLm2Xw8Rt";
export const TOKEN_B = "vps_test_B5h1nV6yPq4Jc0Ds";

export interface Control {
  reset(): Promise<void>;
  settings(patch: Record<string, unknown>): Promise<void>;
  faults(rules: Record<string, unknown>[]): Promise<void>;
  clearFaults(): Promise<void>;
  requests(): Promise<{ total: number; byRoute: Record<string, number>; byUserAgent: Record<string, number> }>;
  /** Requests to one route (as the emulator names it, e.g. "POST /api/v1/snapshots/") since the last clear. */
  count(route: string): Promise<number>;
  clearRequests(): Promise<void>;
  completeJob(kind: "backups" | "snapshots", id: number | string): Promise<void>;
  failJob(kind: "backups" | "snapshots", id: number | string): Promise<void>;
  finishRestore(serverId: number, outcome?: "complete" | "fail"): Promise<void>;
  setServerStatus(serverId: number, status: string): Promise<void>;
  /** Deletes a server for real, with its snapshots and backups. */
  deleteServer(serverId: number): Promise<void>;
  addServer(body: Record<string, unknown>): Promise<{ id: number; name: string }>;
  addBackup(body: Record<string, unknown>): Promise<{ id: number }>;
  advanceClock(ms: number): Promise<void>;
  state(): Promise<{
    servers: Array<{ id: number; status: string; account: number }>;
    backups: Array<{ id: number; server: { id: number }; status: string; backup_type: string; description: string }>;
    snapshots: Array<{ id: number; server: { id: number }; status: string; name: string }>;
  }>;
}

/** Polls `check` every 25 ms until it holds; fails, naming `what`, after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The first job of `kind` that is in progress on the emulator, once there is one (fails after 10 s, saying so). */
export async function jobInProgress(control: Control, kind: "snapshots" | "backups") {
  let found: { id: number; server: { id: number } } | undefined;
  await until(`a ${kind} job in progress`, async () => {
    found = (await control.state())[kind].find((job) => job.status === "in_progress");
    return found !== undefined;
  });
  return found as { id: number; server: { id: number } };
}

/** The next POST of a `kind` commits and its answer is lost; from the moment it arrives, the list answers 503 `times` times. */
export async function lostAnswerThenListDown(control: Control, kind: "snapshots" | "backups", times: number) {
  await control.faults([{ method: "POST", path: `/${kind}/$`, effect: "commit-then-drop", latencyMs: 300, times: 1 }]);
  const before = await control.count(`POST /api/v1/${kind}/`);
  void until(`a POST of ${kind}`, async () => (await control.count(`POST /api/v1/${kind}/`)) > before)
    .then(() => control.faults([{ method: "GET", path: `/${kind}/$`, status: 503, times }]))
    .catch(() => undefined); // no POST came: the test that asked for one fails on its own assertions
}

export function controlFor(controlUrl: string): Control {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const requests = () => call("GET", "/requests");
  return {
    reset: () => call("POST", "/reset"),
    settings: (patch) => call("PUT", "/settings", patch),
    faults: (rules) => call("PUT", "/faults", { rules }),
    clearFaults: () => call("DELETE", "/faults"),
    requests,
    count: async (route) => (await requests()).byRoute[route] ?? 0,
    clearRequests: () => call("DELETE", "/requests"),
    completeJob: (kind, id) => call("POST", `/jobs/${kind}/${id}/complete`),
    failJob: (kind, id) => call("POST", `/jobs/${kind}/${id}/fail`),
    finishRestore: (serverId, outcome = "complete") => call("POST", `/servers/${serverId}/restore/${outcome}`),
    setServerStatus: (serverId, status) => call("PATCH", `/servers/${serverId}`, { status }),
    deleteServer: (serverId) => call("DELETE", `/servers/${serverId}`),
    addServer: (body) => call("POST", "/servers", body),
    addBackup: (body) => call("POST", "/backups", body),
    advanceClock: (ms) => call("POST", "/clock", { advanceMs: ms }),
    state: () => call("GET", "/state"),
  };
}

/**
 * One emulator per test file, reset before each test. What a client or a runtime learns (a rate
 * limit, the cost of lists) lives in the objects a test makes, so no test starts paced or guided by
 * an earlier one.
 */
export function useEmulator(options: EmulatorOptions = {}) {
  const ctx = {} as { emulator: Emulator; control: Control; url: string };
  beforeAll(async () => {
    ctx.emulator = await startEmulator({ tokens: [TOKEN_A, TOKEN_B], ...options });
    ctx.control = controlFor(ctx.emulator.controlUrl);
    ctx.url = ctx.emulator.url;
  });
  beforeEach(async () => {
    await ctx.control.reset();
  });
  afterAll(async () => {
    await ctx.emulator?.close();
  });
  return ctx;
}

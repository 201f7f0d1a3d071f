// The waiting policies compared. "ours" is the project's own code through its public functions
// (client.snapshots.create, waitForSnapshot and the process's shared poller); the peers are
// models of what other providers do, each resource polling its server's list on its own.
// Ours talks through the project's VpsOrgClient (with whatever retry and rate-limit logic it has);
// the peers through bench/peer-http.ts, a model of their SDKs' HTTP retries with no client-side limit.
import type { ClientOptions, VpsOrgClient } from "../provider/client";
import { type PollSettings, pollSettingsFromEnv } from "../provider/wait/poller";

export type PolicyId = "ours" | "statechangeconf" | "aws" | "hcloud";
export const POLICY_IDS: PolicyId[] = ["ours", "statechangeconf", "aws", "hcloud"];

export const POLICY_LABELS: Record<PolicyId, string> = {
  ours: "pulumi-vpsorg (shared poller)",
  statechangeconf: "Terraform StateChangeConf (DigitalOcean)",
  aws: "AWS EC2 snapshot waiter (15 s)",
  hcloud: "hcloud-go (1 s doubling to 60 s)",
};

export const POLICY_NOTES: Record<PolicyId, string> = {
  ours:
    "create with `client.snapshots.create`, wait with `waitForSnapshot` (provider/wait/jobs.ts) on the process's " +
    "shared poller with every `*Ms` poll setting divided by the scale; before the POSTs, one list per server per " +
    "burst of creates (the provider's look before POST, coalesced)",
  statechangeconf:
    "Delay 10 s, MinTimeout 3 s, wait doubling from 100 ms capped at 10 s (checks at 10, 13, 19, 29, 39 s ...); " +
    "each resource lists its server alone; an error after the HTTP retries ends the wait",
  aws: "a check at once, then every 15 s (Delay 15 s); each resource alone",
  hcloud: "waits 1 s, 2 s, 4 s ... up to 60 s before each check; each resource alone",
};

/**
 * Real-scale delays before each check of a peer: the n-th call answers how long to sleep before
 * the n-th look at the list (n from 0).
 */
export function peerDelays(policy: Exclude<PolicyId, "ours">): () => number {
  let n = 0;
  if (policy === "statechangeconf") {
    // terraform-plugin-sdk v2 StateChangeConf.WaitForStateContext, with PollInterval 0.
    let wait = 100;
    return () => {
      if (n++ === 0) return 10_000; // Delay
      wait *= 2;
      if (wait < 3_000)
        wait = 3_000; // MinTimeout
      else if (wait > 10_000) wait = 10_000;
      return wait;
    };
  }
  if (policy === "aws") return () => (n++ === 0 ? 0 : 15_000);
  return () => Math.min(60_000, 1_000 * 2 ** n++); // hcloud-go: ExponentialBackoff(1 s, x2), capped at 60 s
}

// ---- Scaling "ours": the two functions to adapt when the project's settings change. ----

/**
 * Our HTTP client's time settings, scaled (the request timeout is network time: not scaled). Options
 * the client of the day does not know are ignored by it: the 429 retry budget (10 minutes by
 * default) and, when provider/client/limiter.ts exists, its rate limit with every `*Ms` divided and
 * every `*Rps` multiplied by the scale.
 */
export function scaledClientOptions(scale: number): ClientOptions {
  const extra: Record<string, unknown> = { rateLimitRetryBudgetMs: 600_000 / scale };
  const limiter = optionalModule<{ DEFAULT_RATE_LIMIT?: Record<string, unknown> }>("../provider/client/limiter");
  if (limiter?.DEFAULT_RATE_LIMIT) extra.rateLimit = scaleFields(limiter.DEFAULT_RATE_LIMIT, scale);
  return { retryBaseDelayMs: 500 / scale, maxRetryDelayMs: 30_000 / scale, maxRetries: 4, ...extra } as ClientOptions;
}

/** Env names of PollSettings fields; a field not listed is tried as VPSORG_POLL_<FIELD_IN_SNAKE_CASE>. */
const POLL_ENV: Record<string, string> = {
  minIntervalMs: "VPSORG_POLL_MIN_MS",
  maxIntervalMs: "VPSORG_POLL_MAX_MS",
  firstCheckMs: "VPSORG_POLL_FIRST_MS",
  progressIntervalMs: "VPSORG_PROGRESS_MS",
};

/**
 * Our waiting's settings, scaled: every `*Ms` field of the default PollSettings divided by `scale`,
 * as the environment the bench's worker starts with (the shared poller reads it on first use), and
 * the coalescing window of provider/wait/reads.ts when it exists. Returns the env to add and a
 * warning for each poll setting that did not take the scaled value.
 */
export function scaledPollEnv(scale: number): { env: Record<string, string>; warnings: string[] } {
  const defaults = pollSettingsFromEnv({}) as unknown as Record<string, unknown>;
  const env: Record<string, string> = {};
  const wanted: Record<string, number> = {};
  for (const [field, value] of Object.entries(defaults)) {
    if (typeof value !== "number" || !field.endsWith("Ms")) continue; // ratios and counts do not scale
    wanted[field] = value / scale;
    env[POLL_ENV[field] ?? `VPSORG_POLL_${snake(field.slice(0, -2))}_MS`] = String(value / scale);
  }
  const reads = optionalModule<{ DEFAULT_READ_WINDOW_MS?: number }>("../provider/wait/reads");
  if (typeof reads?.DEFAULT_READ_WINDOW_MS === "number") {
    env.VPSORG_READ_WINDOW_MS = String(reads.DEFAULT_READ_WINDOW_MS / scale);
  }
  const got = pollSettingsFromEnv({ ...process.env, ...env }) as unknown as Record<string, unknown>;
  const warnings = Object.entries(wanted)
    .filter(([field, value]) => typeof got[field] !== "number" || Math.abs((got[field] as number) - value) > 0.5)
    .map(([field]) => `poll setting ${field} is NOT scaled (add its env name to POLL_ENV in bench/policies.ts)`);
  return { env, warnings };
}

/** The settings the worker's shared poller will use (for the report). */
export function effectivePollSettings(): PollSettings {
  return pollSettingsFromEnv();
}

/** `*Ms` fields divided by the scale, `*Rps` (rates) multiplied, others as they are. */
function scaleFields(settings: Record<string, unknown>, scale: number): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => {
      if (typeof value !== "number") return [key, value];
      if (key.endsWith("Ms")) return [key, value / scale];
      if (key.endsWith("Rps")) return [key, value * scale];
      return [key, value];
    }),
  );
}

/** A module of the project that may not exist yet; undefined only when that very module is missing. */
function optionalModule<T>(path: string): T | undefined {
  try {
    return require(path) as T;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === "MODULE_NOT_FOUND" && e.message?.includes(path)) return undefined;
    throw error;
  }
}

function snake(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

type ListOnServer = (client: VpsOrgClient, kind: string, serverId: number) => Promise<Array<{ id: unknown }>>;

/**
 * LOCAL ADAPTER until provider/wait/reads.ts lands: a refresh's reads go through its
 * `listOnServer(client, kind, serverId)` (concurrent reads of a server share one list) when it
 * exists; otherwise each read lists its server alone, as the provider's `read` does today.
 */
export function refreshReader(): {
  coalesced: boolean;
  read: (client: VpsOrgClient, serverId: number) => Promise<unknown[]>;
} {
  const listOnServer = optionalModule<{ listOnServer?: ListOnServer }>("../provider/wait/reads")?.listOnServer;
  if (typeof listOnServer === "function") {
    const fn = listOnServer;
    return { coalesced: true, read: (client, serverId) => fn(client, "snapshot", serverId) };
  }
  return { coalesced: false, read: (client, serverId) => client.snapshots.list({ serverId }) };
}

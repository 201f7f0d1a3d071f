// The waiting policies compared. "ours" is the project's own code through its public functions
// (client.snapshots.create, waitForSnapshot and the process's shared poller); the peers are
// models of what other providers do, each resource polling its server's list on its own.
// Ours talks through the project's VpsOrgClient (with whatever retry and rate-limit logic it has);
// the peers through bench/peer-http.ts, a model of their SDKs' HTTP retries with no client-side limit.
import type { ClientOptions } from "../provider/client";
import { DEFAULT_RATE_LIMIT } from "../provider/client/limiter";
import { pollSettingsFromEnv } from "../provider/wait/poller";
import { DEFAULT_READ_WINDOW_MS } from "../provider/wait/reads";

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
 * Our HTTP client's time settings, scaled (the request timeout is network time: not scaled): the 429
 * retry budget (10 minutes by default) and the rate limit of provider/client/limiter.ts, with every
 * `*Ms` divided and every `*Rps` multiplied by the scale.
 */
export function scaledClientOptions(scale: number): ClientOptions {
  return {
    retryBaseDelayMs: 500 / scale,
    maxRetryDelayMs: 30_000 / scale,
    maxRetries: 4,
    rateLimitRetryBudgetMs: 600_000 / scale,
    rateLimit: scaleFields(DEFAULT_RATE_LIMIT, scale),
  };
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
 * the coalescing window of provider/wait/reads.ts. Returns the env to add and a
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
  env.VPSORG_READ_WINDOW_MS = String(DEFAULT_READ_WINDOW_MS / scale);
  const got = pollSettingsFromEnv({ ...process.env, ...env }) as unknown as Record<string, unknown>;
  const warnings = Object.entries(wanted)
    .filter(([field, value]) => typeof got[field] !== "number" || Math.abs((got[field] as number) - value) > 0.5)
    .map(([field]) => `poll setting ${field} is NOT scaled (add its env name to POLL_ENV in bench/policies.ts)`);
  return { env, warnings };
}

/** `*Ms` fields divided by the scale, `*Rps` (rates) multiplied, others as they are. */
function scaleFields<T extends object>(settings: T, scale: number): T {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => {
      if (typeof value !== "number") return [key, value];
      if (key.endsWith("Ms")) return [key, value / scale];
      if (key.endsWith("Rps")) return [key, value * scale];
      return [key, value];
    }),
  ) as T;
}

function snake(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

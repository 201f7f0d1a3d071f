// The waiting policies compared. "ours" is the project's own code through its public functions
// (client.snapshots.create, waitForSnapshot and the process's shared poller); the peers are
// models of what other providers do, each resource polling its server's list on its own.
// Ours talks through the project's VpsOrgClient (with whatever retry and rate-limit logic it has);
// the peers through bench/peer-http.ts, a model of their SDKs' HTTP retries with no client-side limit.
import type { ClientOptions } from "../provider/client";
import { type Settings, settingsFromEnv } from "../provider/settings";

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

// ---- Scaling "ours": time runs `scale` times faster, so every duration shrinks and every rate grows. ----

/**
 * Our settings (settings.ts, their defaults) at `scale`: every duration (`...Ms`) divided, every
 * rate (`...Rps`) multiplied, the rest (counts, ratios, switches) as they are. Being generic over
 * the settings, a setting added later is scaled too.
 */
export function scaledSettings(scale: number): Settings {
  return scaleFields(settingsFromEnv({}), scale);
}

/**
 * Our HTTP client's own time options, which are not settings: the backoff between retries (the
 * request timeout is network time: not scaled).
 */
export function scaledClientOptions(scale: number): Partial<ClientOptions> {
  return { retryBaseDelayMs: 500 / scale, maxRetryDelayMs: 30_000 / scale, maxRetries: 4 };
}

/** `...Ms` fields divided by the scale, `...Rps` (rates) multiplied, others as they are; nested objects too. */
function scaleFields<T>(settings: T, scale: number): T {
  return Object.fromEntries(
    Object.entries(settings as object).map(([key, value]) => {
      if (value && typeof value === "object") return [key, scaleFields(value, scale)];
      if (typeof value !== "number") return [key, value];
      if (key.endsWith("Ms")) return [key, value / scale];
      if (key.endsWith("Rps")) return [key, value * scale];
      return [key, value];
    }),
  ) as T;
}

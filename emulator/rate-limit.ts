// A rate-limit fault: a token bucket per account (or one for the whole emulator) in front of the
// API. An empty bucket answers 429 with Retry-After, the way rate-limited APIs do, so clients and
// benchmarks can show what they do when the (undocumented) limit of the real API is hit.
import { z } from "zod";
import type { RateLimitConfig, RateLimitInput } from "./types";

export const rateLimitSchema = z
  .object({
    /** Sustained rate: the bucket refills this many tokens per minute. */
    requestsPerMinute: z.number().positive(),
    /** Bucket size: how many requests may pass at once after a quiet spell (default: 10 s of the rate). */
    burst: z.number().int().positive().optional(),
    /** "account": one bucket per token (the default); "global": one bucket for every request. */
    scope: z.enum(["account", "global"]).default("account"),
    /**
     * For benchmarks that run time faster: the bucket refills `timeScale` times faster, and
     * Retry-After (whole seconds at real scale) is divided by it, so it may carry a fraction.
     */
    timeScale: z.number().positive().default(1),
    /**
     * Send the bucket's state on every answer, as many APIs do (VPS.org documents none): `RateLimit-Limit`,
     * `-Remaining` and `-Reset` (seconds until the bucket is full, IETF draft style) and the same three
     * as `X-RateLimit-*` (Reset as epoch seconds, GitHub style). Default: none, as VPS.org.
     */
    headers: z.boolean().default(false),
  })
  .strict();
export type { RateLimitConfig, RateLimitInput } from "./types";

/** The schema reads exactly the public types (types.ts): a change to one without the other fails to compile. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const RATE_LIMIT_TYPES_MATCH: [
  Same<RateLimitInput, z.input<typeof rateLimitSchema>>,
  Same<RateLimitConfig, z.infer<typeof rateLimitSchema> & { burst: number }>,
] = [true, true];

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  #config: RateLimitConfig | undefined;
  readonly #buckets = new Map<string, Bucket>();

  set(config: z.infer<typeof rateLimitSchema>): RateLimitConfig {
    const burst = config.burst ?? Math.max(1, Math.ceil(config.requestsPerMinute / 6));
    this.#config = { ...config, burst };
    this.#buckets.clear(); // a new limit starts with full buckets
    return this.#config;
  }

  clear(): void {
    this.#config = undefined;
    this.#buckets.clear();
  }

  get config(): RateLimitConfig | undefined {
    return this.#config;
  }

  /**
   * Takes one token from the caller's bucket. `retryAfter` is undefined when the request may pass,
   * else the Retry-After value (seconds, as sent in the header); `headers` are the rate-limit
   * headers to send with the answer, when the limit is set to send them.
   */
  take(account: string, now = Date.now()): { retryAfter?: string; headers: Record<string, string> } {
    const config = this.#config;
    if (!config) return { headers: {} };
    const key = config.scope === "global" ? "*" : account;
    const perMs = (config.requestsPerMinute * config.timeScale) / 60_000;
    const bucket = this.#buckets.get(key) ?? { tokens: config.burst, at: now };
    bucket.tokens = Math.min(config.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    const passed = bucket.tokens >= 1;
    if (passed) bucket.tokens -= 1;
    const headers = config.headers ? rateLimitHeaders(config, bucket, perMs, now) : {};
    if (passed) return { headers };
    // Whole seconds at real scale, rounded up, so a client that honours it finds a token.
    return { retryAfter: scaledSeconds((1 - bucket.tokens) / perMs, config.timeScale), headers };
  }
}

/** Seconds as sent: whole seconds at real scale, rounded up, then divided by the time scale (to the ms). */
function scaledSeconds(ms: number, timeScale: number): string {
  const realSeconds = Math.ceil((ms / 1000) * timeScale);
  return String(Math.ceil((realSeconds / timeScale) * 1000) / 1000);
}

function rateLimitHeaders(config: RateLimitConfig, bucket: Bucket, perMs: number, now: number) {
  const remaining = String(Math.floor(bucket.tokens));
  const untilFullMs = (config.burst - bucket.tokens) / perMs;
  const reset = scaledSeconds(untilFullMs, config.timeScale);
  return {
    "RateLimit-Limit": String(config.burst),
    "RateLimit-Remaining": remaining,
    "RateLimit-Reset": reset,
    "X-RateLimit-Limit": String(config.burst),
    "X-RateLimit-Remaining": remaining,
    "X-RateLimit-Reset": String(Math.ceil((now + untilFullMs) / 1000)),
  };
}

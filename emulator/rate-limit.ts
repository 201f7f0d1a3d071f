// A rate-limit fault: a token bucket per account (or one for the whole emulator) in front of the
// API. An empty bucket answers 429 with Retry-After, the way rate-limited APIs do, so clients and
// benchmarks can show what they do when the (undocumented) limit of the real API is hit.
import { z } from "zod";

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
  })
  .strict();
export type RateLimitInput = z.input<typeof rateLimitSchema>;
export type RateLimitConfig = z.infer<typeof rateLimitSchema> & { burst: number };

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
   * Takes one token from the caller's bucket. Returns undefined when the request may pass, or the
   * Retry-After value (seconds, as sent in the header) when the bucket is empty.
   */
  take(account: string, now = Date.now()): string | undefined {
    const config = this.#config;
    if (!config) return undefined;
    const key = config.scope === "global" ? "*" : account;
    const perMs = (config.requestsPerMinute * config.timeScale) / 60_000;
    const bucket = this.#buckets.get(key) ?? { tokens: config.burst, at: now };
    bucket.tokens = Math.min(config.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    // Whole seconds at real scale, rounded up, so a client that honours it finds a token.
    const realSeconds = Math.ceil(((1 - bucket.tokens) / perMs / 1000) * config.timeScale);
    // Scaled: to the millisecond, rounded up too, so that it reads "0.034" rather than "0.0333...".
    return String(Math.ceil((realSeconds / config.timeScale) * 1000) / 1000);
  }
}

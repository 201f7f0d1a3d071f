// The emulator's public types, written out by hand: a program that imports the emulator type-checks
// them under Pulumi's template tsconfig, where the types of its server framework (fastify, pino) and
// of zod do not compile. faults.ts and rate-limit.ts check that their schemas read exactly these.
import type { EmulatorState, Settings } from "./state";

export interface EmulatorOptions extends Partial<Settings> {
  /** Accepted tokens; each is an account of its own. Default: [DEFAULT_TOKEN], "vps_test_token". */
  tokens?: string[];
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Log each request with pino (never the Authorization header). */
  log?: boolean;
}

export interface Emulator {
  /** The API base URL, e.g. http://127.0.0.1:PORT/api/v1 */
  url: string;
  /** The control API's base URL, e.g. http://127.0.0.1:PORT/_emulator */
  controlUrl: string;
  port: number;
  state: EmulatorState;
  close(): Promise<void>;
}

/** A fault injection rule (LocalStack's chaos API, after which it is modelled): see docs/emulator.md. */
export interface FaultRule {
  /** HTTP method to match ("*" or absent = any). */
  method?: string;
  /** Regular expression matched against the request path (absent = any API path). */
  path?: string;
  /** Chance that a matching request is hit, 0..1 (default 1). */
  probability: number;
  /** How many requests the rule may hit before it retires (absent = no limit). */
  times?: number;
  /** Fire on every n-th matching request only (then `probability` applies to those). */
  every?: number;
  /** Added delay before the request is handled. */
  latencyMs?: number;
  /** Answer with this status instead of handling the request (the request does nothing). */
  status?: number;
  /** With `status`: the Retry-After header, in seconds. */
  retryAfter?: number;
  /** With `status`: the body to answer (default `{"detail": "Injected fault"}`); a string is sent as it is. */
  body?: unknown;
  /** With `status`: headers of the answer. */
  headers?: Record<string, string>;
  /** "drop": no answer, nothing done; "commit-then-drop": done, no answer; "malformed": done, a broken body. */
  effect?: "drop" | "commit-then-drop" | "malformed";
}

/** A rate limit as given (the defaults filled in give RateLimitConfig). */
export interface RateLimitInput {
  /** Sustained rate: the bucket refills this many tokens per minute. */
  requestsPerMinute: number;
  /** Bucket size (default: 10 s of the rate). */
  burst?: number;
  /** "account": one bucket per token (the default); "global": one for every request. */
  scope?: "account" | "global";
  /** For benchmarks that run time faster: the bucket refills `timeScale` times faster. */
  timeScale?: number;
  /** Send RateLimit-* and X-RateLimit-* headers on every answer (default: none, as VPS.org). */
  headers?: boolean;
}

/** A rate limit in force. */
export interface RateLimitConfig {
  requestsPerMinute: number;
  burst: number;
  scope: "account" | "global";
  timeScale: number;
  headers: boolean;
}

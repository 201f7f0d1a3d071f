// The API's bodies as plain TypeScript types, and the client's options. Written by hand so that no
// published declaration imports zod: zod 4's own typings do not compile in a program without
// esModuleInterop (Pulumi's template tsconfig). schemas.ts checks at compile time that what its
// schemas accept is assignable to these types, so the two cannot drift apart.
import type { RateLimitSettings, Settings } from "../settings";
import type { RequestPriority } from "./limiter";
import type { Logger } from "./redact";

/** Ids are integers in every sample; a string id is tolerated and compared as text. */
export type Id = number | string;

/** `completed` and `in_progress` are documented; `failed` is this project's reading of a failed job. */
export type JobStatus = "in_progress" | "completed" | "failed" | (string & {});

/** Every body is kept whole: fields the API adds later are carried through, not dropped. */
type Loose = { [field: string]: unknown };

export interface ServerRef extends Loose {
  id: Id;
  name?: string | null;
}

export interface Backup extends Loose {
  id: Id;
  server: ServerRef;
  backup_type: string;
  status: JobStatus;
  size_mb?: number | null;
  created_at?: string | null;
  expires_at?: string | null;
  description?: string | null;
  message?: string;
}

export interface Snapshot extends Loose {
  id: Id;
  server: ServerRef;
  name: string;
  status: JobStatus;
  size_mb?: number | null;
  created_at?: string | null;
  description?: string | null;
  message?: string;
}

export interface Server extends Loose {
  id: Id;
  name?: string | null;
  hostname?: string | null;
  status: string;
  ip_address?: string | null;
  location?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

/** The snapshot restore answer is documented; the backup restore answer is not, so every field is optional. */
export interface RestoreResponse extends Loose {
  status?: string;
  message?: string;
  snapshot?: Loose & { id: Id; name?: string | null; created_at?: string | null };
  backup?: Loose & { id: Id };
  server?: Loose & { id: Id; name?: string | null; status?: string | null };
}

/** One page of a list: `count` and `results` are documented, `next`/`previous` are tolerated. */
export interface Page<T> extends Loose {
  count?: number;
  next?: string | null;
  previous?: string | null;
  results: T[];
}

/**
 * What the client needs of a body schema (its `safeParse`), stated structurally so that the client's
 * declarations import no schema library. Every schema in schemas.ts fits it.
 */
export interface BodySchema<T> {
  safeParse(
    body: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

export interface HttpOptions {
  /** API token; defaults to VPS_API_TOKEN. */
  token?: string | null;
  /** Base URL; defaults to VPS_API_URL, then https://admin.vps.org/api/v1. */
  baseUrl?: string | null;
  /** Per-request timeout (default 30 s, at most 10 minutes). */
  timeoutMs?: number;
  /** Retries after the first try for GET and DELETE, 429s aside (default 4, at most 100). */
  maxRetries?: number;
  /** First backoff step (default 500 ms); doubles each retry, with jitter. */
  retryBaseDelayMs?: number;
  /** Cap for a backoff step and for an honoured Retry-After (default 30 s, at most 10 minutes). */
  maxRetryDelayMs?: number;
  /**
   * How long a request keeps retrying 429 answers, any method, counted from its first 429, time queued
   * behind the account's limiter aside (default VPSORG_RATE_LIMIT_BUDGET_MS, else 10 minutes; at most
   * 24 hours). A create behind a busy limiter must not fail while the API only asks it to wait.
   */
  rateLimitRetryBudgetMs?: number;
  /** The account's client-side rate limit (see limiter.ts); `false` turns it off. Default: the VPSORG_RATE_LIMIT settings. */
  rateLimit?: Partial<RateLimitSettings> | false;
  /**
   * Receives the lines a user should always see, token masked: one per retry after a request's first
   * retry, so that a long pause is explained. Default: the logger's "warn" when one is given, else stderr.
   */
  notify?: (line: string, retry: RetryNotice) => void;
  /** Items asked for per page when the server pages (default 100, the vendor's maximum). */
  pageSize?: number;
  /** Receives log lines with every secret masked; defaults to stderr when VPSORG_LOG is set. */
  logger?: Logger;
  /**
   * Allow the token to go over plain http to another machine (default VPSORG_ALLOW_INSECURE_HTTP, else
   * false: http only to 127.0.0.1 or localhost, for the emulator).
   */
  allowInsecureHttp?: boolean;
  /** Added to the User-Agent header (`pulumi-vpsorg/<version> node/<version> (<os>; <arch>) <this>`). */
  userAgent?: string;
  /**
   * The VPSORG_* settings that fill in what is not given here (log level, 429 budget, rate limit, http).
   * Default: read from the environment (settings.ts); a provider process passes the ones it read once.
   */
  settings?: Settings;
}

export type ClientOptions = HttpOptions;

/** What a retry line says, for a `notify` that summarises them (the runtime's, when many retry at once). */
export interface RetryNotice {
  /** The account's key (URL and a hash of the token): whose request it is. */
  account: string;
  method: string;
  path: string;
  /** The answer's status, or undefined when there was none (a dropped connection, a timeout). */
  status: number | undefined;
  delayMs: number;
}

/** Options of a list call. */
export interface ListOptions {
  /** Called once per page read: lets the poller learn what a list costs in requests. */
  onPage?: () => void;
  /** "high": the list serves many callers (a poll tick, coalesced reads); it goes first behind a busy limiter. */
  priority?: RequestPriority;
}

// The one place that talks HTTP: auth, timeouts, the retry loop, paging and body validation.
// axios is created here and its errors are turned into this project's errors before they can
// escape, because an AxiosError carries the request config and with it the bearer token.
import { createHash } from "node:crypto";
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import { bounded, boundedBudgetMs, normalizeRateLimit, settingsFromEnv } from "../settings";
import { VERSION } from "../version";
import { resolveConnection } from "./config";
import {
  ApiConnectionError,
  ApiTimeoutError,
  errorForStatus,
  isRetryable,
  RateLimitError,
  type RequestInfo,
  UnexpectedResponseError,
  UnrecognizedAnswerError,
} from "./errors";
import { type LimitHeaders, RateLimiter, type RequestPriority } from "./limiter";
import { type Logger, makeRedactor, stderrLogger } from "./redact";
import { describeErrorBody } from "./schemas";
import type { BodySchema, HttpOptions, ListOptions, Page, RetryNotice } from "./types";

type Method = "GET" | "POST" | "DELETE";
export type Query = Record<string, string | number | undefined>;

interface SendOptions {
  query?: Query;
  body?: unknown;
  /**
   * "safe": retried on 429, 5xx, dropped connections and timeouts (GET, DELETE).
   * "unsent-only": retried only where the server certainly did nothing (429, refused connection),
   * for POSTs that create or restore: sending one twice could create two objects.
   */
  retry: "safe" | "unsent-only";
  /** Place in the account's rate limiter queue (default "normal"). */
  priority?: RequestPriority;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request's tries so far: the 429s it had, and its time queued behind the limiter since its first 429. */
interface Attempt {
  refusedBefore: number;
  queuedMs: number;
}

const TEN_MINUTES_MS = 10 * 60_000;
/** How often a list whose pages disagree with its `count` is read again before that is an error. */
const LIST_ATTEMPTS = 3;

export class HttpClient {
  readonly baseUrl: string;
  /** URL and a one-way hash of the token: tells accounts apart without holding the token (keys the rate limiter). */
  readonly accountKey: string;
  readonly #axios: AxiosInstance;
  readonly #redact: (text: string) => string;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #pageSize: number;
  readonly #rateLimitBudgetMs: number;
  readonly #limiter: RateLimiter;
  readonly #notify: (line: string, retry: RetryNotice) => void;

  constructor(options: HttpOptions = {}) {
    // What the caller leaves out comes from the VPSORG_* settings (a provider passes its own, read once).
    const settings = options.settings ?? settingsFromEnv(process.env);
    const { token, baseUrl } = resolveConnection({
      token: options.token,
      baseUrl: options.baseUrl,
      allowInsecureHttp: options.allowInsecureHttp ?? settings.allowInsecureHttp,
    });
    this.baseUrl = baseUrl;
    const tokenFingerprint = createHash("sha256").update(token).digest("hex").slice(0, 16);
    this.accountKey = createHash("sha256").update(`${baseUrl}\n${tokenFingerprint}`).digest("hex").slice(0, 16);
    // Every delay is bounded: a timer above 2^31-1 ms would fire at once.
    this.#timeoutMs = bounded(options.timeoutMs, 1, TEN_MINUTES_MS, 30_000);
    this.#maxRetries = Math.round(bounded(options.maxRetries, 0, 100, 4));
    this.#maxDelayMs = bounded(options.maxRetryDelayMs, 0, TEN_MINUTES_MS, 30_000);
    this.#baseDelayMs = bounded(options.retryBaseDelayMs, 0, this.#maxDelayMs, Math.min(500, this.#maxDelayMs));
    this.#pageSize = Math.round(bounded(options.pageSize, 1, 100, 100));
    this.#rateLimitBudgetMs = boundedBudgetMs(options.rateLimitRetryBudgetMs ?? settings.rateLimitBudgetMs);
    this.#limiter = new RateLimiter(
      options.rateLimit === false
        ? { enabled: false }
        : normalizeRateLimit({ ...settings.rateLimit, ...options.rateLimit }),
    );
    this.#redact = makeRedactor(token);
    const sink = options.logger ?? stderrLogger(settings.log);
    this.#log = sink ? (level, message) => sink(level, this.#redact(message)) : () => {};
    const notify =
      options.notify ??
      (options.logger
        ? (line: string) => options.logger?.("warn", line)
        : (line: string) => void process.stderr.write(`${line}\n`));
    this.#notify = (line, retry) => notify(this.#redact(line), retry);
    this.#axios = axios.create({
      baseURL: baseUrl,
      timeout: this.#timeoutMs,
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        Accept: "application/json",
        // Names this package to the API's owners, as godo and hcloud-go do: who sends what.
        "User-Agent": userAgent(options.userAgent),
      },
      // Every status is an answer; this class decides what is an error.
      validateStatus: () => true,
      // Bodies are parsed here, so a malformed body is an error of ours rather than a string.
      transformResponse: [(data) => data],
      responseType: "text",
      maxRedirects: 0,
    });
  }

  /** Sends one request and validates the answer's body against `schema` (skipped for empty bodies). */
  async request<T>(method: Method, path: string, schema: BodySchema<T> | null, options: SendOptions): Promise<T> {
    return await this.#withRetries(method, path, options, async (info, attempt) =>
      this.#parse(await this.#sendOnce(method, path, options, info, attempt), schema, info),
    );
  }

  /**
   * Reads a whole list, following `next` links or `page` numbers until every item is read.
   * `schema` validates one page (schemas.ts: `pageSchema(item)`). A list whose pages hold fewer or
   * more items than its `count` (an item made or deleted while it was paged) is read again; if it
   * still disagrees, that is an error: a list missing items proves nothing about them.
   */
  async list<T>(path: string, schema: BodySchema<Page<T>>, query: Query = {}, options: ListOptions = {}): Promise<T[]> {
    let disagreement: UnexpectedResponseError | undefined;
    for (let attempt = 0; attempt < LIST_ATTEMPTS; attempt++) {
      const read = await this.#readPages(path, schema, query, options);
      if (read.count === undefined || read.count === read.items.length) return read.items;
      const info = this.#info("GET", withQuery(path, { ...query, page_size: this.#pageSize }));
      disagreement = new UnexpectedResponseError(
        `the list's count (${read.count}) disagrees with the ${read.items.length} items its pages held, ` +
          `at ${info.url} (${read.status})`,
        info,
        { status: read.status },
      );
      this.#log("info", disagreement.message);
    }
    throw disagreement as Error;
  }

  async #readPages<T>(path: string, schema: BodySchema<Page<T>>, query: Query, options: ListOptions) {
    const items: T[] = [];
    const seen = new Set<string>();
    let pagePath = path;
    let pageQuery: Query = { ...query, page_size: this.#pageSize };
    let count: number | undefined;
    for (let page = 1; page <= 10_000; page++) {
      const body = await this.request("GET", pagePath, schema, {
        query: pageQuery,
        retry: "safe",
        priority: options.priority,
      });
      options.onPage?.();
      count = body.count;
      let added = 0;
      for (const entry of body.results) {
        const key = String((entry as { id?: unknown }).id ?? JSON.stringify(entry));
        if (seen.has(key)) continue; // a server that ignores `page` repeats itself; keep one copy
        seen.add(key);
        items.push(entry);
        added++;
      }
      if (added === 0) break; // nothing new: a page repeated, or paged past the end
      if (body.next) {
        pagePath = this.#sameOriginPath(body.next, this.#info("GET", path));
        pageQuery = {};
      } else if (body.count !== undefined && items.length < body.count && added > 0) {
        // Paged by number without `next` links: ask for the following page.
        pagePath = path;
        pageQuery = { ...query, page: page + 1, page_size: this.#pageSize };
      } else {
        break;
      }
    }
    return { items, count, status: 200 };
  }

  /** The account's limiter (shared by every client of the same URL and token in the process). */
  get rateLimiter(): RateLimiter {
    return this.#limiter;
  }

  /**
   * Runs one try (send and validate) until it succeeds or the retry policy says stop. 429s are
   * retried for any method (the server did nothing) while the time since the first 429 stays within
   * the budget, not counting time queued behind the account's limiter (a request that waits its turn
   * is not being refused), and within three budgets counting it; other retryable failures count
   * against maxRetries.
   */
  async #withRetries<R>(
    method: Method,
    path: string,
    options: SendOptions,
    once: (info: RequestInfo, attempt: Attempt) => Promise<R>,
  ) {
    const info = this.#info(method, withQuery(path, options.query));
    let failures = 0;
    let rateLimits = 0;
    let firstRateLimitAt: number | undefined;
    const attempt: Attempt = { refusedBefore: 0, queuedMs: 0 };
    for (let retry = 1; ; retry++) {
      try {
        attempt.refusedBefore = rateLimits;
        return await once(info, attempt);
      } catch (error) {
        let delay: number;
        if (error instanceof RateLimitError) {
          if (firstRateLimitAt === undefined) {
            firstRateLimitAt = Date.now();
            attempt.queuedMs = 0;
          }
          delay = this.#delayFor(rateLimits++, error);
          const elapsed = Date.now() + delay - firstRateLimitAt;
          // Refused for the budget, queueing aside; or, queueing included, for three budgets: an end either way.
          if (elapsed - attempt.queuedMs > this.#rateLimitBudgetMs || elapsed > 3 * this.#rateLimitBudgetMs)
            throw error;
        } else {
          const retryable =
            options.retry === "safe"
              ? isRetryable(error)
              : error instanceof ApiConnectionError && !error.mayHaveReachedServer;
          if (!retryable || failures >= this.#maxRetries) throw error;
          delay = this.#delayFor(failures++, error);
        }
        const reason = (error as Error).message;
        this.#log("info", `retrying ${info.method} ${info.path} in ${delay} ms after: ${reason}`);
        // The first retry is routine; from the second on, a user may be left waiting: say why.
        if (retry >= 2)
          this.#notify(`vpsorg: retry ${retry} of ${info.method} ${info.path} in ${seconds(delay)}: ${reason}`, {
            account: this.accountKey,
            method: info.method,
            path: info.path,
            status: (error as { status?: number }).status,
            delayMs: delay,
          });
        await sleep(delay);
      }
    }
  }

  /** One try; `attempt` says how many 429s the request had before, and gathers its time in the limiter's queue. */
  async #sendOnce(method: Method, path: string, options: SendOptions, info: RequestInfo, attempt: Attempt) {
    const started = Date.now();
    this.#log("debug", `-> ${info.method} ${info.path}`);
    let response: AxiosResponse<string>;
    const queued = Date.now();
    const release = await this.#limiter.acquire(options.priority);
    attempt.queuedMs += Date.now() - queued;
    try {
      response = await this.#axios.request<string>({
        method,
        url: path,
        params: options.query,
        data: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (error) {
      // Never rethrow or wrap the axios error: its config holds the Authorization header.
      throw this.#connectionError(error, info);
    } finally {
      release();
    }
    const requestId = headerOf(response, "x-request-id");
    this.#log("debug", `<- ${response.status} ${info.method} ${info.path} (${Date.now() - started} ms)`);
    const limits = limitHeaders(response);
    if (response.status >= 200 && response.status < 300) {
      this.#limiter.onAccepted(Date.now(), limits);
      return response;
    }
    const foreign = unrecognizedAnswer(response, info);
    if (foreign) {
      this.#limiter.onAccepted(Date.now(), limits);
      throw foreign;
    }
    const { message, fieldErrors } = describeErrorBody(tryJson(response.data) ?? response.data);
    const error = errorForStatus(response.status, this.#redact(message), info, {
      requestId,
      fieldErrors,
    });
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(headerOf(response, "retry-after"));
      (error as RateLimitError & { retryAfterMs?: number }).retryAfterMs = retryAfterMs;
      const capped = retryAfterMs === undefined ? undefined : Math.min(retryAfterMs, this.#maxDelayMs);
      this.#limiter.onRateLimited(capped, Date.now(), limits, attempt.refusedBefore);
    } else {
      this.#limiter.onAccepted(Date.now(), limits);
    }
    throw error;
  }

  #parse<T>(response: AxiosResponse<string>, schema: BodySchema<T> | null, info: RequestInfo): T {
    if (schema === null || response.status === 204) return undefined as T;
    const body = tryJson(response.data);
    if (body === undefined) {
      throw new UnexpectedResponseError(`the answer from ${info.url} (${response.status}) is not JSON`, info, {
        status: response.status,
        requestId: headerOf(response, "x-request-id"),
      });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UnexpectedResponseError(
        `the answer from ${info.url} (${response.status}) does not have the documented shape ` +
          `(${issue?.path.join(".") || "body"}: ${issue?.message})`,
        info,
        { status: response.status, requestId: headerOf(response, "x-request-id") },
      );
    }
    return parsed.data;
  }

  #connectionError(error: unknown, info: RequestInfo): ApiConnectionError {
    const code = (error as { code?: string }).code;
    if (code === "ECONNABORTED" || code === "ETIMEDOUT") return new ApiTimeoutError(this.#timeoutMs, info);
    const reason = error instanceof Error ? error.message : String(error);
    return new ApiConnectionError(`connection failed: ${this.#redact(reason)}`, info, code);
  }

  #info(method: string, path: string): RequestInfo {
    return { method, path, url: `${this.baseUrl}${path}` };
  }

  #delayFor(attempt: number, error: unknown): number {
    const retryAfter = (error as { retryAfterMs?: number }).retryAfterMs;
    // "Retry-After: 0" is honoured with a breather (a fifth of the first backoff step), not a busy loop.
    if (retryAfter !== undefined) return Math.min(Math.max(retryAfter, this.#baseDelayMs / 5), this.#maxDelayMs);
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** attempt);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2)); // "equal jitter": never zero, never in lockstep
  }

  /** A `next` link is followed only on the API's own origin, so the token is never sent elsewhere. */
  #sameOriginPath(next: string, info: RequestInfo): string {
    const base = new URL(`${this.baseUrl}/`);
    const target = new URL(next, base);
    if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) {
      throw new UnrecognizedAnswerError(
        `the next-page link of ${info.url} points outside the API (${target.origin}); it was not followed`,
        info,
      );
    }
    return target.pathname.slice(base.pathname.length - 1) + target.search;
  }
}

/** `pulumi-vpsorg/0.3.0 node/20.20.2 (linux; x64)`, plus what the caller adds (e.g. "plugin"). */
function userAgent(extra: string | undefined): string {
  const base = `pulumi-vpsorg/${VERSION} node/${process.versions.node} (${process.platform}; ${process.arch})`;
  return extra ? `${base} ${extra}` : base;
}

/**
 * A non-2xx answer that cannot be taken as the API's word: a redirect (never followed: the token
 * goes only to the configured URL), or a 404 whose body is not the API's JSON error (a proxy's HTML
 * page, a wrong path under the API URL). Such a 404 proves nothing about the object asked for.
 */
function unrecognizedAnswer(response: AxiosResponse<string>, info: RequestInfo): UnrecognizedAnswerError | undefined {
  const status = response.status;
  if (status >= 300 && status < 400) {
    const to = headerOf(response, "location");
    return new UnrecognizedAnswerError(
      `${info.url} answered a redirect (${status}${to ? ` to ${to}` : ""}), which is not followed: the API token ` +
        `goes only to the configured API URL. Check vpsorg:apiUrl or VPS_API_URL.`,
      info,
      { status },
    );
  }
  if (status !== 404) return undefined;
  const body = tryJson(response.data);
  if (body && typeof body === "object" && !Array.isArray(body)) return undefined; // the API's `{"detail": ...}`
  const type = headerOf(response, "content-type")?.split(";")[0] || "no content type";
  const what = String(response.data ?? "").trim() === "" ? "an empty body" : `a body that is not the API's (${type})`;
  return new UnrecognizedAnswerError(
    `${info.url} answered 404 with ${what}: not an answer of the VPS.org API, so it proves nothing. ` +
      `Check vpsorg:apiUrl or VPS_API_URL: it should end in /api/v1.`,
    info,
    { status },
  );
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function withQuery(path: string, query?: Query): string {
  const entries = Object.entries(query ?? {}).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return path;
  return `${path}?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

function tryJson(text: unknown): unknown {
  if (typeof text !== "string") return text ?? undefined;
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headerOf(response: AxiosResponse, name: string): string | undefined {
  const value = response.headers?.[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * The rate-limit headers of an answer, where the API sends them (VPS.org documents none): the IETF
 * draft's `RateLimit-Remaining`/`-Reset` (seconds from now)/`-Limit`, or `X-RateLimit-*`, whose
 * Reset may be a time (epoch seconds) or seconds from now.
 */
export function limitHeaders(response: AxiosResponse, now = Date.now()): LimitHeaders {
  const number = (name: string) => {
    const value = Number.parseFloat(headerOf(response, name) ?? "");
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const remaining = number("ratelimit-remaining") ?? number("x-ratelimit-remaining");
  if (remaining === undefined) return {};
  const reset = number("ratelimit-reset");
  const xReset = number("x-ratelimit-reset");
  const resetMs =
    reset !== undefined
      ? reset * 1000
      : xReset === undefined
        ? undefined
        : xReset > 1e9
          ? Math.max(0, xReset * 1000 - now)
          : xReset * 1000;
  return { remaining: Math.floor(remaining), resetMs, limit: number("ratelimit-limit") ?? number("x-ratelimit-limit") };
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

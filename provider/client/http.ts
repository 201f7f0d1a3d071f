// The one place that talks HTTP: auth, timeouts, the retry loop, paging and body validation.
// axios is created here and its errors are turned into this project's errors before they can
// escape, because an AxiosError carries the request config and with it the bearer token.
import { createHash } from "node:crypto";
import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import type { z } from "zod";
import { resolveConnection } from "./config";
import {
  ApiConnectionError,
  ApiTimeoutError,
  errorForStatus,
  isRetryable,
  RateLimitError,
  type RequestInfo,
  UnexpectedResponseError,
} from "./errors";
import { type Logger, makeRedactor, stderrLogger } from "./redact";
import { describeErrorBody, pageSchema } from "./schemas";

export interface HttpOptions {
  /** API token; defaults to VPS_API_TOKEN. */
  token?: string | null;
  /** Base URL; defaults to VPS_API_URL, then https://admin.vps.org/api/v1. */
  baseUrl?: string | null;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first try for GET and DELETE (default 4). */
  maxRetries?: number;
  /** First backoff step (default 500 ms); doubles each retry, with full jitter. */
  retryBaseDelayMs?: number;
  /** Cap for a backoff step and for an honoured Retry-After (default 30 s). */
  maxRetryDelayMs?: number;
  /** Items asked for per page when the server pages (default 100, the vendor's maximum). */
  pageSize?: number;
  /** Receives log lines with every secret masked; defaults to stderr when VPSORG_LOG is set. */
  logger?: Logger;
}

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
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class HttpClient {
  readonly baseUrl: string;
  /** A one-way hash of the token: lets callers tell accounts apart without holding the token. */
  readonly tokenFingerprint: string;
  readonly #axios: AxiosInstance;
  readonly #redact: (text: string) => string;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #pageSize: number;

  constructor(options: HttpOptions = {}) {
    const { token, baseUrl } = resolveConnection({ token: options.token, baseUrl: options.baseUrl });
    this.baseUrl = baseUrl;
    this.tokenFingerprint = createHash("sha256").update(token).digest("hex").slice(0, 16);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxRetries = options.maxRetries ?? 4;
    this.#baseDelayMs = options.retryBaseDelayMs ?? 500;
    this.#maxDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.#pageSize = options.pageSize ?? 100;
    this.#redact = makeRedactor(token);
    const sink = options.logger ?? stderrLogger();
    this.#log = sink ? (level, message) => sink(level, this.#redact(message)) : () => {};
    this.#axios = axios.create({
      baseURL: baseUrl,
      timeout: this.#timeoutMs,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" },
      // Every status is an answer; this class decides what is an error.
      validateStatus: () => true,
      // Bodies are parsed here, so a malformed body is an error of ours rather than a string.
      transformResponse: [(data) => data],
      responseType: "text",
      maxRedirects: 0,
    });
  }

  /** Sends one request and validates the answer's body against `schema` (skipped for empty bodies). */
  async request<T extends z.ZodType>(method: Method, path: string, schema: T | null, options: SendOptions) {
    return await this.#withRetries(method, path, options, async (info) =>
      this.#parse(await this.#sendOnce(method, path, options, info), schema, info),
    );
  }

  /** Reads a whole list, following `next` links or `page` numbers until every item is read. */
  async list<T extends z.ZodType>(path: string, item: T, query: Query = {}): Promise<z.infer<T>[]> {
    const schema = pageSchema(item);
    const items: z.infer<T>[] = [];
    const seen = new Set<string>();
    let pagePath = path;
    let pageQuery: Query = { ...query, page_size: this.#pageSize };
    for (let page = 1; page <= 10_000; page++) {
      const body = (await this.request("GET", pagePath, schema, { query: pageQuery, retry: "safe" })) as z.infer<
        ReturnType<typeof pageSchema<T>>
      >;
      let added = 0;
      for (const entry of body.results as z.infer<T>[]) {
        const key = String((entry as { id?: unknown }).id ?? JSON.stringify(entry));
        if (seen.has(key)) continue; // a server that ignores `page` repeats itself; keep one copy
        seen.add(key);
        items.push(entry);
        added++;
      }
      if (body.next) {
        pagePath = this.#sameOriginPath(body.next, { method: "GET", path });
        pageQuery = {};
      } else if (body.count !== undefined && items.length < body.count && added > 0) {
        // Paged by number without `next` links: ask for the following page.
        pagePath = path;
        pageQuery = { ...query, page: page + 1, page_size: this.#pageSize };
      } else {
        return items;
      }
      if (added === 0) return items;
    }
    return items;
  }

  /** Runs one try (send and validate) until it succeeds or the retry policy says stop. */
  async #withRetries<R>(method: Method, path: string, options: SendOptions, once: (info: RequestInfo) => Promise<R>) {
    const info: RequestInfo = { method, path: withQuery(path, options.query) };
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(info);
      } catch (error) {
        const retryable =
          options.retry === "safe"
            ? isRetryable(error)
            : error instanceof RateLimitError || (error instanceof ApiConnectionError && !error.mayHaveReachedServer);
        if (!retryable || attempt >= this.#maxRetries) throw error;
        const delay = this.#delayFor(attempt, error);
        this.#log("info", `retrying ${info.method} ${info.path} in ${delay} ms after: ${(error as Error).message}`);
        await sleep(delay);
      }
    }
  }

  async #sendOnce(method: Method, path: string, options: SendOptions, info: RequestInfo) {
    const started = Date.now();
    this.#log("debug", `-> ${info.method} ${info.path}`);
    let response: AxiosResponse<string>;
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
    }
    const requestId = headerOf(response, "x-request-id");
    this.#log("debug", `<- ${response.status} ${info.method} ${info.path} (${Date.now() - started} ms)`);
    if (response.status >= 200 && response.status < 300) return response;
    const { message, fieldErrors } = describeErrorBody(tryJson(response.data) ?? response.data);
    const error = errorForStatus(response.status, this.#redact(message), info, {
      requestId,
      fieldErrors,
    });
    if (response.status === 429) {
      (error as RateLimitError & { retryAfterMs?: number }).retryAfterMs = parseRetryAfter(
        headerOf(response, "retry-after"),
      );
    }
    throw error;
  }

  #parse<T extends z.ZodType>(response: AxiosResponse<string>, schema: T | null, info: RequestInfo): z.infer<T> {
    if (schema === null || response.status === 204) return undefined as z.infer<T>;
    const body = tryJson(response.data);
    if (body === undefined) {
      throw new UnexpectedResponseError("the answer is not JSON", info, {
        status: response.status,
        requestId: headerOf(response, "x-request-id"),
      });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UnexpectedResponseError(
        `the answer does not have the documented shape (${issue?.path.join(".") || "body"}: ${issue?.message})`,
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

  #delayFor(attempt: number, error: unknown): number {
    const retryAfter = (error as { retryAfterMs?: number }).retryAfterMs;
    if (retryAfter !== undefined) return Math.min(retryAfter, this.#maxDelayMs);
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** attempt);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2)); // "equal jitter": never zero, never in lockstep
  }

  /** A `next` link is followed only on the API's own origin, so the token is never sent elsewhere. */
  #sameOriginPath(next: string, info: RequestInfo): string {
    const base = new URL(`${this.baseUrl}/`);
    const target = new URL(next, base);
    if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) {
      throw new UnexpectedResponseError(`the next-page link points outside the API (${target.origin})`, info);
    }
    return target.pathname.slice(base.pathname.length - 1) + target.search;
  }
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

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

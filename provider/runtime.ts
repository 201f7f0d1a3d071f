// One runtime per provider process: everything a provider call depends on beside its inputs and
// its account, made in this one place and handed to what needs it. Nothing else in provider/ keeps
// state between calls. The dynamic providers (index.ts) make the process's runtime when the shim
// first loads them; the resource plugin makes its own; a test makes a fresh one.
import { createHash } from "node:crypto";
import { type ClientOptions, VpsOrgClient } from "./client/client";
import { RetryNotices } from "./client/retry-notices";
import { Claims } from "./operations/claims";
import { RestoresInProgress } from "./operations/restores";
import { ReadBatcher } from "./reads/batcher";
import { ListCosts } from "./reads/lists";
import { type Settings, settingsFromEnv } from "./settings";
import { Poller, type PollRead } from "./wait/poller";
import type { WriteLine } from "./wait/progress";

export interface Runtime {
  /** The VPSORG_* settings, read once. */
  readonly settings: Settings;
  /** Where accounts' tokens and URLs are read when the stack config has none (VPS_API_TOKEN, ...). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Writes one line for the user: stderr of a dynamic provider's host; the engine's log in the
   * resource plugin, beside the resource `urn` names when it is given.
   */
  readonly write: WriteLine;
  /** What each account's lists cost, learnt by the poller and the coalesced reads alike. */
  readonly costs: ListCosts;
  readonly reads: ReadBatcher;
  readonly poller: Poller;
  /** Objects the engine has shown this process, and those its creates took: never adopted by a marker. */
  readonly claims: Claims;
  /** Servers this process is restoring. */
  readonly restores: RestoresInProgress;
  /** The client of one account (one per URL and token, so one rate limiter per account). */
  clientFor(credentials: { token: string; baseUrl?: string; allowInsecureHttp?: boolean }): VpsOrgClient;
}

export interface RuntimeOptions {
  /** The environment to read settings and credentials from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Settings to use instead of reading them from `env`. */
  settings?: Settings;
  /** Where lines for the user go, and which resource they are about when known (default: stderr). */
  write?: WriteLine;
  /** Told of every list read of a poll tick (benchmarks, tests). */
  onRead?: (read: PollRead) => void;
  /** Added to every client's User-Agent (e.g. "plugin"). */
  userAgent?: string;
  /** More options for every client (benchmarks and tests: faster backoff). */
  clientOptions?: Partial<ClientOptions>;
}

/** Clients kept at the most: one per account a process has talked to is a handful. */
const MAX_CLIENTS = 1_000;

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const env = options.env ?? process.env;
  const settings = options.settings ?? settingsFromEnv(env);
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const plain = (line: string) => write(line); // retry notices and summaries are about no one resource
  const costs = new ListCosts();
  const clients = new Map<string, VpsOrgClient>();
  // Retry lines are counted over the progress interval (30 s) once a few have been written.
  const retries = new RetryNotices(settings.progressIntervalMs, plain);
  return {
    settings,
    env,
    write,
    costs,
    reads: new ReadBatcher(costs, settings.readWindowMs),
    poller: new Poller(costs, {
      poll: settings.poll,
      progressIntervalMs: settings.progressIntervalMs,
      write,
      onRead: options.onRead,
    }),
    claims: new Claims(),
    restores: new RestoresInProgress(),
    clientFor({ token, baseUrl, allowInsecureHttp }) {
      const key = createHash("sha256")
        .update(`${baseUrl ?? ""}\n${token}\n${allowInsecureHttp === true}`)
        .digest("hex");
      let client = clients.get(key);
      if (!client) {
        if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
        client = new VpsOrgClient({
          ...options.clientOptions,
          token,
          baseUrl,
          allowInsecureHttp,
          settings,
          notify: retries.notify,
          userAgent: options.userAgent,
        });
        clients.set(key, client);
      }
      return client;
    },
  };
}

// Every VPSORG_* setting, in one table: its variable, range, default and meaning. The README's
// configuration section follows this table (tests/unit/settings.test.ts holds them together), and
// nothing else in the package reads a VPSORG_* variable: a provider process reads them once, when
// its runtime is made (runtime.ts), and a client made by a script reads them through here too.

/** Clamps a value into its documented range; a missing or non-numeric value takes the default. */
export function bounded(value: number | undefined, lo: number, hi: number, fallback: number): number {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.min(hi, Math.max(lo, value));
}

/** A number from an environment variable; unset, blank or not a number is undefined. */
export function numberFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export type LogLevel = "debug" | "info" | "warn";

export interface RateLimitSettings {
  /** Limit at all (VPSORG_RATE_LIMIT=off: no pacing, no pause, no cap; 429s are still retried). */
  enabled: boolean;
  /** Requests of one account in flight at once. */
  maxConcurrent: number;
  /** The paced rate never drops below this, in requests/s. */
  minRps: number;
  /** Time in which the rate regains what a cut took. */
  recoveryMs: number;
  /** Pacing ends after this long without a 429. */
  releaseAfterMs: number;
}

export interface PollSettings {
  /** At most one poll request per this interval per account, on average. */
  minIntervalMs: number;
  /** The interval of a lone wait, and the longest any waiter goes unchecked. */
  maxIntervalMs: number;
  /** Delay before the first check of a wait when nothing else is polling. */
  firstCheckMs: number;
  /** Every interval is multiplied by a random factor in 1 ± jitter. */
  jitter: number;
}

/** What a provider process reads from its environment, once. */
export interface Settings {
  log: LogLevel | undefined;
  /** How long a lost answer is reconciled before giving up. */
  reconcileMs: number;
  poll: PollSettings;
  /** A wait running longer than this reports progress this often; 0 = never. */
  progressIntervalMs: number;
  /** The window in which reads are gathered into one. */
  readWindowMs: number;
  rateLimit: RateLimitSettings;
  /** How long a request keeps retrying 429 answers, from its first 429 (its time queued behind the limiter aside). */
  rateLimitBudgetMs: number;
  /** Send tokens over plain http to other machines (never advisable). */
  allowInsecureHttp: boolean;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One row of the table: the variable, its range and default as the README states them. */
export interface SettingRow {
  env: string;
  what: string;
  range: string;
  default: string;
}

/** The table, as the README's configuration section shows it. */
export const SETTINGS_TABLE: readonly SettingRow[] = [
  {
    env: "VPSORG_RECONCILE_MS",
    what: "patience after a lost answer",
    range: "0 to 1 h",
    default: "120000 (2 minutes)",
  },
  { env: "VPSORG_LOG", what: "log lines (stderr, token masked)", range: "debug, info or warn", default: "off" },
  {
    env: "VPSORG_POLL_MIN_MS",
    what: "poll: fastest pace",
    range: "1 ms to 1 h",
    default: "300 ms: at most one poll request per 0.3 s per account, on average",
  },
  { env: "VPSORG_POLL_MAX_MS", what: "poll: interval of a lone wait", range: "min to 1 h", default: "10 s" },
  {
    env: "VPSORG_POLL_FIRST_MS",
    what: "poll: first check",
    range: "0 to 1 h",
    default: "1.9 x the max interval (19 s)",
  },
  { env: "VPSORG_POLL_JITTER", what: "poll: jitter", range: "0 to 0.5", default: "0.1 (±10%)" },
  { env: "VPSORG_PROGRESS_MS", what: "progress lines of long waits", range: "0 = off, up to 1 h", default: "30 s" },
  { env: "VPSORG_READ_WINDOW_MS", what: "coalescing window of reads", range: "0 to 1 s", default: "25 ms" },
  { env: "VPSORG_RATE_LIMIT", what: "rate limit on/off", range: "off", default: "on (paces only after a 429)" },
  {
    env: "VPSORG_RATE_LIMIT_CONCURRENCY",
    what: "requests in flight per account",
    range: "1 to 256",
    default: "16",
  },
  { env: "VPSORG_RATE_LIMIT_MIN_RPS", what: "lowest paced rate", range: "0.01 to 1000", default: "0.2 requests/s" },
  { env: "VPSORG_RATE_LIMIT_RECOVERY_MS", what: "time to regain a cut", range: "1 s to 1 h", default: "60 s" },
  {
    env: "VPSORG_RATE_LIMIT_RELEASE_MS",
    what: "pacing ends after no 429 for",
    range: "1 s to 24 h",
    default: "10 minutes",
  },
  {
    env: "VPSORG_RATE_LIMIT_BUDGET_MS",
    what: "how long 429s are retried",
    range: "0 to 24 h",
    default: "10 minutes from a request's first 429, queueing aside",
  },
  {
    env: "VPSORG_ALLOW_INSECURE_HTTP",
    what: "send the token over plain http to another machine",
    range: "true",
    default: "off: http only to 127.0.0.1 or localhost",
  },
];

export const DEFAULT_POLL: Omit<PollSettings, "firstCheckMs"> = {
  minIntervalMs: 300,
  maxIntervalMs: 10 * SECOND,
  jitter: 0.1,
};
export const DEFAULT_PROGRESS_INTERVAL_MS = 30 * SECOND;
export const DEFAULT_READ_WINDOW_MS = 25;
/** Longest accepted read window: a read is a user waiting. */
export const MAX_READ_WINDOW_MS = SECOND;
/** No poll interval, first check or progress interval may be longer. */
export const MAX_SETTING_MS = HOUR;
export const DEFAULT_RECONCILE_MS = 2 * MINUTE;
export const DEFAULT_RATE_LIMIT_BUDGET_MS = 10 * MINUTE;

export const DEFAULT_RATE_LIMIT: RateLimitSettings = {
  enabled: true,
  maxConcurrent: 16,
  minRps: 0.2,
  recoveryMs: MINUTE,
  releaseAfterMs: 10 * MINUTE,
};

/** Poll settings with defaults filled in and every value clamped into its range. */
export function normalizePoll(given: Partial<PollSettings> = {}): PollSettings {
  const min = bounded(given.minIntervalMs, 1, MAX_SETTING_MS, DEFAULT_POLL.minIntervalMs);
  const max = bounded(given.maxIntervalMs, min, MAX_SETTING_MS, Math.max(min, DEFAULT_POLL.maxIntervalMs));
  // 1.9 x max puts a lone wait's checks at 19, 29, 39 s ...: the moments StateChangeConf (as the DigitalOcean
  // provider uses it) checks from 19 s on, without its checks at 10 and 13 s (jobs take minutes).
  const first = bounded(given.firstCheckMs, 0, MAX_SETTING_MS, Math.min(MAX_SETTING_MS, Math.round(1.9 * max)));
  return { minIntervalMs: min, maxIntervalMs: max, firstCheckMs: first, jitter: bounded(given.jitter, 0, 0.5, 0.1) };
}

/** Rate-limit settings with defaults filled in and every value clamped into its range. */
export function normalizeRateLimit(given: Partial<RateLimitSettings> = {}): RateLimitSettings {
  const d = DEFAULT_RATE_LIMIT;
  return {
    enabled: given.enabled ?? d.enabled,
    maxConcurrent: Math.round(bounded(given.maxConcurrent, 1, 256, d.maxConcurrent)),
    minRps: bounded(given.minRps, 0.01, 1000, d.minRps),
    recoveryMs: bounded(given.recoveryMs, SECOND, HOUR, d.recoveryMs),
    releaseAfterMs: bounded(given.releaseAfterMs, SECOND, DAY, d.releaseAfterMs),
  };
}

export const boundedBudgetMs = (ms: number | undefined) => bounded(ms, 0, DAY, DEFAULT_RATE_LIMIT_BUDGET_MS);
export const boundedReadWindowMs = (ms: number | undefined) =>
  bounded(ms, 0, MAX_READ_WINDOW_MS, DEFAULT_READ_WINDOW_MS);
export const boundedProgressMs = (ms: number | undefined) =>
  bounded(ms, 0, MAX_SETTING_MS, DEFAULT_PROGRESS_INTERVAL_MS);

/** "true", "1", "yes" or "on", in any case. */
export const isTrue = (value: unknown) =>
  value === true || (typeof value === "string" && ["true", "1", "yes", "on"].includes(value.trim().toLowerCase()));

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn"];

/** Reads every VPSORG_* variable of `env`: unset, blank or unreadable values take their defaults. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): Settings {
  const num = (name: string) => numberFromEnv(env[name]);
  const flag = env.VPSORG_RATE_LIMIT?.trim().toLowerCase();
  const level = env.VPSORG_LOG?.trim().toLowerCase();
  return {
    // Any other non-empty value logs everything, as "debug" does: asking for logs should show some.
    log: level ? (LEVELS.find((l) => l === level) ?? "debug") : undefined,
    reconcileMs: bounded(num("VPSORG_RECONCILE_MS"), 0, HOUR, DEFAULT_RECONCILE_MS),
    poll: normalizePoll({
      minIntervalMs: num("VPSORG_POLL_MIN_MS"),
      maxIntervalMs: num("VPSORG_POLL_MAX_MS"),
      firstCheckMs: num("VPSORG_POLL_FIRST_MS"),
      jitter: num("VPSORG_POLL_JITTER"),
    }),
    progressIntervalMs: boundedProgressMs(num("VPSORG_PROGRESS_MS")),
    readWindowMs: boundedReadWindowMs(num("VPSORG_READ_WINDOW_MS")),
    rateLimit: normalizeRateLimit({
      enabled: flag ? !["off", "0", "false", "no"].includes(flag) : undefined,
      maxConcurrent: num("VPSORG_RATE_LIMIT_CONCURRENCY"),
      minRps: num("VPSORG_RATE_LIMIT_MIN_RPS"),
      recoveryMs: num("VPSORG_RATE_LIMIT_RECOVERY_MS"),
      releaseAfterMs: num("VPSORG_RATE_LIMIT_RELEASE_MS"),
    }),
    rateLimitBudgetMs: boundedBudgetMs(num("VPSORG_RATE_LIMIT_BUDGET_MS")),
    allowInsecureHttp: isTrue(env.VPSORG_ALLOW_INSECURE_HTTP),
  };
}

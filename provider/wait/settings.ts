// How often waits look at the API, and how they report progress. Every value has a default, an
// environment variable and a bound: a timer longer than Node can keep would fire at once.
import { bounded, numberFromEnv } from "../client/config";

/** One hour: no poll interval, first check or progress interval may be longer. */
export const MAX_SETTING_MS = 3_600_000;

export interface PollSettings {
  /**
   * The poll spends at most one list request per `minIntervalMs` per account on average, however
   * many resources wait (VPSORG_POLL_MIN_MS, default 300 ms: a tick of the account's 10 pages every 3 s, well
   * under the API's rate limit as measured by `npm run bench`; the limiter slows down after a 429).
   */
  minIntervalMs: number;
  /** The interval of a lone wait, and the longest any waiter goes unchecked (VPSORG_POLL_MAX_MS, default 10 s). */
  maxIntervalMs: number;
  /** Delay before the first check of a wait when nothing else is polling (VPSORG_POLL_FIRST_MS, default 1.9 x max). */
  firstCheckMs?: number;
  /** Every interval is multiplied by a random factor in 1 ± jitter (VPSORG_POLL_JITTER, default 0.1). */
  jitter?: number;
  /** A wait running longer than this writes a progress line this often; 0 = never (VPSORG_PROGRESS_MS, default 30 s). */
  progressIntervalMs?: number;
  /** Where progress lines go (default: stderr, which Pulumi shows for a dynamic provider). */
  progressWriter?: (line: string) => void;
  /** Told of every list read of a tick: which kind, read how, at how many requests (benchmarks, tests). */
  onRead?: (read: PollRead) => void;
}

export interface PollRead {
  kind: string;
  scope: "account" | "servers";
  requests: number;
  /** Servers with waiters. */
  servers: number;
}

export type FullPollSettings = Required<PollSettings>;

export const DEFAULT_POLL_SETTINGS = {
  minIntervalMs: 300,
  maxIntervalMs: 10_000,
  jitter: 0.1,
  progressIntervalMs: 30_000,
} as const;

export function pollSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): PollSettings {
  return normalizePollSettings({
    minIntervalMs: numberFromEnv(env.VPSORG_POLL_MIN_MS) ?? DEFAULT_POLL_SETTINGS.minIntervalMs,
    maxIntervalMs: numberFromEnv(env.VPSORG_POLL_MAX_MS) ?? DEFAULT_POLL_SETTINGS.maxIntervalMs,
    firstCheckMs: numberFromEnv(env.VPSORG_POLL_FIRST_MS),
    jitter: numberFromEnv(env.VPSORG_POLL_JITTER),
    progressIntervalMs: numberFromEnv(env.VPSORG_PROGRESS_MS),
  });
}

/** Fills in defaults and clamps every value into its documented range. */
export function normalizePollSettings(given: PollSettings): FullPollSettings {
  const min = bounded(given.minIntervalMs, 1, MAX_SETTING_MS, DEFAULT_POLL_SETTINGS.minIntervalMs);
  const max = bounded(given.maxIntervalMs, min, MAX_SETTING_MS, Math.max(min, DEFAULT_POLL_SETTINGS.maxIntervalMs));
  // 1.9 x max puts a lone wait's checks at 19, 29, 39 s ...: the moments StateChangeConf (as the DigitalOcean
  // provider uses it) checks from 19 s on, without its checks at 10 and 13 s (jobs take minutes).
  const first = bounded(given.firstCheckMs, 0, MAX_SETTING_MS, Math.round(1.9 * max));
  return {
    minIntervalMs: min,
    maxIntervalMs: max,
    firstCheckMs: first,
    jitter: bounded(given.jitter, 0, 0.5, DEFAULT_POLL_SETTINGS.jitter),
    progressIntervalMs: bounded(given.progressIntervalMs, 0, MAX_SETTING_MS, DEFAULT_POLL_SETTINGS.progressIntervalMs),
    progressWriter: given.progressWriter ?? ((line) => void process.stderr.write(`${line}\n`)),
    onRead: given.onRead ?? (() => {}),
  };
}

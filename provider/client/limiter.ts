// A client-side rate limit for one account. The API documents no limit, so the limiter learns one,
// and tells a limit from noise: a 429 is taken as the account's limit only when the answers say so.
//   - Before any sign of a limit it paces nothing (only a generous cap on requests in flight, so
//     that a burst of creates cannot meet a limit hundreds at a time).
//   - A 429 alone is noise until shown otherwise: only that request waits (its Retry-After, else a
//     backoff) before it is sent again; the account goes on at its pace. A flaky API that answers
//     one request in ten with 429, whatever the rate, is not a limit, and slowing down would not
//     make it answer better.
//   - A limit shows as 429s that cluster (4 of the last 5 answers: an empty bucket refuses every
//     request until it refills), or that are many (a third of the last 40), or that keep refusing
//     one request (its third 429 in a row, though it waited each Retry-After), or as a rate-limit
//     header saying nothing remains. Then, AIMD-style like a TCP sender, it paces the account at
//     half the rate the API had been accepting, halves again while the limit keeps showing (at most
//     once a second), and pauses every request of the account for the Retry-After; without further
//     signs the rate grows back linearly (what the last cut took, in a minute by default), and
//     pacing ends after a quiet spell (10 minutes by default). Once the limit has shown, every
//     further 429 is taken as it again until that spell: the noise test guards the way in only.
//   - Rate-limit headers (`RateLimit-Remaining`/`-Reset`, or `X-RateLimit-*`), when the API sends
//     them, spread what remains over the time until the reset once less than half is left: several
//     processes on one account then share it without meeting a 429. Without them, nothing changes.
// Every request of a client goes through its limiter; a provider process keeps one client, and so
// one limiter, per account (runtime.ts).
import { normalizeRateLimit, type RateLimitSettings } from "../settings";

export type { RateLimitSettings } from "../settings";

/** Answers the accepted rate is measured over. */
const WINDOW_MS = 10_000;
const MAX_SAMPLES = 2_000;
/** The answers judged for a limit: the newest last. */
const RECENT = 40;

/** What an answer says about the limit, besides its status. */
export interface LimitHeaders {
  /** Requests left before the limit (`RateLimit-Remaining`, `X-RateLimit-Remaining`). */
  remaining?: number;
  /** When they are all back, in ms from now (`RateLimit-Reset` in seconds, or `X-RateLimit-Reset` as a time). */
  resetMs?: number;
  /** The allowance itself (`RateLimit-Limit`, `X-RateLimit-Limit`). */
  limit?: number;
}

/**
 * Whether recent answers (true: refused with 429; newest last) show a limit rather than noise: a
 * run (4 of the last 5 refused) or a share (at least a third of the last 40, once there are 20).
 * Noise of one 429 in ten answers shows neither but about once in 2,500 answers.
 */
export function showsLimit(recent: readonly boolean[]): boolean {
  const last5 = recent.slice(-5);
  if (last5.length >= 4 && last5.filter(Boolean).length >= 4) return true;
  const last40 = recent.slice(-RECENT);
  return last40.length >= 20 && last40.filter(Boolean).length / last40.length >= 1 / 3;
}

/**
 * The pace the headers ask for, in requests/s, once less than half of the allowance is left (or,
 * without the allowance, fewer than 10 requests): what remains, spread over the time to the reset.
 * Undefined when the headers say nothing, or say there is plenty.
 */
export function headerPace(headers: LimitHeaders, minRps: number): number | undefined {
  const { remaining, resetMs, limit } = headers;
  if (remaining === undefined || resetMs === undefined || resetMs <= 0) return undefined;
  const plenty = limit !== undefined ? remaining >= limit / 2 : remaining >= 10;
  if (plenty) return undefined;
  return Math.max(minRps, remaining / (resetMs / 1000));
}

export interface RateLimiterStats {
  /** Whether requests are being paced after a limit showed (the quiet spell has not passed). */
  limited: boolean;
  /** The paced rate in requests/s (undefined while not limited). */
  rps: number | undefined;
  /** The pace the rate-limit headers ask for now, if any. */
  headerRps: number | undefined;
  /** Requests waiting for a slot or for the end of a pause. */
  queued: number;
  inFlight: number;
  /** Until when every request of the account waits (epoch ms; 0 when not paused). */
  pausedUntil: number;
  /** 429 answers seen. */
  rateLimited: number;
  /** Of those, the ones taken as noise: only their own request waited. */
  sporadic: number;
}

export type RequestPriority = "high" | "normal";

export class RateLimiter {
  readonly settings: RateLimitSettings;
  #limited = false;
  #rps = 0;
  #headerRps: number | undefined;
  #nextSlotAt = 0;
  #pausedUntil = 0;
  #lastLimitAt = 0;
  #lastDecreaseAt = 0;
  #lastGrowthAt = 0;
  /** Requests/s regained per ms without a sign of the limit: the last cut spread over the recovery time. */
  #growthPerMs = 0;
  #inFlight = 0;
  #rateLimited = 0;
  #sporadic = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #high: Array<(release: () => void) => void> = [];
  readonly #normal: Array<(release: () => void) => void> = [];
  readonly #accepted: number[] = [];
  readonly #recent: boolean[] = [];

  constructor(settings: Partial<RateLimitSettings> = {}) {
    this.settings = normalizeRateLimit(settings);
  }

  stats(): RateLimiterStats {
    this.#refresh(Date.now());
    return {
      limited: this.#limited,
      rps: this.#limited ? this.#rps : undefined,
      headerRps: this.#headerRps,
      queued: this.#high.length + this.#normal.length,
      inFlight: this.#inFlight,
      pausedUntil: this.#pausedUntil > Date.now() ? this.#pausedUntil : 0,
      rateLimited: this.#rateLimited,
      sporadic: this.#sporadic,
    };
  }

  /**
   * Waits for the account's turn; call the returned function when the answer is in. "high" goes
   * before every "normal" request waiting: a list that serves every wait of the process should not
   * queue behind hundreds of creates, each of which serves one resource.
   */
  acquire(priority: RequestPriority = "normal"): Promise<() => void> {
    if (!this.settings.enabled) return Promise.resolve(() => {});
    return new Promise((resolve) => {
      (priority === "high" ? this.#high : this.#normal).push(resolve);
      this.#pump();
    });
  }

  /** The pace requests go at now, in requests/s; undefined: no pacing. */
  #pace(): number | undefined {
    const paces = [this.#limited ? this.#rps : undefined, this.#headerRps].filter((r) => r !== undefined);
    return paces.length ? Math.min(...paces) : undefined;
  }

  /** Lets waiting requests go, as many as the pause, the pace and the cap on requests in flight allow. */
  #pump() {
    if (this.#timer) return; // a wake-up is set; it pumps
    for (;;) {
      if (this.#high.length === 0 && this.#normal.length === 0) return;
      const now = Date.now();
      if (this.#pausedUntil > now) return this.#wakeAt(this.#pausedUntil);
      if (this.#inFlight >= this.settings.maxConcurrent) return; // a release pumps
      this.#refresh(now);
      const pace = this.#pace();
      if (pace !== undefined) {
        if (this.#nextSlotAt > now) return this.#wakeAt(this.#nextSlotAt);
        this.#nextSlotAt = now + 1000 / pace; // a bucket of one: no burst after a quiet spell
      }
      const next = (this.#high.shift() ?? this.#normal.shift()) as (release: () => void) => void;
      this.#inFlight++;
      let released = false;
      next(() => {
        if (released) return;
        released = true;
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  #wakeAt(at: number) {
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#pump();
      },
      Math.max(1, at - Date.now()),
    );
  }

  #remember(refused: boolean) {
    this.#recent.push(refused);
    if (this.#recent.length > RECENT) this.#recent.shift();
  }

  /** An answer that was not a 429: counts toward the rate the API accepts; its headers, if any, pace. */
  onAccepted(now = Date.now(), headers: LimitHeaders = {}): void {
    this.#accepted.push(now);
    if (this.#accepted.length > MAX_SAMPLES) this.#accepted.splice(0, this.#accepted.length - MAX_SAMPLES);
    this.#remember(false);
    this.#listen(headers);
  }

  /**
   * A 429. `retryAfterMs` is already capped by the caller; `refusedBefore`: the 429s its request had
   * before this one. Returns whether it was taken as the account's limit (else only its request waits).
   */
  onRateLimited(
    retryAfterMs: number | undefined,
    now = Date.now(),
    headers: LimitHeaders = {},
    refusedBefore = 0,
  ): boolean {
    this.#rateLimited++;
    this.#remember(true);
    this.#listen(headers);
    // Noise refusing one request three times running is one in a thousand; a limit, common.
    const limit = this.#limited || headers.remaining === 0 || refusedBefore >= 2 || showsLimit(this.#recent);
    if (!limit) {
      this.#sporadic++;
      return false;
    }
    this.#lastLimitAt = now;
    const pause = retryAfterMs ?? (headers.remaining === 0 ? headers.resetMs : undefined);
    if (pause !== undefined && pause > 0) this.#pausedUntil = Math.max(this.#pausedUntil, now + pause);
    if (!this.#limited) {
      const accepted = this.#acceptedRate(now);
      this.#limited = true;
      // Half of what was accepted; a handful of answers say little about the limit, so at least 1/s.
      this.#rps = Math.max(this.settings.minRps, 1, accepted / 2);
      this.#growthPerMs = this.#rps / this.settings.recoveryMs;
      this.#lastDecreaseAt = now;
      this.#lastGrowthAt = now;
      this.#nextSlotAt = now;
    } else if (now - this.#lastDecreaseAt >= Math.max(1_000, pause ?? 0)) {
      // Answers already in flight when the rate was cut also come back 429: cut once per round.
      const before = this.#rps;
      this.#rps = Math.max(this.settings.minRps, this.#rps / 2);
      this.#growthPerMs = Math.max(before - this.#rps, this.settings.minRps) / this.settings.recoveryMs;
      this.#lastDecreaseAt = now;
      this.#lastGrowthAt = now;
    }
    return true;
  }

  #listen(headers: LimitHeaders) {
    if (headers.remaining === undefined) return; // an API without them: nothing to learn here
    this.#headerRps = headerPace(headers, this.settings.minRps);
  }

  /** Additive increase while quiet, and the end of pacing after a quiet spell. */
  #refresh(now: number) {
    if (!this.#limited) return;
    if (now - this.#lastLimitAt >= this.settings.releaseAfterMs) {
      this.#limited = false;
      return;
    }
    if (now > this.#lastGrowthAt) {
      this.#rps += (now - this.#lastGrowthAt) * this.#growthPerMs;
      this.#lastGrowthAt = now;
    }
  }

  /** Requests/s answered without a 429 over the last window. */
  #acceptedRate(now: number): number {
    const since = now - WINDOW_MS;
    while (this.#accepted.length > 0 && this.#accepted[0] < since) this.#accepted.shift();
    if (this.#accepted.length === 0) return 0;
    const span = Math.max(1_000, now - this.#accepted[0]);
    return (this.#accepted.length * 1000) / span;
  }
}

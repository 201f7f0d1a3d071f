// A client-side rate limit for one account. The API documents no limit, so the limiter learns one
// from 429 answers, AIMD-style, like a TCP sender:
//   - before any 429 it paces nothing (only a generous cap on requests in flight, so that a burst
//     of creates cannot meet a limit hundreds at a time);
//   - a 429 starts pacing at half the rate the API had been accepting (then halves again on a
//     further 429, at most once a second), and its Retry-After pauses every request of the account;
//   - without a 429, the rate grows back linearly, regaining what the last cut took in a minute
//     (by default), and on at the same slope; pacing ends after a quiet spell (10 minutes).
// Every request of a client goes through its limiter; a provider process keeps one client, and so
// one limiter, per account (runtime.ts).
import { normalizeRateLimit, type RateLimitSettings } from "../settings";

export type { RateLimitSettings } from "../settings";

/** Answers the accepted rate is measured over. */
const WINDOW_MS = 10_000;
const MAX_SAMPLES = 2_000;

export interface RateLimiterStats {
  /** Whether requests are being paced (a 429 was seen and the quiet spell has not passed). */
  limited: boolean;
  /** The paced rate in requests/s (undefined while not limited). */
  rps: number | undefined;
  /** Requests waiting for a slot or for the end of a pause. */
  queued: number;
  inFlight: number;
  /** Until when every request of the account waits (epoch ms; 0 when not paused). */
  pausedUntil: number;
  /** 429 answers seen. */
  rateLimited: number;
}

export type RequestPriority = "high" | "normal";

export class RateLimiter {
  readonly settings: RateLimitSettings;
  #limited = false;
  #rps = 0;
  #nextSlotAt = 0;
  #pausedUntil = 0;
  #last429At = 0;
  #lastDecreaseAt = 0;
  #lastGrowthAt = 0;
  /** Requests/s regained per ms without a 429: the last cut spread over the recovery time. */
  #growthPerMs = 0;
  #inFlight = 0;
  #rateLimited = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #high: Array<(release: () => void) => void> = [];
  readonly #normal: Array<(release: () => void) => void> = [];
  readonly #accepted: number[] = [];

  constructor(settings: Partial<RateLimitSettings> = {}) {
    this.settings = normalizeRateLimit(settings);
  }

  stats(): RateLimiterStats {
    this.#refresh(Date.now());
    return {
      limited: this.#limited,
      rps: this.#limited ? this.#rps : undefined,
      queued: this.#high.length + this.#normal.length,
      inFlight: this.#inFlight,
      pausedUntil: this.#pausedUntil > Date.now() ? this.#pausedUntil : 0,
      rateLimited: this.#rateLimited,
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

  /** Lets waiting requests go, as many as the pause, the pace and the cap on requests in flight allow. */
  #pump() {
    if (this.#timer) return; // a wake-up is set; it pumps
    for (;;) {
      if (this.#high.length === 0 && this.#normal.length === 0) return;
      const now = Date.now();
      if (this.#pausedUntil > now) return this.#wakeAt(this.#pausedUntil);
      if (this.#inFlight >= this.settings.maxConcurrent) return; // a release pumps
      this.#refresh(now);
      if (this.#limited) {
        if (this.#nextSlotAt > now) return this.#wakeAt(this.#nextSlotAt);
        this.#nextSlotAt = now + 1000 / this.#rps; // a bucket of one: no burst after a quiet spell
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

  /** An answer that was not a 429: counts toward the rate the API accepts. */
  onAccepted(now = Date.now()): void {
    this.#accepted.push(now);
    if (this.#accepted.length > MAX_SAMPLES) this.#accepted.splice(0, this.#accepted.length - MAX_SAMPLES);
  }

  /** A 429: pause the account for `retryAfterMs` (already capped by the caller) and slow down. */
  onRateLimited(retryAfterMs: number | undefined, now = Date.now()): void {
    this.#rateLimited++;
    this.#last429At = now;
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
    }
    if (!this.#limited) {
      const accepted = this.#acceptedRate(now);
      this.#limited = true;
      // Half of what was accepted; a handful of answers say little about the limit, so at least 1/s.
      this.#rps = Math.max(this.settings.minRps, 1, accepted / 2);
      this.#growthPerMs = this.#rps / this.settings.recoveryMs;
      this.#lastDecreaseAt = now;
      this.#lastGrowthAt = now;
      this.#nextSlotAt = now;
    } else if (now - this.#lastDecreaseAt >= Math.max(1_000, retryAfterMs ?? 0)) {
      // Answers already in flight when the rate was cut also come back 429: cut once per round.
      const before = this.#rps;
      this.#rps = Math.max(this.settings.minRps, this.#rps / 2);
      this.#growthPerMs = Math.max(before - this.#rps, this.settings.minRps) / this.settings.recoveryMs;
      this.#lastDecreaseAt = now;
      this.#lastGrowthAt = now;
    }
  }

  /** Additive increase while quiet, and the end of pacing after a quiet spell. */
  #refresh(now: number) {
    if (!this.#limited) return;
    if (now - this.#last429At >= this.settings.releaseAfterMs) {
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

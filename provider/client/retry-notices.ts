// Retry lines that stay readable when many requests retry at once. Each retry from a request's
// second on writes a line, so that a long pause is explained; but under a thousand waits and a
// flaky API that is thousands of lines. Per account and interval, the first few are written as they
// come, and the rest are counted into one line at the interval's end:
//   vpsorg: 37 more retries in the last 30s (429: 20, 503: 12, no answer: 5), the longest pause 4 s
import type { RetryNotice } from "./types";

/** Retry lines written as they come, per account and interval, before the rest are counted. */
export const RETRY_LINES_PER_INTERVAL = 3;

interface Interval {
  written: number;
  /** Retries counted, not written: by status ("no answer" without one). */
  counted: Map<string, number>;
  longestDelayMs: number;
}

/** The one-line count of the retries an interval did not write. */
export function formatRetrySummary(counted: ReadonlyMap<string, number>, longestDelayMs: number, intervalMs: number) {
  const total = [...counted.values()].reduce((sum, n) => sum + n, 0);
  const byCause = [...counted.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([cause, n]) => `${cause}: ${n}`)
    .join(", ");
  const pause =
    longestDelayMs < 1000 ? `${Math.round(longestDelayMs)} ms` : `${Math.round(longestDelayMs / 100) / 10} s`;
  return `vpsorg: ${total} more retr${total === 1 ? "y" : "ies"} in the last ${Math.round(intervalMs / 1000)}s (${byCause}), the longest pause ${pause}`;
}

/** One per provider process (runtime.ts): the `notify` of every client it makes. */
export class RetryNotices {
  readonly #intervals = new Map<string, Interval>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly write: (line: string) => void,
  ) {}

  readonly notify = (line: string, retry: RetryNotice): void => {
    if (this.intervalMs <= 0) return this.write(line);
    let interval = this.#intervals.get(retry.account);
    if (!interval) {
      interval = { written: 0, counted: new Map(), longestDelayMs: 0 };
      this.#intervals.set(retry.account, interval);
      this.#arm();
    }
    if (interval.written < RETRY_LINES_PER_INTERVAL) {
      interval.written++;
      this.write(line);
      return;
    }
    const cause = retry.status === undefined ? "no answer" : String(retry.status);
    interval.counted.set(cause, (interval.counted.get(cause) ?? 0) + 1);
    interval.longestDelayMs = Math.max(interval.longestDelayMs, retry.delayMs);
  };

  #arm() {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      for (const interval of this.#intervals.values()) {
        if (interval.counted.size > 0) {
          this.write(formatRetrySummary(interval.counted, interval.longestDelayMs, this.intervalMs));
        }
      }
      this.#intervals.clear();
    }, this.intervalMs);
    this.#timer.unref(); // never keeps the process alive; a summary cut short by the exit is no loss
  }
}

// When the poll of an account looks at its lists: pure functions of the settings, the number of
// waiters and what a tick costs, so the schedule can be checked without a clock or a server.
//
// A lone wait is checked at the first check, then every max interval (19, 29, 39 s ... by default:
// StateChangeConf's moments from 19 s on, minus its early checks at 10 and 13 s). With n waiters and
// a tick costing c requests, the hub ticks every max * sqrt(c / n) (the interval that balances
// requests against lag), never more often than one request per min interval on average, never less
// often than the max interval unless the pages alone cost more than that.
import type { PollSettings } from "../settings";

/**
 * The interval between two ticks of one account with `waiters` waiting and a tick costing `cost`
 * requests: one waiter, the max interval; 50 waiters on one page, max / 7.
 */
export function pollInterval(settings: PollSettings, waiters: number, cost: number): number {
  const { minIntervalMs: min, maxIntervalMs: max } = settings;
  const c = Math.max(1, cost);
  return Math.max(c * min, Math.min(max, max * Math.sqrt(c / Math.max(1, waiters))));
}

/**
 * The first check of an idle account. Jitter only brings it forward, by at most jitter x the room to
 * the max-interval grid below (0.1 x 1 s by default): a lone wait keeps StateChangeConf's phase
 * (19, 29, 39 s ...) and never falls behind it. `random` is in [0, 1).
 */
export function firstCheckDelay(settings: PollSettings, random: number): number {
  const { firstCheckMs: first, maxIntervalMs: max, jitter } = settings;
  const room = Math.min(first, max - (first % max));
  return Math.max(0, Math.round(first - random * jitter * room));
}

/** `ms` times a factor in 1 ± jitter; `random` in [0, 1). */
export function jittered(ms: number, jitter: number, random: number): number {
  return Math.max(0, Math.round(ms * (1 + jitter * (2 * random - 1))));
}

/**
 * When the tick after one that was planned for `plannedAt` and started at `startedAt` is due. At
 * the max interval (a lone wait) ticks stay on their grid, without jitter or drift from request
 * latency; faster ticks are jittered around their interval. No waiter is looked at later than its
 * `checkBy` (every wait is seen before its deadline), and nothing is due before `now`.
 */
export function nextTickAt(
  settings: PollSettings,
  tick: { interval: number; plannedAt: number; startedAt: number; now: number; random: number },
  checkBys: Iterable<number>,
): number {
  const { interval, plannedAt, startedAt, now, random } = tick;
  let at =
    interval >= settings.maxIntervalMs ? plannedAt + interval : startedAt + jittered(interval, settings.jitter, random);
  for (const checkBy of checkBys) at = Math.min(at, checkBy);
  return Math.max(now, at);
}

/** A wait's latest first look: 9/10 of its timeout, however short, so it is seen before its deadline. */
export const checkByOf = (startedAt: number, timeoutMs: number) => startedAt + Math.floor(timeoutMs * 0.9);

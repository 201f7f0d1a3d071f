// When a poll looks at its lists: the interval, the first check and the next tick, as pure functions.
import { normalizePoll } from "../../provider/settings";
import { checkByOf, firstCheckDelay, jittered, nextTickAt, pollInterval } from "../../provider/wait/schedule";

const defaults = normalizePoll({ minIntervalMs: 1_000, maxIntervalMs: 10_000 });

test("a lone wait polls at the max interval, many waits faster, never above one request per min interval", () => {
  expect(pollInterval(defaults, 1, 1)).toBe(10_000);
  expect(pollInterval(defaults, 50, 1)).toBeCloseTo(10_000 / Math.sqrt(50), 0);
  expect(pollInterval(defaults, 1_000, 1)).toBe(1_000);
  expect(pollInterval(defaults, 1_000, 10)).toBe(10_000); // 10 pages a tick: one request a second
  expect(pollInterval(defaults, 1, 30)).toBe(30_000); // pages alone may cost more than the max
});

test("the first check of a lone wait is at 1.9 x max (19 s), brought forward by jitter only, up to 0.1 s", () => {
  const settings = normalizePoll({});
  expect(settings.firstCheckMs).toBe(19_000);
  expect(firstCheckDelay(settings, 0)).toBe(19_000);
  expect(firstCheckDelay(settings, 0.999)).toBeGreaterThanOrEqual(18_900);
  expect(firstCheckDelay({ ...settings, jitter: 0 }, 0.5)).toBe(19_000);
});

test("jitter spreads an interval within ±jitter", () => {
  expect(jittered(1_000, 0.1, 0)).toBe(900);
  expect(jittered(1_000, 0.1, 0.5)).toBe(1_000);
  expect(jittered(1_000, 0.1, 0.9999)).toBe(1_100);
  expect(jittered(1_000, 0, 0.9)).toBe(1_000);
});

test("at the max interval ticks keep their grid; faster ones are jittered from their start", () => {
  const s = normalizePoll({ minIntervalMs: 100, maxIntervalMs: 10_000, jitter: 0.1 });
  // A lone wait: planned at 19 000, it started late (at 19 400): the next is still 29 000.
  expect(nextTickAt(s, { interval: 10_000, plannedAt: 19_000, startedAt: 19_400, now: 19_500, random: 0.9 }, [])).toBe(
    29_000,
  );
  // Many waits: 1 400 ms from the start of the tick, jittered.
  expect(nextTickAt(s, { interval: 1_400, plannedAt: 100, startedAt: 120, now: 200, random: 0.5 }, [])).toBe(1_520);
});

test("no waiter is looked at after its checkBy, and nothing is due in the past", () => {
  const s = normalizePoll({});
  const tick = { interval: 10_000, plannedAt: 0, startedAt: 0, now: 500, random: 0 };
  expect(nextTickAt(s, tick, [4_000, 7_000])).toBe(4_000);
  expect(nextTickAt(s, tick, [100])).toBe(500);
  // Every wait is looked at by 9/10 of its timeout, however short: "10s" against a 19 s first check.
  expect(checkByOf(1_000, 10_000)).toBe(10_000);
});

// Timers that never overflow: a delay beyond Node's 2^31-1 ms fires at its time, not at once.
import { MAX_TIMER_MS, safeTimeout } from "../../provider/wait/timers";

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test("a delay beyond 2^31-1 ms fires at its time, not at once", () => {
  const fn = jest.fn();
  safeTimeout(fn, MAX_TIMER_MS + 5_000);
  jest.advanceTimersByTime(1_000);
  expect(fn).not.toHaveBeenCalled();
  jest.advanceTimersByTime(MAX_TIMER_MS);
  expect(fn).not.toHaveBeenCalled();
  jest.advanceTimersByTime(4_000);
  expect(fn).toHaveBeenCalledTimes(1);
});

test("long delays run as chunks, and cancel stops every chunk", () => {
  const fn = jest.fn();
  const timer = safeTimeout(fn, 1_000, { chunkMs: 300 });
  jest.advanceTimersByTime(900);
  expect(fn).not.toHaveBeenCalled();
  jest.advanceTimersByTime(100);
  expect(fn).toHaveBeenCalledTimes(1);
  const cancelled = jest.fn();
  safeTimeout(cancelled, 1_000, { chunkMs: 300 }).cancel();
  timer.cancel();
  jest.advanceTimersByTime(5_000);
  expect(cancelled).not.toHaveBeenCalled();
});

test("Infinity never fires", () => {
  const fn = jest.fn();
  safeTimeout(fn, Number.POSITIVE_INFINITY);
  jest.advanceTimersByTime(10 * MAX_TIMER_MS);
  expect(fn).not.toHaveBeenCalled();
});

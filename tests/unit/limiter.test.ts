// The limiter's decisions, without a server: which 429s show a limit, what rate-limit headers ask
// for, and what the limiter does with each answer.
import { headerPace, RateLimiter, showsLimit } from "../../provider/client/limiter";

const answers = (pattern: string) => [...pattern].map((c) => c === "x"); // "x": a 429, ".": answered

describe("a limit or noise", () => {
  test("a run of refusals is a limit: an empty bucket refuses every request until it refills", () => {
    expect(showsLimit(answers("....xxxx"))).toBe(true);
    expect(showsLimit(answers("....xx.xx"))).toBe(true); // 4 of the last 5
    expect(showsLimit(answers("....x.x.x"))).toBe(false);
  });

  test("a share of a third or more of the last 40 is a limit; one in ten, spread, is noise", () => {
    expect(showsLimit(answers(".........x".repeat(4)))).toBe(false); // 10%
    expect(showsLimit(answers("...x".repeat(10)))).toBe(false); // 25%
    expect(showsLimit(answers("..x".repeat(13)))).toBe(true); // a third
    expect(showsLimit(answers("..x".repeat(5)))).toBe(false); // too few answers to judge a share
  });

  test("noise of one 429 in ten rarely looks like a limit (about once in 2,500 answers)", () => {
    // Deterministic stand-in for randomness: a fixed pseudo-random sequence at 10%.
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const recent: boolean[] = [];
    let alarms = 0;
    for (let i = 0; i < 20_000; i++) {
      recent.push(random() < 0.1);
      if (recent.length > 40) recent.shift();
      if (recent[recent.length - 1] && showsLimit(recent)) alarms++;
    }
    expect(alarms / 20_000).toBeLessThan(1 / 1_500);
  });
});

describe("rate-limit headers", () => {
  test("plenty left: no pace; less than half left: what remains over the time to the reset", () => {
    expect(headerPace({ remaining: 40, resetMs: 10_000, limit: 50 }, 0.2)).toBeUndefined();
    expect(headerPace({ remaining: 10, resetMs: 8_000, limit: 50 }, 0.2)).toBe(1.25);
    expect(headerPace({ remaining: 0, resetMs: 4_000, limit: 50 }, 0.2)).toBe(0.2); // never below minRps
    expect(headerPace({ remaining: 5, resetMs: 1_000 }, 0.2)).toBe(5); // no limit known: fewer than 10 left
    expect(headerPace({}, 0.2)).toBeUndefined();
    expect(headerPace({ remaining: 3 }, 0.2)).toBeUndefined(); // no reset: nothing to spread over
  });
});

describe("the limiter's reactions", () => {
  test("a lone 429 is noise: no pacing, no pause of the account", () => {
    const limiter = new RateLimiter();
    const now = 1_000_000;
    for (let i = 0; i < 9; i++) limiter.onAccepted(now + i * 10);
    expect(limiter.onRateLimited(1_000, now + 100)).toBe(false);
    expect(limiter.stats()).toMatchObject({ limited: false, pausedUntil: 0, rateLimited: 1, sporadic: 1 });
  });

  test("a run of 429s is the limit: paced at half the accepted rate, paused for Retry-After", () => {
    const limiter = new RateLimiter();
    const now = Date.now();
    for (let i = 0; i < 20; i++) limiter.onAccepted(now - 1_000 + i * 50); // 20 in the last second
    for (let i = 0; i < 3; i++) expect(limiter.onRateLimited(2_000, now)).toBe(false);
    expect(limiter.onRateLimited(2_000, now)).toBe(true); // the fourth of the last five
    const stats = limiter.stats();
    expect(stats.limited).toBe(true);
    expect(stats.rps).toBeGreaterThanOrEqual(1);
    expect(stats.pausedUntil).toBe(now + 2_000);
  });

  test("a header saying nothing remains is the limit at once; headers with little left pace before any 429", () => {
    const limiter = new RateLimiter({ minRps: 0.2 });
    const now = Date.now();
    limiter.onAccepted(now, { remaining: 10, resetMs: 5_000, limit: 50 });
    expect(limiter.stats()).toMatchObject({ limited: false, headerRps: 2 });
    expect(limiter.onRateLimited(undefined, now, { remaining: 0, resetMs: 3_000, limit: 50 })).toBe(true);
    expect(limiter.stats()).toMatchObject({ limited: true, pausedUntil: now + 3_000 });
  });

  test("without headers, headers change nothing", () => {
    const limiter = new RateLimiter();
    limiter.onAccepted(Date.now(), {});
    expect(limiter.stats().headerRps).toBeUndefined();
  });
});

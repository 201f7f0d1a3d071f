// The client-side rate limit, against the emulator's 429s: shared by every client of an account,
// idle until a 429, then pacing and honouring Retry-After for the whole account; POSTs too.
import { VpsOrgClient } from "../../provider/client";
import { HttpClient } from "../../provider/client/http";
import { normalizeRateLimit, rateLimitFromEnv } from "../../provider/client/limiter";
import { pageSchema } from "../../provider/client/schemas";
import { z } from "zod";
import { TOKEN_A, TOKEN_B, useEmulator } from "../helpers/emulator";

const ctx = useEmulator();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const options = (extra = {}) => ({ token: TOKEN_A, baseUrl: ctx.url, retryBaseDelayMs: 5, notify: () => {}, ...extra });
const client = (extra = {}) => new VpsOrgClient(options(extra));
const limiterOf = (extra = {}) => new HttpClient(options(extra)).rateLimiter;

test("before any 429 nothing is paced", async () => {
  await Promise.all(Array.from({ length: 30 }, () => client().servers.list()));
  expect(limiterOf().stats()).toMatchObject({ limited: false, queued: 0, inFlight: 0, rateLimited: 0 });
  expect(await ctx.control.count("GET /api/v1/servers/")).toBe(30);
});

test("after a 429 the account's requests are paced: fewer reach the API in a time window", async () => {
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 429, retryAfter: 0, times: 1 }]);
  await client({ rateLimit: { minRps: 5 } }).servers.list(); // 429, then retried
  const stats = limiterOf({ rateLimit: { minRps: 5 } }).stats();
  expect(stats.limited).toBe(true);
  expect(stats.rps).toBeGreaterThanOrEqual(5);
  await ctx.control.clearRequests();
  // 20 requests at once, from new client objects of the same account: all limited together.
  const rps = stats.rps ?? 0;
  const all = Promise.all(Array.from({ length: 20 }, () => client({ rateLimit: { minRps: 5 } }).backups.list()));
  await sleep(500);
  const inWindow = await ctx.control.count("GET /api/v1/backups/");
  expect(inWindow).toBeLessThanOrEqual(Math.ceil(rps * 0.5) + 2);
  expect(inWindow).toBeLessThan(20);
  await all;
  expect(await ctx.control.count("GET /api/v1/backups/")).toBe(20);
});

test("behind a busy limiter, a list that serves many goes before the queued requests", async () => {
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 429, retryAfter: 0, times: 1 }]);
  const paced = { rateLimit: { minRps: 5 } };
  await client(paced).servers.list(); // limited from here on: one request per 200 ms
  const finished: string[] = [];
  const normal = Array.from({ length: 6 }, (_, i) =>
    client(paced)
      .backups.list()
      .then(() => finished.push(`normal-${i}`)),
  );
  const high = new HttpClient(options(paced))
    .list("/snapshots/", pageSchema(z.looseObject({ id: z.number() })), {}, { priority: "high" })
    .then(() => finished.push("high"));
  await Promise.all([...normal, high]);
  // The high one was asked for last; at most the request already let through goes before it.
  expect(finished.indexOf("high")).toBeLessThanOrEqual(1);
});

test("Retry-After pauses every request of the account, from any client object, and no other account", async () => {
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 429, retryAfter: 1, times: 1 }]);
  const first = client().servers.list();
  await sleep(150); // the 429 is in: the account is paused for 1 s
  const other = client().backups.list({ serverId: 12345 });
  const otherAccount = new VpsOrgClient(options({ token: TOKEN_B })).backups.list();
  await otherAccount; // not paused
  await sleep(300);
  expect(await ctx.control.count("GET /api/v1/backups/")).toBe(1); // only account B's so far
  await Promise.all([first, other]);
  expect(await ctx.control.count("GET /api/v1/backups/")).toBe(2);
});

test("a create behind a burst of 429s is retried beyond maxRetries and makes one object", async () => {
  await ctx.control.faults([{ method: "POST", path: "/snapshots/$", status: 429, retryAfter: 0, times: 8 }]);
  const lines: string[] = [];
  const made = await client({
    maxRetries: 1,
    rateLimit: { minRps: 50 },
    notify: (l: string) => lines.push(l),
  }).snapshots.create({ serverId: 12345, name: "patient" });
  expect(made.name).toBe("patient");
  expect(await ctx.control.count("POST /api/v1/snapshots/")).toBe(9);
  expect((await ctx.control.state()).snapshots.filter((s) => s.name === "patient")).toHaveLength(1);
  // One line per retry after the first: retries 2 to 8.
  expect(lines).toHaveLength(7);
  expect(lines[0]).toMatch(/^vpsorg: retry 2 of POST \/snapshots\/ in \d+ ms: POST \/snapshots\/: 429 /);
});

test("retry notices go to stderr by default, one per retry after the first, token masked", async () => {
  await ctx.control.faults([
    { method: "GET", path: "/servers/$", status: 503, times: 3, body: { detail: `echo Bearer ${TOKEN_A}` } },
  ]);
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await new VpsOrgClient({ token: TOKEN_A, baseUrl: ctx.url, retryBaseDelayMs: 5 }).servers.list();
  } finally {
    process.stderr.write = original;
  }
  expect(written).toHaveLength(2); // retries 2 and 3; the first retry is routine
  expect(written.join("")).not.toContain(TOKEN_A);
  expect(written[0]).toMatch(/^vpsorg: retry 2 of GET \/servers\/\?page_size=100 in \d+ ms: .*503/);
});

test("settings come from the environment, bounded", () => {
  expect(rateLimitFromEnv({ VPSORG_RATE_LIMIT: "off" })).toEqual({ enabled: false });
  const wild = normalizeRateLimit(
    rateLimitFromEnv({
      VPSORG_RATE_LIMIT_CONCURRENCY: "100000",
      VPSORG_RATE_LIMIT_MIN_RPS: "-1",
      VPSORG_RATE_LIMIT_RECOVERY_MS: "x",
      VPSORG_RATE_LIMIT_RELEASE_MS: "1e15",
    }),
  );
  expect(wild).toEqual({
    enabled: true,
    maxConcurrent: 256,
    minRps: 0.01,
    recoveryMs: 60_000,
    releaseAfterMs: 24 * 3_600_000,
  });
});

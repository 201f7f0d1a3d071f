// The client-side rate limit, against the emulator's 429s: one limiter per client, and one client
// per account in a provider process (the runtime's), idle until a limit shows, then pacing and
// honouring Retry-After for the whole account; POSTs too. A lone 429 delays only its own request.
import { z } from "zod";
import { VpsOrgClient } from "../../provider/client";
import { HttpClient } from "../../provider/client/http";
import { pageSchema } from "../../provider/client/schemas";
import { createRuntime } from "../../provider/runtime";
import { normalizeRateLimit, settingsFromEnv } from "../../provider/settings";
import { TOKEN_A, TOKEN_B, useEmulator } from "../helpers/emulator";
import { SERVER } from "../helpers/seed";

const ctx = useEmulator();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const options = (extra = {}) => ({ token: TOKEN_A, baseUrl: ctx.url, retryBaseDelayMs: 5, notify: () => {}, ...extra });
const client = (extra = {}) => new VpsOrgClient(options(extra));
/** A provider process's runtime whose limiters pace at no less than `minRps`. */
const runtimeWith = (minRps: number) => {
  const settings = settingsFromEnv({});
  return createRuntime({ settings: { ...settings, rateLimit: normalizeRateLimit({ minRps }) }, write: () => {} });
};

test("before any 429 nothing is paced", async () => {
  const one = client();
  await Promise.all(Array.from({ length: 30 }, () => one.servers.list()));
  expect(one.rateLimitStats()).toMatchObject({ limited: false, queued: 0, inFlight: 0, rateLimited: 0 });
  expect(await ctx.control.count("GET /api/v1/servers/")).toBe(30);
});

test("a provider process keeps one client, so one limiter, per account", () => {
  const runtime = runtimeWith(5);
  const a = runtime.clientFor({ token: TOKEN_A, baseUrl: ctx.url });
  expect(runtime.clientFor({ token: TOKEN_A, baseUrl: ctx.url })).toBe(a);
  expect(runtime.clientFor({ token: TOKEN_B, baseUrl: ctx.url })).not.toBe(a);
  expect(runtime.clientFor({ token: TOKEN_A, baseUrl: `${ctx.url}/` })).not.toBe(a); // another URL, another account
});

/** Three 429s in a row for one request: a limit, not noise. */
const limitShows = (path: string, retryAfter = 0) => ({ method: "GET", path, status: 429, retryAfter, times: 3 });

test("a lone 429 delays only its own request: the account goes on unpaced", async () => {
  const runtime = runtimeWith(5);
  const account = () => runtime.clientFor({ token: TOKEN_A, baseUrl: ctx.url });
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 429, retryAfter: 1, times: 1 }]);
  const refused = account().servers.list(); // waits its Retry-After of 1 s, alone
  await sleep(150);
  await account().backups.list({ serverId: SERVER }); // not paused behind it
  expect(await ctx.control.count("GET /api/v1/backups/")).toBe(1);
  await refused;
  expect(account().rateLimitStats()).toMatchObject({ limited: false, rateLimited: 1, sporadic: 1 });
});

test("once a limit shows, the account's requests are paced: fewer reach the API in a time window", async () => {
  const runtime = runtimeWith(5);
  const account = () => runtime.clientFor({ token: TOKEN_A, baseUrl: ctx.url });
  await ctx.control.faults([limitShows("/servers/$")]);
  await account().servers.list(); // three 429s in a row, then answered
  const stats = account().rateLimitStats();
  expect(stats.limited).toBe(true);
  expect(stats.rps).toBeGreaterThanOrEqual(5);
  await ctx.control.clearRequests();
  // 20 requests at once, from 20 calls asking the runtime for the account's client: all limited together.
  const rps = stats.rps ?? 0;
  const all = Promise.all(Array.from({ length: 20 }, () => account().backups.list()));
  await sleep(500);
  const inWindow = await ctx.control.count("GET /api/v1/backups/");
  expect(inWindow).toBeLessThanOrEqual(Math.ceil(rps * 0.5) + 2);
  expect(inWindow).toBeLessThan(20);
  await all;
  expect(await ctx.control.count("GET /api/v1/backups/")).toBe(20);
});

test("behind a busy limiter, a list that serves many goes before the queued requests", async () => {
  await ctx.control.faults([limitShows("/servers/$")]);
  const http = new HttpClient(options({ rateLimit: { minRps: 5 } }));
  const servers = pageSchema(z.looseObject({ id: z.number() }));
  await http.list("/servers/", servers); // limited from here on: one request per 200 ms
  const finished: string[] = [];
  const normal = Array.from({ length: 6 }, (_, i) =>
    http.list("/backups/", servers).then(() => finished.push(`normal-${i}`)),
  );
  const high = http.list("/snapshots/", servers, {}, { priority: "high" }).then(() => finished.push("high"));
  await Promise.all([...normal, high]);
  // The high one was asked for last; at most the request already let through goes before it.
  expect(finished.indexOf("high")).toBeLessThanOrEqual(1);
});

test("at the limit, Retry-After pauses every request of the account, and no other account", async () => {
  const runtime = runtimeWith(0.2);
  const account = (token: string) => runtime.clientFor({ token, baseUrl: ctx.url });
  // A 429 whose rate-limit headers say nothing remains: the limit, at once.
  const headers = { "RateLimit-Limit": "50", "RateLimit-Remaining": "0", "RateLimit-Reset": "1" };
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 429, retryAfter: 1, times: 1, headers }]);
  const first = account(TOKEN_A).servers.list();
  await sleep(150); // the 429 is in: the account is paused for 1 s
  const other = account(TOKEN_A).backups.list({ serverId: SERVER });
  await account(TOKEN_B).backups.list(); // another account: not paused
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
  }).snapshots.create({ serverId: SERVER, name: "patient" });
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

// Retries, timeouts and the POST policy, driven by the emulator's fault injection.
import {
  ApiConnectionError,
  ApiTimeoutError,
  RateLimitError,
  ServerError,
  UnexpectedResponseError,
  VpsOrgClient,
} from "../../provider/client";
import { parseRetryAfter } from "../../provider/client/http";
import { TOKEN_A, useEmulator } from "../helpers/emulator";
import { rejection } from "../helpers/expect";

const ctx = useEmulator();
// The lines a user would read on stderr (one per retry after the first), kept here to be checked.
let notified: string[] = [];
beforeEach(() => {
  notified = [];
});
const client = (extra = {}) =>
  new VpsOrgClient({
    token: TOKEN_A,
    baseUrl: ctx.url,
    retryBaseDelayMs: 5,
    notify: (line: string) => notified.push(line),
    ...extra,
  });

test("GET is retried on 5xx until it succeeds", async () => {
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 503, times: 2 }]);
  const servers = await client().servers.list();
  expect(servers[0].id).toBe(12345);
  expect(await ctx.control.count("GET /api/v1/servers/")).toBe(3);
  // The first retry is silent; the second says what is retried, when, and why.
  expect(notified).toEqual([expect.stringMatching(/^vpsorg: retry 2 of GET \/servers\/\S* in \d+ ms: .*503/)]);
});

test("GET gives up after maxRetries with a ServerError", async () => {
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 500 }]);
  await expect(client({ maxRetries: 2 }).servers.list()).rejects.toBeInstanceOf(ServerError);
  expect(await ctx.control.count("GET /api/v1/servers/")).toBe(3);
  expect(notified).toHaveLength(1);
});

test("429 honours Retry-After", async () => {
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 429, retryAfter: 1, times: 1 }]);
  const started = Date.now();
  await client().servers.list();
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  expect(await ctx.control.count("GET /api/v1/servers/")).toBe(2);
});

test("Retry-After is capped by maxRetryDelayMs", async () => {
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 429, retryAfter: 3600, times: 1 }]);
  await client({ maxRetryDelayMs: 20 }).servers.list();
  expect(await ctx.control.count("GET /api/v1/servers/")).toBe(2);
});

test("Retry-After is read as seconds or as an HTTP date", () => {
  expect(parseRetryAfter("2")).toBe(2000);
  const now = Date.parse("2025-01-01T00:00:00Z");
  expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5000);
  expect(parseRetryAfter("soon")).toBeUndefined();
});

test("a 429 that never clears ends in a RateLimitError once the 429 budget is spent, not after maxRetries", async () => {
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 429, retryAfter: 0 }]);
  const lines: string[] = [];
  const error = await rejection(
    client({
      maxRetries: 1,
      retryBaseDelayMs: 20,
      rateLimitRetryBudgetMs: 300,
      notify: (l: string) => lines.push(l),
    }).servers.list(),
  );
  expect(error).toBeInstanceOf(RateLimitError);
  // maxRetries: 1 would stop after 2 tries; the budget keeps a 429 going longer.
  expect(await ctx.control.count("GET /api/v1/servers/")).toBeGreaterThan(2);
});

test("dropped connections and malformed bodies on GET are retried", async () => {
  await ctx.control.faults([
    { method: "GET", path: "/backups/$", effect: "drop", times: 1 },
    { method: "GET", path: "/snapshots/$", effect: "malformed", times: 1 },
  ]);
  expect(await client().backups.list({ serverId: 12345 })).toHaveLength(3);
  expect(await client().snapshots.list({ serverId: 12345 })).toHaveLength(2);
  expect(await ctx.control.count("GET /api/v1/backups/")).toBe(2);
  expect(await ctx.control.count("GET /api/v1/snapshots/")).toBe(2);
});

test("a body that stays malformed is an UnexpectedResponseError", async () => {
  await ctx.control.faults([{ method: "GET", path: "/snapshots/$", effect: "malformed" }]);
  await expect(client({ maxRetries: 1 }).snapshots.list()).rejects.toBeInstanceOf(UnexpectedResponseError);
});

test("DELETE is retried on 5xx", async () => {
  await ctx.control.faults([{ method: "DELETE", status: 502, times: 1 }]);
  await client().snapshots.delete(798);
  expect(await ctx.control.count("DELETE /api/v1/snapshots/:snapshotId/")).toBe(2);
});

test("a slow answer is an ApiTimeoutError", async () => {
  await ctx.control.faults([{ method: "GET", path: "/servers/$", latencyMs: 400 }]);
  const error = await rejection(client({ timeoutMs: 100, maxRetries: 0 }).servers.list());
  expect(error).toBeInstanceOf(ApiTimeoutError);
  expect(error.message).toMatch(/no answer within 100 ms/);
});

describe("POST is never blindly retried", () => {
  test("a 5xx on create is thrown at once, and nothing was created", async () => {
    await ctx.control.faults([{ method: "POST", path: "/snapshots/$", status: 503, times: 1 }]);
    await expect(client().snapshots.create({ serverId: 12345, name: "x" })).rejects.toBeInstanceOf(ServerError);
    expect(await ctx.control.count("POST /api/v1/snapshots/")).toBe(1);
    expect((await ctx.control.state()).snapshots).toHaveLength(2);
  });

  test("a 429 on create is retried (the server did nothing), and one object is created", async () => {
    await ctx.control.faults([{ method: "POST", path: "/backups/$", status: 429, retryAfter: 0, times: 1 }]);
    await client().backups.create({ serverId: 12345 });
    expect(await ctx.control.count("POST /api/v1/backups/")).toBe(2);
    expect((await ctx.control.state()).backups.filter((b) => b.backup_type === "manual")).toHaveLength(2);
  });

  test("a dropped answer after the server acted is reported as maybe-done, not retried", async () => {
    await ctx.control.faults([{ method: "POST", path: "/snapshots/$", effect: "commit-then-drop", times: 1 }]);
    const error = await rejection(client().snapshots.create({ serverId: 12345, name: "lost-answer" }));
    expect(error).toBeInstanceOf(ApiConnectionError);
    expect(error.mayHaveReachedServer).toBe(true);
    expect(await ctx.control.count("POST /api/v1/snapshots/")).toBe(1);
    const names = (await ctx.control.state()).snapshots.map((s) => s.name);
    expect(names.filter((n) => n === "lost-answer")).toHaveLength(1);
  });

  test("a refused connection is retried for POST too (nothing was sent)", async () => {
    // Port 1 on loopback refuses at once.
    const lines: string[] = [];
    const refused = new VpsOrgClient({
      token: TOKEN_A,
      baseUrl: "http://127.0.0.1:1/api/v1",
      retryBaseDelayMs: 1,
      maxRetries: 2,
      logger: (_level, line) => lines.push(line),
    });
    const error = await rejection(refused.snapshots.create({ serverId: 1, name: "x" }));
    expect(lines.filter((line) => line.startsWith("retrying POST /snapshots/"))).toHaveLength(2);
    expect(error).toBeInstanceOf(ApiConnectionError);
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.mayHaveReachedServer).toBe(false);
  });
});

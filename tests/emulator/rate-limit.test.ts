// The emulator's rate-limit fault: a token bucket per account answering 429 with Retry-After,
// set and cleared through the control API and counted in the request counts.
import { TOKEN_A, TOKEN_B, useEmulator } from "../helpers/emulator";

const ctx = useEmulator();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One raw list request (no client, so no retries): its status and Retry-After. */
async function list(token = TOKEN_A) {
  const response = await fetch(`${ctx.url}/snapshots/?server_id=12345`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { detail?: string };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body };
}

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${ctx.emulator.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test("an empty bucket answers 429 with Retry-After in whole seconds, rounded up", async () => {
  // 6 a minute = one token every 10 s: the second request after a burst of 2 waits 10 s.
  const set = await control("PUT", "/rate-limit", { requestsPerMinute: 6, burst: 2 });
  expect(set.body.rateLimit).toMatchObject({ requestsPerMinute: 6, burst: 2, scope: "account", timeScale: 1 });
  expect((await list()).status).toBe(200);
  expect((await list()).status).toBe(200);
  const refused = await list();
  expect(refused.status).toBe(429);
  expect(refused.retryAfter).toBe("10");
  expect(refused.body.detail).toMatch(/throttled/);
});

test("the bucket refills over time, and a scaled limit sends a fractional Retry-After", async () => {
  // 60 a minute at timeScale 5 = one token every 200 ms; real-scale Retry-After 1 s becomes 0.2.
  await control("PUT", "/rate-limit", { requestsPerMinute: 60, burst: 1, timeScale: 5 });
  expect((await list()).status).toBe(200);
  const refused = await list();
  expect(refused.status).toBe(429);
  expect(refused.retryAfter).toBe("0.2");
  await sleep(250);
  expect((await list()).status).toBe(200);
});

test("each account has its own bucket unless the scope is global", async () => {
  await control("PUT", "/rate-limit", { requestsPerMinute: 1, burst: 1 });
  expect((await list(TOKEN_A)).status).toBe(200);
  expect((await list(TOKEN_A)).status).toBe(429);
  expect((await list(TOKEN_B)).status).toBe(200);

  await control("PUT", "/rate-limit", { requestsPerMinute: 1, burst: 1, scope: "global" });
  expect((await list(TOKEN_A)).status).toBe(200);
  expect((await list(TOKEN_B)).status).toBe(429);
});

test("refused requests are counted among all requests and apart; a refused POST creates nothing", async () => {
  await control("PUT", "/rate-limit", { requestsPerMinute: 1, burst: 1 });
  await list();
  await list();
  const post = await fetch(`${ctx.url}/snapshots/`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TOKEN_A}`, "Content-Type": "application/json" },
    body: JSON.stringify({ server_id: 12345, name: "throttled" }),
  });
  expect(post.status).toBe(429);
  const counts = await ctx.control.requests();
  expect(counts).toMatchObject({
    total: 3,
    byRoute: { "GET /api/v1/snapshots/": 2, "POST /api/v1/snapshots/": 1 },
    rateLimited: { total: 2, byRoute: { "GET /api/v1/snapshots/": 1, "POST /api/v1/snapshots/": 1 } },
  });
  expect((await ctx.control.state()).snapshots.map((s) => s.name)).not.toContain("throttled");
});

test("reset and DELETE clear the limit; a bad limit is a 400 naming the field", async () => {
  await control("PUT", "/rate-limit", { requestsPerMinute: 1, burst: 1 });
  await ctx.control.reset();
  expect((await control("GET", "/rate-limit")).body.rateLimit).toBeNull();
  expect((await list()).status).toBe(200);
  expect((await list()).status).toBe(200);

  await control("PUT", "/rate-limit", { requestsPerMinute: 1, burst: 1 });
  await control("DELETE", "/rate-limit");
  expect((await list()).status).toBe(200);
  expect((await list()).status).toBe(200);

  const bad = await control("PUT", "/rate-limit", { requestsPerMinute: 0 });
  expect(bad.status).toBe(400);
  expect(String(bad.body.detail)).toMatch(/requestsPerMinute/);
});

test("the default burst is 10 seconds of the rate", async () => {
  const set = await control("PUT", "/rate-limit", { requestsPerMinute: 30 });
  expect(set.body.rateLimit).toMatchObject({ burst: 5 });
  for (let i = 0; i < 5; i++) expect((await list()).status).toBe(200);
  expect((await list()).status).toBe(429);
});

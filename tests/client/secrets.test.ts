// The token must never appear in an error (message, stack, inspect, JSON) or a log line.
import { inspect } from "node:util";
import { VpsOrgClient } from "../../provider/client";
import { TOKEN_A, useEmulator } from "../helpers/emulator";

const ctx = useEmulator();

function everyRendering(value: unknown): string {
  const error = value as Error;
  return [
    String(error),
    error?.stack ?? "",
    inspect(error, { showHidden: true, depth: 20, getters: true }),
    JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})),
  ].join("\n");
}

test("no error and no log line the client can produce holds the token", async () => {
  const lines: string[] = [];
  const logger = (_level: string, line: string) => lines.push(line);
  const make = (extra = {}) =>
    new VpsOrgClient({ token: TOKEN_A, baseUrl: ctx.url, retryBaseDelayMs: 1, maxRetries: 1, logger, ...extra });
  const errors: unknown[] = [];
  const capture = async (promise: Promise<unknown>) =>
    errors.push(await promise.then(() => "no error").catch((e) => e));

  await capture(make().backups.delete(999999)); // 404
  await capture(make().snapshots.create({ serverId: 12345, name: "bad name" })); // 400
  await capture(new VpsOrgClient({ token: `${TOKEN_A}x`, baseUrl: ctx.url, logger }).servers.list()); // 401
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 503 }]);
  await capture(make().servers.list()); // 5xx after retries
  await ctx.control.faults([{ method: "GET", path: "/servers/$", status: 429, retryAfter: 0 }]);
  await capture(make({ rateLimitRetryBudgetMs: 50 }).servers.list()); // 429, once its retry budget is spent
  await ctx.control.faults([{ method: "GET", path: "/servers/$", effect: "drop" }]);
  await capture(make().servers.list()); // dropped connection
  await ctx.control.faults([{ method: "GET", path: "/servers/$", effect: "malformed" }]);
  await capture(make().servers.list()); // malformed body
  await ctx.control.faults([{ method: "GET", path: "/servers/$", latencyMs: 300 }]);
  await capture(make({ timeoutMs: 50 }).servers.list()); // timeout
  await ctx.control.faults([
    { method: "GET", path: "/servers/$", status: 400, body: { detail: `echo Bearer ${TOKEN_A}` } },
  ]);
  await capture(make().servers.list()); // a server that echoes the token back
  await capture(make({ baseUrl: "http://127.0.0.1:1/api/v1" }).servers.list()); // refused

  expect(errors.filter((e) => e === "no error")).toEqual([]);
  expect(errors).toHaveLength(10);
  for (const error of errors) {
    expect(error).toBeInstanceOf(Error);
    expect(everyRendering(error)).not.toContain(TOKEN_A);
  }
  expect(lines.length).toBeGreaterThan(5);
  expect(lines.join("\n")).not.toContain(TOKEN_A);
  expect(inspect(make(), { showHidden: true, depth: 20 })).not.toContain(TOKEN_A);
});

test("log lines go to stderr only when VPSORG_LOG is set, masked", async () => {
  const writes: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  process.env.VPSORG_LOG = "debug";
  try {
    await new VpsOrgClient({ token: TOKEN_A, baseUrl: ctx.url }).servers.list();
  } finally {
    process.stderr.write = original;
    delete process.env.VPSORG_LOG;
  }
  expect(writes.join("")).toContain("[vpsorg debug] -> GET /servers/");
  expect(writes.join("")).not.toContain(TOKEN_A);
});

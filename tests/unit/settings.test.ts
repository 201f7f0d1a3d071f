// Every VPSORG_* setting from one table (provider/settings.ts): defaults, bounds, and the README's
// configuration section, which lists the same variables with the same ranges and defaults.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SETTINGS_TABLE, settingsFromEnv } from "../../provider/settings";

test("defaults, with the first check at 1.9 x max", () => {
  expect(settingsFromEnv({})).toEqual({
    log: undefined,
    reconcileMs: 120_000,
    poll: { minIntervalMs: 300, maxIntervalMs: 10_000, firstCheckMs: 19_000, jitter: 0.1 },
    progressIntervalMs: 30_000,
    readWindowMs: 25,
    rateLimit: { enabled: true, maxConcurrent: 16, minRps: 0.2, recoveryMs: 60_000, releaseAfterMs: 600_000 },
    rateLimitBudgetMs: 600_000,
    allowInsecureHttp: false,
  });
  const scaled = settingsFromEnv({ VPSORG_POLL_MIN_MS: "40", VPSORG_POLL_MAX_MS: "150" });
  expect(scaled.poll).toMatchObject({ minIntervalMs: 40, maxIntervalMs: 150, firstCheckMs: 285 });
});

test("values out of range are clamped into it; unreadable ones take the default", () => {
  const wild = settingsFromEnv({
    VPSORG_POLL_MIN_MS: "-5",
    VPSORG_POLL_MAX_MS: "1e12",
    VPSORG_POLL_FIRST_MS: "nonsense",
    VPSORG_POLL_JITTER: "7",
    VPSORG_PROGRESS_MS: "1e15",
    VPSORG_READ_WINDOW_MS: "5000",
    VPSORG_RECONCILE_MS: "1e10",
    VPSORG_RATE_LIMIT_CONCURRENCY: "100000",
    VPSORG_RATE_LIMIT_MIN_RPS: "-1",
    VPSORG_RATE_LIMIT_RECOVERY_MS: "x",
    VPSORG_RATE_LIMIT_RELEASE_MS: "1e15",
    VPSORG_RATE_LIMIT_BUDGET_MS: "  ",
  });
  expect(wild.poll).toEqual({ minIntervalMs: 1, maxIntervalMs: 3_600_000, firstCheckMs: 3_600_000, jitter: 0.5 });
  expect(wild.progressIntervalMs).toBe(3_600_000);
  expect(wild.readWindowMs).toBe(1_000);
  expect(wild.reconcileMs).toBe(3_600_000);
  expect(wild.rateLimit).toEqual({
    enabled: true,
    maxConcurrent: 256,
    minRps: 0.01,
    recoveryMs: 60_000,
    releaseAfterMs: 24 * 3_600_000,
  });
  expect(wild.rateLimitBudgetMs).toBe(600_000); // blank is unset, as for every setting
});

test("switches and the log level", () => {
  expect(settingsFromEnv({ VPSORG_RATE_LIMIT: "off" }).rateLimit.enabled).toBe(false);
  expect(settingsFromEnv({ VPSORG_RATE_LIMIT: "on" }).rateLimit.enabled).toBe(true);
  expect(settingsFromEnv({ VPSORG_ALLOW_INSECURE_HTTP: "true" }).allowInsecureHttp).toBe(true);
  expect(settingsFromEnv({ VPSORG_ALLOW_INSECURE_HTTP: "nope" }).allowInsecureHttp).toBe(false);
  expect(settingsFromEnv({ VPSORG_LOG: "info" }).log).toBe("info");
  expect(settingsFromEnv({ VPSORG_LOG: "yes please" }).log).toBe("debug");
});

test("the README's configuration section lists every setting of the table, with its range and default", () => {
  const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
  const rows = readme.split("\n").filter((line) => line.startsWith("|") && line.includes("`VPSORG_"));
  for (const setting of SETTINGS_TABLE) {
    const row = rows.find((line) => line.includes(`\`${setting.env}\``));
    expect([setting.env, row?.includes(setting.range), row?.includes(setting.default)]).toEqual([
      setting.env,
      true,
      true,
    ]);
  }
  // And nothing in the README's tables that the table does not know.
  const named = rows.flatMap((line) => [...line.matchAll(/`(VPSORG_[A-Z_]+)/g)].map((m) => m[1]));
  expect(named.filter((env) => !SETTINGS_TABLE.some((s) => s.env === env))).toEqual([]);
});

// Progress lines of long waits, and timers that never overflow.
import { VpsOrgClient } from "../../provider/client";
import { waitForRestore, waitForSnapshot, type WaitProgress } from "../../provider/wait/jobs";
import { Poller, type PollSettings } from "../../provider/wait/poller";
import { formatElapsed } from "../../provider/wait/progress";
import { MAX_TIMER_MS, safeTimeout } from "../../provider/wait/timers";
import { TOKEN_A, TOKEN_B, useEmulator } from "../helpers/emulator";

const ctx = useEmulator({ manual: true });
const client = (token = TOKEN_A) => new VpsOrgClient({ token, baseUrl: ctx.url, retryBaseDelayMs: 5 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FAST: PollSettings = { minIntervalMs: 10, maxIntervalMs: 30, firstCheckMs: 10, jitter: 0 };

test("a long wait writes a line about every interval with kind, id, server, status and time, and one when done", async () => {
  const lines: string[] = [];
  const poller = new Poller({ ...FAST, progressIntervalMs: 150, progressWriter: (line) => lines.push(line) });
  const snap = await client().snapshots.create({ serverId: 12345, name: "long" });
  const wait = waitForSnapshot(client(), 12345, snap.id, { timeoutMs: 30_000, poller });
  while (lines.length < 2) await sleep(20);
  await ctx.control.completeJob("snapshots", snap.id);
  await wait;
  expect(lines[0]).toBe(`vpsorg: waiting for snapshot ${snap.id} of server 12345: in_progress, 0s elapsed`);
  expect(lines.at(-1)).toMatch(new RegExp(`^vpsorg: snapshot ${snap.id} of server 12345 is completed after \\d+s$`));
  expect(lines.slice(0, -1).every((line) => line.startsWith("vpsorg: waiting for "))).toBe(true);
});

test("a short wait writes nothing; a wait's own onProgress replaces stderr; 0 turns progress off", async () => {
  const lines: string[] = [];
  const poller = new Poller({ ...FAST, progressIntervalMs: 5_000, progressWriter: (line) => lines.push(line) });
  const quick = await client().snapshots.create({ serverId: 12345, name: "quick" });
  const wait = waitForSnapshot(client(), 12345, quick.id, { timeoutMs: 30_000, poller });
  await ctx.control.completeJob("snapshots", quick.id);
  await wait;
  expect(lines).toEqual([]);

  const seen: WaitProgress[] = [];
  const eager = new Poller({ ...FAST, progressIntervalMs: 60, progressWriter: (line) => lines.push(line) });
  const server = await ctx.control.addServer({ token: TOKEN_B });
  await ctx.control.setServerStatus(server.id, "restoring");
  const restore = waitForRestore(client(TOKEN_B), server.id, {
    timeoutMs: 30_000,
    poller: eager,
    label: "restore of web-1",
    onProgress: (p) => seen.push(p),
  });
  while (seen.length < 1) await sleep(20);
  await ctx.control.finishRestore(server.id);
  await restore;
  expect(lines).toEqual([]);
  expect(seen[0]).toMatchObject({ label: "restore of web-1", status: "restoring", state: "waiting" });
  expect(seen.at(-1)).toMatchObject({ state: "done", status: "active" });

  const off = new Poller({ ...FAST, progressIntervalMs: 0, progressWriter: (line) => lines.push(line) });
  const silent = await client().snapshots.create({ serverId: 12345, name: "silent" });
  const quiet = waitForSnapshot(client(), 12345, silent.id, { timeoutMs: 30_000, poller: off });
  await sleep(200);
  await ctx.control.completeJob("snapshots", silent.id);
  await quiet;
  expect(lines).toEqual([]);
});

test("a wait that ends badly after writing progress says so", async () => {
  const lines: string[] = [];
  const poller = new Poller({ ...FAST, progressIntervalMs: 60, progressWriter: (line) => lines.push(line) });
  const snap = await client().snapshots.create({ serverId: 12345, name: "doomed" });
  const wait = waitForSnapshot(client(), 12345, snap.id, { timeoutMs: 30_000, poller }).catch((e) => e);
  while (lines.length < 1) await sleep(20);
  await ctx.control.failJob("snapshots", snap.id);
  expect(await wait).toBeInstanceOf(Error);
  expect(lines.at(-1)).toMatch(
    new RegExp(`^vpsorg: stopped waiting for snapshot ${snap.id} of server 12345 after \\d+s: .*"failed"`),
  );
});

test("elapsed times read as people write them", () => {
  expect(formatElapsed(4_400)).toBe("4s");
  expect(formatElapsed(125_000)).toBe("2m05s");
  expect(formatElapsed(3_720_000)).toBe("1h02m");
});

describe("safe timers", () => {
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
});

// The poller against the real emulator over HTTP: one request per tick however many waits, the
// cheaper of the account's pages and per-server lists, pages followed, restores in the same scheme.
import { VpsOrgClient } from "../../provider/client";
import { ListCosts } from "../../provider/reads/lists";
import type { PollSettings } from "../../provider/settings";
import { waitForJob, waitForRestore, waitForSnapshot } from "../../provider/wait/jobs";
import { Poller, type PollRead } from "../../provider/wait/poller";
import { rejection } from "../helpers/expect";
import { TOKEN_A, until, useEmulator } from "../helpers/emulator";
import { SERVER, SNAPSHOTS } from "../helpers/seed";

const ctx = useEmulator({ manual: true });
const FAST: PollSettings = { minIntervalMs: 20, maxIntervalMs: 60, firstCheckMs: 20, jitter: 0 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const client = (extra = {}) => new VpsOrgClient({ token: TOKEN_A, baseUrl: ctx.url, retryBaseDelayMs: 5, ...extra });
const snapshotGets = () => ctx.control.count("GET /api/v1/snapshots/");
/** A poller of its own for each test, with a book of list costs of its own: nothing learnt before. */
const newPoller = (poll: Partial<PollSettings> = {}, onRead?: (read: PollRead) => void) =>
  new Poller(new ListCosts(), { poll: { ...FAST, ...poll }, progressIntervalMs: 0, onRead });

/** `perServer` snapshots in progress on each of `servers` new servers (plus the seeded 12345). */
async function snapshotsOn(servers: number, perServer: number) {
  const made: Array<{ serverId: number; id: number }> = [];
  for (let s = 0; s < servers; s++) {
    const server = await ctx.control.addServer({});
    for (let i = 0; i < perServer; i++) {
      const snap = await client().snapshots.create({ serverId: server.id, name: `s${s}-${i}` });
      made.push({ serverId: server.id, id: Number(snap.id) });
    }
  }
  return made;
}

/** Waits until the poller has ticked `n` more times (failing, saying so, after 10 s). */
async function ticks(poller: Poller, n: number) {
  const target = poller.ticks + n;
  await until(`${n} more ticks of the poller`, async () => poller.ticks >= target);
}

/** A poller that records every list read of its ticks. */
function recordingPoller(extra: Partial<PollSettings> = {}) {
  const reads: PollRead[] = [];
  const poller = newPoller(extra, (read) => reads.push(read));
  return { poller, reads };
}

test("N waits on several servers cost one request per tick: the account's one page", async () => {
  const jobs = await snapshotsOn(4, 3); // 12 waits on 4 servers; the account has 14 snapshots, one page
  await ctx.control.clearRequests();
  const { poller, reads } = recordingPoller();
  const waits = jobs.map((job) => waitForSnapshot(poller, client(), job.serverId, job.id, { timeoutMs: 30_000 }));
  await ticks(poller, 4);
  for (const job of jobs) await ctx.control.completeJob("snapshots", job.id);
  const done = await Promise.all(waits);
  expect(done.map((s) => s.status)).toEqual(jobs.map(() => "completed"));
  // Every tick sent exactly one list request for all 12 waits (per-server lists would be 4).
  expect(reads.length).toBeGreaterThanOrEqual(4);
  expect(reads.filter((read) => read.servers === 4)).not.toHaveLength(0);
  expect(reads.every((read) => read.requests === 1)).toBe(true);
  // Once only one server has waits left, its own list is as cheap, and smaller.
  expect(reads.every((read) => read.scope === (read.servers > 1 ? "account" : "servers"))).toBe(true);
  expect(await snapshotGets()).toBe(reads.length);
});

test("per-server lists are chosen when the account's pages cost more", async () => {
  // pageSize 2: the account's 2 + 3 x 2 = 8 snapshots take 4 pages; each waited server one page.
  const jobs = await snapshotsOn(3, 2);
  const waited = jobs.filter((job) => job.serverId !== jobs[0].serverId);
  expect(waited).toHaveLength(4);
  await ctx.control.clearRequests();
  const { poller, reads } = recordingPoller();
  const paged = client({ pageSize: 2 });
  const waits = waited.map((job) => waitForJob(poller, paged, "snapshot", job.serverId, job.id, { timeoutMs: 30_000 }));
  await until("4 reads of the poller", async () => reads.length >= 4);
  // The first tick tries the account's pages (cost unknown yet) and learns they are 4; then 2 lists a tick.
  expect(reads.slice(0, 4).map((r) => `${r.scope}:${r.requests}`)).toEqual([
    "account:4",
    "servers:2",
    "servers:2",
    "servers:2",
  ]);
  for (const job of waited) await ctx.control.completeJob("snapshots", job.id);
  expect((await Promise.all(waits)).every((s) => s.status === "completed")).toBe(true);
  expect(await snapshotGets()).toBe(reads.reduce((sum, r) => sum + r.requests, 0));
});

test("the account's pages are chosen when cheaper, and followed to the last one", async () => {
  // 6 servers with one snapshot each, pageSize 3: the account's 8 snapshots are 3 pages, per server 6.
  const jobs = await snapshotsOn(6, 1); // newest last: most waited ones are on pages 2 and 3
  await ctx.control.clearRequests();
  const { poller, reads } = recordingPoller();
  const paged = client({ pageSize: 3 });
  const waits = jobs.map((job) => waitForJob(poller, paged, "snapshot", job.serverId, job.id, { timeoutMs: 30_000 }));
  await until("2 reads of the poller", async () => reads.length >= 2);
  for (const job of jobs) await ctx.control.completeJob("snapshots", job.id);
  expect((await Promise.all(waits)).map((s) => s.id)).toEqual(jobs.map((job) => job.id));
  expect(reads.every((r) => r.scope === "account" && r.requests === 3)).toBe(true);
  expect(await snapshotGets()).toBe(3 * reads.length);
});

test("restores share the servers list: one request per tick for several servers", async () => {
  const a = await ctx.control.addServer({});
  const b = await ctx.control.addServer({});
  for (const server of [a, b]) await ctx.control.setServerStatus(server.id, "restoring");
  await ctx.control.clearRequests();
  const poller = newPoller();
  const waits = [a, b].map((server) => waitForRestore(poller, client(), server.id, { timeoutMs: 30_000 }));
  await ticks(poller, 3);
  await ctx.control.setServerStatus(a.id, "active");
  await ctx.control.setServerStatus(b.id, "stopped");
  const servers = await Promise.all(waits);
  expect(servers.map((s) => s.status)).toEqual(["active", "stopped"]);
  expect((await ctx.control.requests()).byRoute["GET /api/v1/servers/"]).toBe(poller.ticks);
});

test("a lone wait is not checked before the first-check delay", async () => {
  const [job] = await snapshotsOn(1, 1);
  await ctx.control.clearRequests();
  const poller = newPoller({ firstCheckMs: 400, maxIntervalMs: 400 });
  const wait = waitForSnapshot(poller, client(), job.serverId, job.id, { timeoutMs: 30_000 });
  await sleep(150);
  expect(await snapshotGets()).toBe(0);
  await ticks(poller, 1);
  await ctx.control.completeJob("snapshots", job.id);
  await expect(wait).resolves.toMatchObject({ status: "completed" });
});

test("a wait survives a burst of 429s on its list", async () => {
  const [job] = await snapshotsOn(1, 1);
  await ctx.control.faults([{ method: "GET", path: "/snapshots/$", status: 429, retryAfter: 0, times: 6 }]);
  const poller = newPoller();
  const wait = waitForSnapshot(poller, client({ notify: () => {}, rateLimit: { minRps: 20 } }), job.serverId, job.id, {
    timeoutMs: 30_000,
  });
  await ctx.control.completeJob("snapshots", job.id);
  await expect(wait).resolves.toMatchObject({ status: "completed" });
});

test("a wait with a deadline beyond Node's timer range does not end at once", async () => {
  const [job] = await snapshotsOn(1, 1);
  const poller = newPoller();
  let settled = false;
  const wait = waitForSnapshot(poller, client(), job.serverId, job.id, { timeoutMs: 1000 * 3_600_000 }).finally(
    () => (settled = true),
  );
  await ticks(poller, 3);
  expect(settled).toBe(false); // a plain setTimeout of 1000 h would have fired after 1 ms
  await ctx.control.completeJob("snapshots", job.id);
  await expect(wait).resolves.toMatchObject({ status: "completed" });
});

test("a job deleted while waited for is declared gone only after several lists without it", async () => {
  const [job] = await snapshotsOn(1, 1);
  const poller = newPoller();
  const wait = rejection(waitForSnapshot(poller, client(), job.serverId, job.id, { timeoutMs: 30_000 }), "the wait");
  await ticks(poller, 1);
  await client().snapshots.delete(job.id);
  const before = poller.ticks;
  const error = await wait;
  expect(error.message).toMatch(/no longer exists/);
  expect(poller.ticks - before).toBeGreaterThanOrEqual(3);
});

test("a wait shorter than the first check is still looked at before its deadline", async () => {
  const { poller } = recordingPoller({ firstCheckMs: 60_000, maxIntervalMs: 60_000 });
  // 801 is completed: one look finds it, although the first tick would only come after a minute.
  const started = Date.now();
  const snap = await waitForSnapshot(poller, client(), SERVER, SNAPSHOTS.newest, { timeoutMs: 1_000 });
  expect(snap.status).toBe("completed");
  expect(Date.now() - started).toBeLessThan(1_000);
});

test("a short wait that joins while a tick's list is in flight is still looked at before its deadline", async () => {
  const [job] = await snapshotsOn(1, 1); // in progress: keeps the hub ticking
  // The first list takes 400 ms; after it, a lone hub would not look again for a minute.
  await ctx.control.faults([{ method: "GET", path: "/snapshots/$", latencyMs: 400, times: 1 }]);
  const { poller, reads } = recordingPoller({ firstCheckMs: 100, maxIntervalMs: 60_000 });
  const first = rejection(
    waitForSnapshot(poller, client(), job.serverId, job.id, { timeoutMs: 4_000 }),
    "the first wait",
  );
  await until("the first tick", async () => reads.length > 0 || poller.ticks > 0);
  await sleep(100); // the first tick's list is in flight now
  // 801 is completed: the list in flight predates this wait, so only a later look can find it.
  const snap = await waitForSnapshot(poller, client(), SERVER, SNAPSHOTS.newest, { timeoutMs: 2_000 });
  expect(snap.status).toBe("completed");
  expect((await first).message).toMatch(/still "in_progress" after 4s/); // its own timeout: nothing completes it
});

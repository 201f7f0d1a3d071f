// Progress lines of long waits, against the emulator.
import { VpsOrgClient } from "../../provider/client";
import { ListCosts } from "../../provider/reads/lists";
import type { PollSettings } from "../../provider/settings";
import { waitForRestore, waitForSnapshot, type WaitProgress } from "../../provider/wait/jobs";
import { Poller } from "../../provider/wait/poller";
import { rejection } from "../helpers/expect";
import { TOKEN_A, TOKEN_B, until, useEmulator } from "../helpers/emulator";
import { SERVER } from "../helpers/seed";

const ctx = useEmulator({ manual: true });
const client = (token = TOKEN_A) => new VpsOrgClient({ token, baseUrl: ctx.url, retryBaseDelayMs: 5 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FAST: PollSettings = { minIntervalMs: 10, maxIntervalMs: 30, firstCheckMs: 10, jitter: 0 };
/** A poller whose progress lines go to `lines`, every `progressIntervalMs` of a wait. */
const poller = (progressIntervalMs: number, lines: string[]) =>
  new Poller(new ListCosts(), { poll: FAST, progressIntervalMs, write: (line) => lines.push(line) });

test("a long wait writes a line about every interval with kind, id, server, status and time, and one when done", async () => {
  const lines: string[] = [];
  const snap = await client().snapshots.create({ serverId: SERVER, name: "long" });
  const wait = waitForSnapshot(poller(150, lines), client(), SERVER, snap.id, { timeoutMs: 30_000 });
  await until("two progress lines", async () => lines.length >= 2);
  await ctx.control.completeJob("snapshots", snap.id);
  await wait;
  expect(lines[0]).toBe(`vpsorg: waiting for snapshot ${snap.id} of server ${SERVER}: in_progress, 0s elapsed`);
  expect(lines.at(-1)).toMatch(
    new RegExp(`^vpsorg: snapshot ${snap.id} of server ${SERVER} is completed after \\d+s$`),
  );
  expect(lines.slice(0, -1).every((line) => line.startsWith("vpsorg: waiting for "))).toBe(true);
});

test("a short wait writes nothing; a wait's own onProgress replaces stderr; 0 turns progress off", async () => {
  const lines: string[] = [];
  const quick = await client().snapshots.create({ serverId: SERVER, name: "quick" });
  const wait = waitForSnapshot(poller(5_000, lines), client(), SERVER, quick.id, { timeoutMs: 30_000 });
  await ctx.control.completeJob("snapshots", quick.id);
  await wait;
  expect(lines).toEqual([]);

  const seen: WaitProgress[] = [];
  const server = await ctx.control.addServer({ token: TOKEN_B });
  await ctx.control.setServerStatus(server.id, "restoring");
  const restore = waitForRestore(poller(60, lines), client(TOKEN_B), server.id, {
    timeoutMs: 30_000,
    label: "restore of web-1",
    onProgress: (p) => seen.push(p),
  });
  await until("a progress report of the restore", async () => seen.length >= 1);
  await ctx.control.finishRestore(server.id);
  await restore;
  expect(lines).toEqual([]);
  expect(seen[0]).toMatchObject({ label: "restore of web-1", status: "restoring", state: "waiting" });
  expect(seen.at(-1)).toMatchObject({ state: "done", status: "active" });

  const silent = await client().snapshots.create({ serverId: SERVER, name: "silent" });
  const quiet = waitForSnapshot(poller(0, lines), client(), SERVER, silent.id, { timeoutMs: 30_000 });
  await sleep(200);
  await ctx.control.completeJob("snapshots", silent.id);
  await quiet;
  expect(lines).toEqual([]);
});

test("a wait that ends badly after writing progress says so", async () => {
  const lines: string[] = [];
  const snap = await client().snapshots.create({ serverId: SERVER, name: "doomed" });
  const wait = rejection(waitForSnapshot(poller(60, lines), client(), SERVER, snap.id, { timeoutMs: 30_000 }));
  await until("a progress line", async () => lines.length >= 1);
  await ctx.control.failJob("snapshots", snap.id);
  expect((await wait).message).toMatch(/ended with status "failed"/);
  expect(lines.at(-1)).toMatch(
    new RegExp(`^vpsorg: stopped waiting for snapshot ${snap.id} of server ${SERVER} after \\d+s: .*"failed"`),
  );
});

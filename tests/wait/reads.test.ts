// Coalesced reads against the real emulator: concurrent calls share one read, answers are fresh.
import { VpsOrgClient } from "../../provider/client";
import type { Id } from "../../provider/client/types";
import { ReadBatcher } from "../../provider/reads/batcher";
import { ListCosts } from "../../provider/reads/lists";
import { DEFAULT_READ_WINDOW_MS } from "../../provider/settings";
import { TOKEN_A, TOKEN_B, useEmulator } from "../helpers/emulator";
import { BACKUPS, SERVER, SNAPSHOTS } from "../helpers/seed";

const ctx = useEmulator({ manual: true });
const client = (token = TOKEN_A) => new VpsOrgClient({ token, baseUrl: ctx.url, retryBaseDelayMs: 5 });
const gets = (route: string) => ctx.control.count(`GET /api/v1/${route}/`);
/** Each test reads through batches of its own, which have learnt nothing yet. */
let batcher: ReadBatcher;
beforeEach(() => {
  batcher = new ReadBatcher(new ListCosts(), DEFAULT_READ_WINDOW_MS);
});
function listOnServer(c: VpsOrgClient, kind: "snapshot" | "backup", serverId: Id) {
  return kind === "snapshot" ? batcher.list(c, "snapshot", serverId) : batcher.list(c, "backup", serverId);
}

test("concurrent reads of several servers share one request: the account's page", async () => {
  const servers = [SERVER, (await ctx.control.addServer({})).id, (await ctx.control.addServer({})).id];
  for (const [i, serverId] of servers.slice(1).entries()) {
    await client().snapshots.create({ serverId, name: `r${i}` });
  }
  await ctx.control.clearRequests();
  // As `pulumi refresh` does: many reads at once, each from its own client object.
  const calls = servers.flatMap((serverId) => [1, 2, 3].map(() => listOnServer(client(), "snapshot", serverId)));
  const results = await Promise.all(calls);
  expect(await gets("snapshots")).toBe(1);
  expect(results[0].map((s) => s.id).sort()).toEqual([...SNAPSHOTS.all].sort());
  results.forEach((items, i) => {
    const serverId = servers[Math.floor(i / 3)];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.server.id === serverId)).toBe(true);
  });
});

test("reads of one server use its own list, and backups are read apart from snapshots", async () => {
  await ctx.control.clearRequests();
  const [a, b, c] = await Promise.all([
    listOnServer(client(), "backup", SERVER),
    listOnServer(client(), "backup", SERVER),
    listOnServer(client(), "snapshot", SERVER),
  ]);
  expect(a.map((x) => x.id)).toEqual(b.map((x) => x.id));
  expect(a).toHaveLength(BACKUPS.listed.length);
  expect(c).toHaveLength(SNAPSHOTS.all.length);
  expect(await gets("backups")).toBe(1);
  expect(await gets("snapshots")).toBe(1);
});

test("a read never gets a list sent before it was called", async () => {
  // The first read's list is in flight (slow); a snapshot is made; a read called after that must see
  // the snapshot, so it cannot share the list already sent.
  await ctx.control.faults([{ method: "GET", path: "/snapshots/$", latencyMs: 300, times: 1 }]);
  const first = listOnServer(client(), "snapshot", SERVER);
  await new Promise((resolve) => setTimeout(resolve, 100)); // the first batch is sent (window 25 ms)
  const made = await client().snapshots.create({ serverId: SERVER, name: "made-meanwhile" });
  const second = listOnServer(client(), "snapshot", SERVER);
  await first;
  expect((await second).map((s) => s.id)).toContain(made.id);
  expect(await gets("snapshots")).toBe(2); // the second read did not join the list in flight
});

test("accounts are never mixed", async () => {
  await ctx.control.clearRequests();
  const [mine, theirs] = await Promise.all([
    listOnServer(client(TOKEN_A), "backup", SERVER),
    listOnServer(client(TOKEN_B), "backup", SERVER),
  ]);
  expect(mine).toHaveLength(BACKUPS.listed.length);
  expect(theirs).toHaveLength(0); // account B cannot see server 12345's backups
  expect(await gets("backups")).toBe(2);
});

// SnapshotHistory and BackupHistory through the real dynamic-provider host, against the emulator:
// rotation per release, full servers, items deleted out of band, failed and timed-out jobs, a
// killed host, maxAge, preview and destroy.
import { BackupHistory, SnapshotHistory } from "pulumi-vpsorg";
import { VpsOrgClient } from "../../provider/client";
import { CheckFailed, MiniEngine, urnOf } from "../harness/engine";
import { registeredInputs, runProgram } from "../harness/program";
import { InitFailure } from "../harness/provider-host";
import { jobInProgress, lostAnswerThenListDown, TOKEN_A } from "../helpers/emulator";
import { startHost, useStack } from "../helpers/stack";
import { rejection } from "../helpers/expect";

const ctx = useStack();
const api = () => new VpsOrgClient({ token: TOKEN_A, baseUrl: ctx.url });
const SEEDED_SNAPSHOTS = [798, 801]; // the vendor's examples on server 12345: never ours to delete
const HISTORY_URN = urnOf("pulumi-nodejs:dynamic/vpsorg:SnapshotHistory", "releases");

const snapshotsOn12345 = async () => (await ctx.control.state()).snapshots.filter((s) => s.server.id === 12345);
const manualBackups = async () =>
  (await ctx.control.state()).backups.filter((b) => b.server.id === 12345 && b.backup_type === "manual");
const posts = (kind = "snapshots") => ctx.control.count(`POST /api/v1/${kind}/`);
type Items = Array<{ id: number; name: string | null; trigger: string; createdAt: string; sizeMb: number }>;
const itemsOf = (state: { outputs: Record<string, unknown> }) => state.outputs.items as Items;

async function snapshotHistory(args: Partial<ConstructorParameters<typeof SnapshotHistory>[1]>, name = "releases") {
  const [reg] = await registeredInputs(() => new SnapshotHistory(name, { serverId: 12345, keep: 3, ...args } as never));
  return reg;
}

/** The next `pulumi up` after a killed one: a new provider host (nothing in memory), the state as it was saved. */
async function restartHost(extraEnv: NodeJS.ProcessEnv = {}): Promise<MiniEngine> {
  const saved = [...ctx.engine.resources.values()];
  await ctx.host.stop();
  ctx.host = await startHost(ctx.url, { env: extraEnv });
  const engine = new MiniEngine(ctx.host);
  for (const resource of saved) engine.resources.set(resource.urn, resource);
  return engine;
}

const waitForInProgress = (kind: "snapshots" | "backups" = "snapshots") => jobInProgress(ctx.control, kind);

test("seven releases with keep 3 leave exactly the three newest, made room for on a full server", async () => {
  await ctx.control.clearRequests();
  let state;
  for (let release = 1; release <= 7; release++) {
    state = await ctx.engine.up(await snapshotHistory({ trigger: `v1.${release}.0` }));
  }
  const items = itemsOf(state!);
  expect(items.map((item) => item.trigger)).toEqual(["v1.7.0", "v1.6.0", "v1.5.0"]);
  expect(items[0]).toEqual({
    id: expect.any(Number),
    name: expect.stringMatching(/^releases-v1-7-0-[a-z0-9]{6}$/),
    createdAt: expect.any(String),
    trigger: "v1.7.0",
    sizeMb: expect.any(Number),
  });
  expect(state!.outputs.latest).toEqual(items[0]);
  const onServer = await snapshotsOn12345();
  // 2 of the vendor's + 3 kept = the server's 5: from the 4th release on, the oldest went first.
  expect(onServer.map((s) => s.id).sort()).toEqual([...SEEDED_SNAPSHOTS, ...items.map((item) => item.id)].sort());
  expect(onServer.every((s) => s.status === "completed")).toBe(true);
  expect(await posts()).toBe(7);

  await ctx.control.clearRequests();
  await ctx.engine.up(await snapshotHistory({ trigger: "v1.7.0" }));
  expect(ctx.engine.log.at(-1)?.step).toBe("same");
  expect((await ctx.control.requests()).total).toBe(0);
});

test("a full server: frees its own oldest when keep allows, otherwise the quota error; never deletes others'", async () => {
  await ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v1" }));
  await ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v2" }));
  const foreign = await api().snapshots.create({ serverId: 12345, name: "someone-else" });
  expect(await snapshotsOn12345()).toHaveLength(5);

  // keep 2 = the new one and v2: v1 is deleted before the POST, to make room.
  const v3 = await ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v3" }));
  expect(itemsOf(v3).map((item) => item.trigger)).toEqual(["v3", "v2"]);

  // keep 3 = the new one, v3 and v2: nothing of its own may go, and others' are not its to delete.
  const error = await rejection(ctx.engine.up(await snapshotHistory({ keep: 3, trigger: "v4" })));
  expect(error.message).toMatch(/server 12345 already has 5 snapshots; VPS.org allows at most 5 per server/);
  expect(error.message).toMatch(/holds 2 of them and keeps 3.*can free 0 of the 1 needed/);
  expect(error.message).toMatch(/Lower keep, or delete snapshots it does not manage/);
  const ids = (await snapshotsOn12345()).map((s) => s.id).sort();
  expect(ids).toEqual([...SEEDED_SNAPSHOTS, foreign.id, ...itemsOf(v3).map((item) => item.id)].sort());
  const recorded = ctx.engine.resources.get(HISTORY_URN)!;
  expect(itemsOf(recorded).map((item) => item.trigger)).toEqual(["v3", "v2"]);
  expect(recorded.outputs.lastTrigger).toBe("v3"); // the next up tries v4 again
});

test("refresh drops an item deleted outside Pulumi; the next up is unchanged", async () => {
  await ctx.engine.up(await snapshotHistory({ trigger: "v1" }));
  const v2 = await ctx.engine.up(await snapshotHistory({ trigger: "v2" }));
  const [newest, older] = itemsOf(v2);
  await api().snapshots.delete(older.id);
  await ctx.engine.refresh();
  const refreshed = ctx.engine.resources.get(HISTORY_URN)!;
  expect(itemsOf(refreshed).map((item) => item.id)).toEqual([newest.id]);
  await ctx.control.clearRequests();
  await ctx.engine.up(await snapshotHistory({ trigger: "v2" }));
  expect(ctx.engine.log.at(-1)?.step).toBe("same");
  expect((await ctx.control.requests()).total).toBe(0);
});

test("a job failing mid-rotation deletes nothing kept, says so, and the next up recovers", async () => {
  await ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v1" }));
  const before = itemsOf(await ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v2" })));
  await ctx.control.settings({ manual: true });
  const pending = rejection(ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v3" })));
  await ctx.control.failJob("snapshots", (await waitForInProgress()).id);
  const error = await pending;
  expect(error.message).toMatch(
    /ended with status "failed".*The failed snapshot was deleted; no kept snapshot was deleted/,
  );
  const recorded = ctx.engine.resources.get(HISTORY_URN)!;
  expect(itemsOf(recorded)).toEqual(before);
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual(
    [...SEEDED_SNAPSHOTS, ...before.map((item) => item.id)].sort(),
  );

  await ctx.control.settings({ manual: false });
  const recovered = await ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v3" }));
  expect(itemsOf(recovered).map((item) => item.trigger)).toEqual(["v3", "v2"]);
  expect(await snapshotsOn12345()).toHaveLength(4);
  // Nowhere a user can see or store: the error, the state, the host's output.
  for (const seen of [error.message, JSON.stringify(recovered), ctx.host.stderr.join("")]) {
    expect(seen).not.toContain(TOKEN_A);
  }
});

test("a timed-out wait records the new item; the next up waits for it instead of posting again", async () => {
  await ctx.control.settings({ manual: true });
  await ctx.control.clearRequests();
  const error = await rejection(ctx.engine.up(await snapshotHistory({ trigger: "v1", waitTimeout: "1s" })));
  expect(error).toBeInstanceOf(InitFailure);
  expect(error.message).toMatch(/still "in_progress" after 1s.*next `pulumi up` waits for it again/);
  const recorded = ctx.engine.resources.get(HISTORY_URN)!;
  expect(recorded.id).toMatch(/^snapshot-history-12345-[a-z0-9]{5}$/);
  const [pendingItem] = recorded.outputs.pending as Array<{ id: number }>;
  expect(typeof recorded.outputs.__provider).toBe("string"); // a later delete can load the provider

  await ctx.control.completeJob("snapshots", pendingItem.id);
  const resumed = await ctx.engine.up(await snapshotHistory({ trigger: "v1", waitTimeout: "1s" }));
  expect(ctx.engine.log.at(-1)?.step).toBe("update");
  expect(itemsOf(resumed).map((item) => item.id)).toEqual([pendingItem.id]);
  expect(resumed.outputs.pending).toEqual([]);
  expect(await posts()).toBe(1);
});

test("a host killed while create waits: the next up adopts the item it started, without a second POST", async () => {
  await ctx.control.settings({ manual: true });
  await ctx.control.clearRequests();
  const reg = await snapshotHistory({ trigger: "v1" });
  const dying = rejection(ctx.engine.up(reg));
  const started = await waitForInProgress();
  const killed = restartHost(); // the CI runner dies: the engine never learns the id
  expect(await dying).toBeInstanceOf(Error);
  expect(ctx.engine.resources.size).toBe(0);
  const engine = await killed;
  await ctx.control.completeJob("snapshots", started.id);
  const adopted = await engine.up(reg);
  expect(itemsOf(adopted).map((item) => item.id)).toEqual([started.id]);
  expect(adopted.outputs.lastTrigger).toBe("v1");
  expect(await posts()).toBe(1);
  expect(await snapshotsOn12345()).toHaveLength(3);
});

test("a lost answer to the POST is matched by the item's marker: one snapshot, recorded", async () => {
  await ctx.control.faults([{ method: "POST", path: "/snapshots/$", effect: "commit-then-drop", times: 1 }]);
  await ctx.control.clearRequests();
  const state = await ctx.engine.up(await snapshotHistory({ trigger: "v1" }));
  const [item] = itemsOf(state);
  expect(item.trigger).toBe("v1");
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual([...SEEDED_SNAPSHOTS, item.id].sort());
  expect(await posts()).toBe(1);
});

test("a lost answer while the list is down for a while: reconciled patiently, one snapshot, recorded", async () => {
  await ctx.control.clearRequests();
  await lostAnswerThenListDown(ctx.control, "snapshots", 7); // more than one list's own retries
  const state = await ctx.engine.up(await snapshotHistory({ trigger: "v1" }));
  const [item] = itemsOf(state);
  expect(item.trigger).toBe("v1");
  expect(await posts()).toBe(1);
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual([...SEEDED_SNAPSHOTS, item.id].sort());
  expect(ctx.host.stderr.join("")).toMatch(/the answer to creating a snapshot on server 12345 was lost; asking/);
});

test("a lost answer VPS.org cannot be asked about in time: the error says one may exist; the next up adopts it", async () => {
  const engine = await restartHost({ VPSORG_RECONCILE_MS: "0" });
  await ctx.control.clearRequests();
  await lostAnswerThenListDown(ctx.control, "snapshots", 50);
  const reg = await snapshotHistory({ trigger: "v1" });
  const error = await rejection(engine.up(reg));
  expect(error.message).toMatch(
    /A snapshot may exist: the next `pulumi up` finds it by its marker \[pulumi:[a-z0-9]{10}\] and adopts it/,
  );
  expect(engine.resources.size).toBe(0);
  const [made] = (await snapshotsOn12345()).filter((s) => !SEEDED_SNAPSHOTS.includes(s.id));
  expect(made).toBeDefined();

  await ctx.control.clearFaults();
  const adopted = await engine.up(reg);
  expect(itemsOf(adopted).map((item) => item.id)).toEqual([made.id]);
  expect(adopted.outputs.lastTrigger).toBe("v1");
  expect(await posts()).toBe(1);
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual([...SEEDED_SNAPSHOTS, made.id].sort());
});

test("pulumi up --replace in a new host, inputs unchanged: the replacement adopts the item, none is deleted", async () => {
  const reg = await snapshotHistory({ trigger: "v1" });
  const old = await ctx.engine.up(reg);
  const [item] = itemsOf(old);
  // A later `pulumi up --replace` in a new host: check with no olds, create, delete the old; no diff
  // shows the host the old history's items.
  const engine = await restartHost();
  await ctx.control.clearRequests();
  const { inputs } = await engine.host.check(HISTORY_URN, {}, reg.inputs);
  const created = await engine.host.create(HISTORY_URN, inputs);
  await engine.host.delete(old.id, HISTORY_URN, old.outputs);
  expect(itemsOf({ outputs: created.outputs }).map((kept) => kept.id)).toEqual([item.id]);
  expect(created.outputs.__generation).not.toEqual(old.outputs.__generation);
  expect(await posts()).toBe(0);
  const { byRoute } = await ctx.control.requests();
  expect(Object.keys(byRoute).filter((route) => route.startsWith("DELETE "))).toEqual([]);
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual([...SEEDED_SNAPSHOTS, item.id].sort());
  expect(engine.host.stderr.join("")).toMatch(
    new RegExp(`snapshot ${item.id} is kept: the SnapshotHistory that replaces this one adopted it`),
  );
  // The replacement's own delete (a later destroy) deletes it.
  await engine.host.delete(created.id, HISTORY_URN, created.outputs);
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual(SEEDED_SNAPSHOTS);
});

test("a history re-created after `pulumi state delete` leaves the old one's items alone", async () => {
  await ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v1" }));
  const old = itemsOf(await ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v2" })));
  // The state forgets the history (state delete, or a destroy with retainOnDelete); a new run makes it again.
  const engine = await restartHost();
  engine.resources.delete(HISTORY_URN);
  const again = await engine.up(await snapshotHistory({ keep: 2, trigger: "v3" }));
  expect(itemsOf(again).map((item) => item.trigger)).toEqual(["v3"]);
  // keep 1: it rotates away its own v3, never the old history's v1 and v2.
  const next = await engine.up(await snapshotHistory({ keep: 1, trigger: "v4" }));
  expect(itemsOf(next).map((item) => item.trigger)).toEqual(["v4"]);
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual(
    [...SEEDED_SNAPSHOTS, ...old.map((item) => item.id), itemsOf(next)[0].id].sort(),
  );
  await engine.deleteAllBut();
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual(
    [...SEEDED_SNAPSHOTS, ...old.map((item) => item.id)].sort(),
  );
});

test("a host killed while an update waits: the next up adopts the new release's item and rotates", async () => {
  await ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v1" }));
  const v2 = await ctx.engine.up(await snapshotHistory({ keep: 2, trigger: "v2" }));
  await ctx.control.settings({ manual: true });
  await ctx.control.clearRequests();
  const reg = await snapshotHistory({ keep: 2, trigger: "v3" });
  const dying = rejection(ctx.engine.up(reg));
  const started = await waitForInProgress();
  const killed = restartHost();
  expect(await dying).toBeInstanceOf(Error);
  const engine = await killed;
  expect(itemsOf(engine.resources.get(HISTORY_URN)!)).toEqual(itemsOf(v2)); // the state before the kill

  await ctx.control.completeJob("snapshots", started.id);
  const adopted = await engine.up(reg);
  expect(itemsOf(adopted).map((item) => [item.trigger, item.id])).toEqual([
    ["v3", started.id],
    ["v2", itemsOf(v2)[0].id],
  ]);
  expect(await posts()).toBe(1);
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual(
    [...SEEDED_SNAPSHOTS, ...itemsOf(adopted).map((item) => item.id)].sort(),
  );
});

test("maxAge: preview shows the expiry without a request; up deletes the old, never the newest", async () => {
  await ctx.engine.up(await snapshotHistory({ keep: 5, trigger: "v1" }));
  await ctx.control.advanceClock(31 * 86_400_000);
  const v2 = await ctx.engine.up(await snapshotHistory({ keep: 5, trigger: "v2" }));
  expect(itemsOf(v2)).toHaveLength(2);

  const program = () => {
    const history = new SnapshotHistory("releases", { serverId: 12345, keep: 5, trigger: "v2", maxAge: "30d" });
    return { items: history.items };
  };
  await ctx.control.clearRequests();
  const preview = await runProgram(program, ctx.engine, "preview");
  expect(preview.steps.get("releases")).toBe("update");
  expect((await ctx.control.requests()).total).toBe(0);
  const up = await runProgram(program, ctx.engine, "up");
  expect(up.errors).toEqual([]);
  expect((up.outputs.items as Items).map((item) => item.trigger)).toEqual(["v2"]);

  await ctx.control.advanceClock(90 * 86_400_000); // the newest alone is kept, however old
  const later = await runProgram(program, ctx.engine, "up");
  expect((later.outputs.items as Items).map((item) => item.trigger)).toEqual(["v2"]);
  // The next release is newer by 90 days: v2 is now past maxAge, and goes once v3 is completed.
  const v3 = await ctx.engine.up(await snapshotHistory({ keep: 5, trigger: "v3", maxAge: "30d" }));
  expect(itemsOf(v3).map((item) => item.trigger)).toEqual(["v3"]);
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual([...SEEDED_SNAPSHOTS, itemsOf(v3)[0].id].sort());
});

test("preview sends no request, for a new history and for a new release", async () => {
  const program = (trigger: string) => () => {
    const history = new SnapshotHistory("releases", { serverId: 12345, trigger });
    return { latestId: history.latest.apply((latest) => latest?.id ?? null) };
  };
  await ctx.control.clearRequests();
  const first = await runProgram(program("v1"), ctx.engine, "preview");
  expect(first.errors).toEqual([]);
  expect(first.steps.get("releases")).toBe("create");
  await runProgram(program("v1"), ctx.engine, "up");
  await ctx.control.clearRequests();
  const next = await runProgram(program("v2"), ctx.engine, "preview");
  expect(next.steps.get("releases")).toBe("update");
  expect((await ctx.control.requests()).total).toBe(0);
});

test("destroy deletes the items the history holds and nothing else", async () => {
  await ctx.engine.up(await snapshotHistory({ trigger: "v1" }));
  await ctx.engine.up(await snapshotHistory({ trigger: "v2" }));
  expect(await snapshotsOn12345()).toHaveLength(4);
  await ctx.engine.deleteAllBut();
  expect((await snapshotsOn12345()).map((s) => s.id).sort()).toEqual(SEEDED_SNAPSHOTS);
});

test("check names each bad property, without any request", async () => {
  await ctx.control.clearRequests();
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ keep: 6, trigger: "v1" }, "keep", /whole number from 1 to 5/],
    [{ keep: 3 }, "trigger", /trigger is required/],
    [{ trigger: "" }, "trigger", /must not be empty/],
    [{ trigger: "v1", maxAge: "30 days" }, "maxAge", /such as "30d"/],
    [{ trigger: "v1", namePrefix: "my app" }, "namePrefix", /letters, digits/],
    [{ trigger: "v1", account: "my account" }, "account", /letters, digits, hyphens or underscores/],
  ];
  for (const [args, property, reason] of cases) {
    const error = await rejection(ctx.engine.up(await snapshotHistory(args)));
    expect(error).toBeInstanceOf(CheckFailed);
    expect(error.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  }
  expect((await ctx.control.requests()).total).toBe(0);
});

test("BackupHistory keeps its own manual backups only; automatic and others' backups are untouched", async () => {
  const reg = async (trigger: string) => {
    const [r] = await registeredInputs(
      () => new BackupHistory("backups", { serverId: 12345, keep: 2, trigger, description: "pre-deploy" }),
    );
    return r;
  };
  let state;
  for (const trigger of ["sha-1", "sha-2", "sha-3"]) state = await ctx.engine.up(await reg(trigger));
  const items = itemsOf(state!);
  expect(items.map((item) => [item.trigger, item.name])).toEqual([
    ["sha-3", null],
    ["sha-2", null],
  ]);
  const manual = await manualBackups();
  expect(manual.map((b) => b.id).sort()).toEqual([499, ...items.map((item) => item.id)].sort());
  expect(manual.find((b) => b.id === items[0].id)?.description).toMatch(
    /^pre-deploy \(trigger: sha-3\) \[pulumi:[a-z0-9]{10}\]$/,
  );
  await ctx.engine.deleteAllBut();
  expect((await manualBackups()).map((b) => b.id)).toEqual([499]);
  expect((await ctx.control.state()).backups.filter((b) => b.backup_type === "automatic").length).toBeGreaterThan(0);
});

test("BackupHistory on a full server: frees its own oldest manual backup when keep allows, else the quota error", async () => {
  const reg = async (trigger: string, keep: number) => {
    const [r] = await registeredInputs(() => new BackupHistory("backups", { serverId: 12345, keep, trigger }));
    return r;
  };
  await ctx.engine.up(await reg("sha-1", 1));
  for (let i = 0; i < 8; i++) {
    await ctx.control.addBackup({ server_id: 12345, backup_type: "manual", description: `someone else's ${i}` });
  }
  expect(await manualBackups()).toHaveLength(10);
  const second = await ctx.engine.up(await reg("sha-2", 1));
  expect(itemsOf(second).map((item) => item.trigger)).toEqual(["sha-2"]);
  const error = await rejection(ctx.engine.up(await reg("sha-3", 2)));
  expect(error.message).toMatch(/server 12345 already has 10 manual backups; VPS.org allows at most 10 per server/);
  const left = await manualBackups();
  expect(left).toHaveLength(10);
  expect(left.filter((b) => b.description.startsWith("someone else's"))).toHaveLength(8);
});

test("a new serverId replaces the history: items on the new server, the old server's items deleted", async () => {
  const other = await ctx.control.addServer({ name: "web-server-02" });
  await ctx.engine.up(await snapshotHistory({ trigger: "v1" }));
  const moved = await ctx.engine.up(await snapshotHistory({ serverId: other.id, trigger: "v1" }));
  expect(ctx.engine.log.at(-1)?.step).toBe("replace");
  expect(moved.id).toMatch(new RegExp(`^snapshot-history-${other.id}-`));
  const snapshots = (await ctx.control.state()).snapshots;
  expect(snapshots.filter((s) => s.server.id === other.id).map((s) => s.id)).toEqual([itemsOf(moved)[0].id]);
  expect(
    snapshots
      .filter((s) => s.server.id === 12345)
      .map((s) => s.id)
      .sort(),
  ).toEqual(SEEDED_SNAPSHOTS);
});

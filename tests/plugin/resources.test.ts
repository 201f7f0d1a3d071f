// Every resource and function of the resource plugin, driven as the engine drives them (check,
// preview, create, read, diff, update, delete, import, invoke) against the emulator, through the
// built executable: the same behaviour as the dynamic twins, from the same code.
import * as grpc from "@grpc/grpc-js";
import { PropertyDiff } from "@pulumi/pulumi/proto/provider_pb";
import { UNKNOWN } from "../../provider/resources/engine";
import { lostAnswerThenListDown, TOKEN_A, TOKEN_B, until, useEmulator } from "../helpers/emulator";
import { rejection } from "../helpers/expect";
import { BACKUPS, SERVER, SNAPSHOT_801, SNAPSHOTS } from "../helpers/seed";
import { type Plugin, type Props, secret, urnOf, usePlugins } from "./harness";

const { Kind } = PropertyDiff;
const ctx = useEmulator({ snapshotDurationMs: 150, backupDurationMs: 150, restoreDurationMs: 200 });
// Polled as the dynamic hosts' tests poll.
const plugins = usePlugins({
  tokens: [TOKEN_A, TOKEN_B],
  env: { VPSORG_POLL_MIN_MS: "40", VPSORG_POLL_MAX_MS: "150" },
});
const engine = {
  get logs() {
    return plugins.engine.logs;
  },
};

/** A plugin configured as the engine configures it from `vpsorg:*` stack config. */
async function configured(config: Props = { apiToken: secret(TOKEN_A) }, env: NodeJS.ProcessEnv = {}) {
  const plugin = await plugins.start(env);
  await plugin.configure({ apiUrl: ctx.url, ...config });
  return plugin;
}

const SEEDED = new Set<number>([...SNAPSHOTS.all, ...BACKUPS.listed]);
/** The objects the tests made on the first account's server (seeded ones left out). */
async function made(kind: "snapshots" | "backups") {
  return (await ctx.control.state())[kind]
    .filter((o) => o.server.id === SERVER && !SEEDED.has(o.id))
    .map((o) => String(o.id))
    .sort();
}
const posts = (kind: "snapshots" | "backups") => ctx.control.count(`POST /api/v1/${kind}/`);

/** check, then create as `up` does after a preview: the checked inputs. */
async function up(plugin: Plugin, type: string, name: string, news: Props) {
  const { inputs, failures } = await plugin.check(type, name, news);
  expect(failures).toEqual([]);
  const preview = await plugin.create(type, name, inputs, { preview: true });
  expect(preview.id).toBe("");
  const created = await plugin.create(type, name, inputs);
  return { inputs, ...created };
}

describe.each([
  ["vpsorg:index:Snapshot", "snapshots", { serverId: SERVER, description: "before upgrade" }],
  ["vpsorg:index:Backup", "backups", { serverId: SERVER, description: "before deploy" }],
] as const)("%s", (type, kind, news) => {
  test("check, preview, create, read, diff, update, delete: one object, gone at the end", async () => {
    const plugin = await configured();
    const { id, inputs, outputs } = await up(plugin, type, "pre-upgrade", news);
    expect(outputs.status).toBe("completed");
    expect(outputs.serverName).toBe("web-server-01");
    expect(await made(kind)).toEqual([id]);

    const read = await plugin.read(type, "pre-upgrade", id, outputs);
    expect(read.id).toBe(id);
    expect(read.inputs).toEqual(inputs); // refresh keeps the inputs the program gave

    const same = await plugin.diff(type, "pre-upgrade", id, outputs, inputs);
    expect(same.changes).toBe(1); // DIFF_NONE
    const moved = await plugin.diff(type, "pre-upgrade", id, outputs, { ...inputs, serverId: 99999 });
    expect(moved.replaces).toEqual(["serverId"]);
    expect(moved.detailed).toEqual({ serverId: Kind.UPDATE_REPLACE });
    const patient = await plugin.diff(type, "pre-upgrade", id, outputs, { ...inputs, waitTimeout: "45m" });
    expect(patient.replaces).toEqual([]);
    expect(patient.detailed).toEqual({ waitTimeout: Kind.UPDATE }); // in place

    const updated = await plugin.update(type, "pre-upgrade", id, outputs, { ...inputs, waitTimeout: "45m" });
    expect(updated.outputs.waitTimeout).toBe("45m");
    expect(await posts(kind)).toBe(1);

    await plugin.delete(type, "pre-upgrade", id, updated.outputs);
    expect(await made(kind)).toEqual([]);
  });

  test("a preview of create and update asks VPS.org nothing; unknown outputs stay unknown", async () => {
    const plugin = await configured();
    await ctx.control.clearRequests();
    const planned = await plugin.create(type, "planned", { ...news }, { preview: true });
    expect(planned).toMatchObject({ id: "", outputs: { status: UNKNOWN, createdAt: UNKNOWN } });
    const update = await plugin.update(type, "planned", "1", { ...news }, { ...news, waitTimeout: "5m" }, true);
    expect(update.outputs.waitTimeout).toBe("5m");
    expect((await ctx.control.requests()).total).toBe(0);
  });

  test("bad input is a check failure naming the property, before any request", async () => {
    const plugin = await configured();
    await ctx.control.clearRequests();
    const { failures } = await plugin.check(type, "bad", { serverId: "twelve", waitTimeout: "soon" });
    expect(failures.map((f) => f.property).sort()).toEqual(["serverId", "waitTimeout"]);
    expect(failures.find((f) => f.property === "serverId")!.reason).toMatch(/serverId/);
    expect((await ctx.control.requests()).total).toBe(0);
  });

  test("pulumi import: a read by id alone finds the object and answers its inputs", async () => {
    const plugin = await configured();
    const seeded = kind === "snapshots" ? String(SNAPSHOT_801.id) : String(BACKUPS.manual[0]);
    const imported = await plugin.read(type, "adopted", seeded, {});
    expect(imported.id).toBe(seeded);
    expect(imported.inputs.serverId).toBe(SERVER);
    expect(imported.outputs.status).toBe("completed");
    const missing = await rejection(plugin.read(type, "adopted", "424242", {}), "an import of an unknown id");
    expect(missing.message).toMatch(/424242/);
  });

  test("a plugin killed mid-create: the next run's create adopts the object it started, no second POST", async () => {
    await ctx.control.settings({ manual: true });
    const first = await configured();
    const { inputs } = await first.check(type, "pre-upgrade", news);
    const dying = rejection(first.create(type, "pre-upgrade", inputs), "a create whose plugin is killed");
    await until("the POST", async () => (await posts(kind)) === 1);
    await first.stop("SIGKILL"); // the CI runner dies: the engine never hears of the id
    expect((await dying).code).toBe(grpc.status.UNAVAILABLE); // the engine saw the plugin die
    const [started] = await made(kind);
    await ctx.control.completeJob(kind, started);

    const second = await configured();
    const again = await second.create(type, "pre-upgrade", (await second.check(type, "pre-upgrade", news)).inputs);
    expect(again.id).toBe(started);
    expect(await posts(kind)).toBe(1);
    await second.delete(type, "pre-upgrade", again.id, again.outputs);
    expect(await made(kind)).toEqual([]);
  });
});

describe("histories", () => {
  test.each([
    ["vpsorg:index:SnapshotHistory", "snapshots"],
    ["vpsorg:index:BackupHistory", "backups"],
  ] as const)("%s: each trigger adds one, keep frees the oldest, delete removes all", async (type, kind) => {
    const plugin = await configured();
    const news = { serverId: SERVER, trigger: "v1", keep: 2 };
    const created = await up(plugin, type, "releases", news);
    expect(created.outputs.items).toHaveLength(1);
    let outputs = created.outputs;
    for (const trigger of ["v2", "v3"]) {
      const diff = await plugin.diff(type, "releases", created.id, outputs, { ...news, trigger });
      expect(diff.replaces).toEqual([]);
      expect(diff.detailed).toEqual({ trigger: Kind.UPDATE });
      outputs = (await plugin.update(type, "releases", created.id, outputs, { ...news, trigger })).outputs;
    }
    const items = outputs.items as Array<{ id: number; trigger: string }>;
    expect(items.map((i) => i.trigger)).toEqual(["v3", "v2"]);
    expect(await made(kind)).toEqual(items.map((i) => String(i.id)).sort());
    expect(await posts(kind)).toBe(3);
    await plugin.delete(type, "releases", created.id, outputs);
    expect(await made(kind)).toEqual([]);
  });
});

describe("restores", () => {
  test("SnapshotRestore: refused without acknowledgeDataLoss; restores and reports its outcome", async () => {
    const plugin = await configured();
    const type = "vpsorg:index:SnapshotRestore";
    const refused = await plugin.check(type, "rollback", { snapshotId: SNAPSHOT_801.id, acknowledgeDataLoss: false });
    expect(refused.failures.map((f) => f.property)).toEqual(["acknowledgeDataLoss"]);
    const { id, outputs } = await up(plugin, type, "rollback", {
      snapshotId: SNAPSHOT_801.id,
      acknowledgeDataLoss: true,
    });
    expect(outputs).toMatchObject({ serverId: SERVER, outcome: "succeeded", snapshotName: SNAPSHOT_801.name });
    expect((await plugin.read(type, "rollback", id, outputs)).id).toBe(id);
    await plugin.delete(type, "rollback", id, outputs); // a restore cannot be undone: delete forgets it
    expect(await ctx.control.count("POST /api/v1/snapshots/:snapshotId/restore/")).toBe(1);
  });

  test("BackupRestore: a failed restore is an error, never a success", async () => {
    const plugin = await configured();
    await ctx.control.settings({ manual: true });
    const type = "vpsorg:index:BackupRestore";
    const news = { serverId: SERVER, backupId: BACKUPS.manual[0], acknowledgeDataLoss: true };
    const { inputs } = await plugin.check(type, "rollback", news);
    const restoring = rejection(plugin.create(type, "rollback", inputs), "a failed restore");
    await until("the restore", async () => (await ctx.control.count("POST /api/v1/servers/:serverId/restore/")) === 1);
    await ctx.control.finishRestore(SERVER, "fail");
    const error = await restoring;
    expect(error.message).toMatch(/restore/i);
    expect(error.message).toMatch(/fail/i);
    expect(error.id).toBeTruthy(); // recorded, so the next up looks at it instead of restoring again
    expect(error.properties?.outcome).toBe("failed");
  });
});

describe("functions", () => {
  test("every function answers as its sdk twin does", async () => {
    const plugin = await configured();
    const snapshots = await plugin.invoke("vpsorg:index:getSnapshots", { serverId: SERVER });
    expect(snapshots.result.ids).toEqual([...SNAPSHOTS.all]);
    const snapshot = await plugin.invoke("vpsorg:index:getSnapshot", { serverId: SERVER, name: SNAPSHOT_801.name });
    expect(snapshot.result).toMatchObject({ id: SNAPSHOT_801.id, sizeMb: SNAPSHOT_801.sizeMb });
    const backups = await plugin.invoke("vpsorg:index:getBackups", { serverId: SERVER });
    expect(backups.result.ids).toEqual([...BACKUPS.listed]);
    const manual = await plugin.invoke("vpsorg:index:getBackup", { serverId: SERVER, backupType: "manual" });
    expect(manual.result.id).toBe(BACKUPS.manual[0]);
  });

  test("a named account from the configuration; a server it cannot see is an error, not an empty list", async () => {
    const plugin = await configured({ apiToken: secret(TOKEN_A), accounts: { prod: { apiToken: secret(TOKEN_B) } } });
    const prodServer = (await ctx.control.state()).servers.find((s) => s.account === 1)!.id;
    const prod = await plugin.invoke("vpsorg:index:getSnapshots", { serverId: prodServer, account: "prod" });
    expect(prod.result.ids).toEqual([]);
    const hidden = await rejection(
      plugin.invoke("vpsorg:index:getSnapshots", { serverId: SERVER, account: "prod" }),
      "a lookup of another account's server",
    );
    expect(hidden.message).toMatch(
      new RegExp(`server ${SERVER}.*account "prod".*vpsorg:accounts\\.prod\\.apiToken`, "i"),
    );
    const unknown = await plugin.invoke("vpsorg:index:getNothing", {});
    expect(unknown.failures[0].reason).toMatch(/getNothing/);
  });
});

describe("what the dynamic twins promise", () => {
  test("a swapped token never drops a resource nor calls a delete done", async () => {
    const right = await configured();
    const { id, outputs } = await up(right, "vpsorg:index:Snapshot", "kept", { serverId: SERVER });
    const wrong = await configured({ apiToken: secret(TOKEN_B) });
    const read = await rejection(
      wrong.read("vpsorg:index:Snapshot", "kept", id, outputs),
      "a refresh with another token",
    );
    expect(read.message).toMatch(
      new RegExp(`server ${SERVER} is not visible.*vpsorg:apiToken.*Nothing was dropped`, "i"),
    );
    const deleted = await rejection(
      wrong.delete("vpsorg:index:Snapshot", "kept", id, outputs),
      "a destroy with another token",
    );
    expect(deleted.message).toMatch(/not visible/);
    expect(await made("snapshots")).toEqual([id]);
    await right.delete("vpsorg:index:Snapshot", "kept", id, outputs);
  });

  test("an answer lost after the POST committed, then lists failing: one backup, adopted", async () => {
    const plugin = await configured();
    await lostAnswerThenListDown(ctx.control, "backups", 7); // more than one list's own retries
    const { id, outputs } = await up(plugin, "vpsorg:index:Backup", "lost", { serverId: SERVER });
    expect(outputs.status).toBe("completed");
    expect(await made("backups")).toEqual([id]);
    expect(await posts("backups")).toBe(1);
  });

  test("progress of a long wait goes to the engine's log, beside the resource's URN", async () => {
    await ctx.control.settings({ manual: true });
    const plugin = await configured(undefined, { VPSORG_PROGRESS_MS: "300" });
    const type = "vpsorg:index:Snapshot";
    const { inputs } = await plugin.check(type, "slow", { serverId: SERVER });
    const creating = plugin.create(type, "slow", inputs);
    const urn = urnOf(type, "slow");
    await until("a progress line in the engine's log", async () => engine.logs.some((l) => l.urn === urn)).catch(
      (e) => {
        throw new Error(`${e.message}; the log: ${JSON.stringify(engine.logs)}; stderr: ${plugin.stderr.join("")}`);
      },
    );
    expect(engine.logs.find((l) => l.urn === urn)!.message).toMatch(
      /^vpsorg: waiting for snapshot \d+ of server 12345/,
    );
    const [started] = await made("snapshots");
    await ctx.control.completeJob("snapshots", started);
    const { id, outputs } = await creating;
    expect(id).toBe(started);
    await plugin.delete(type, "slow", id, outputs);
  });
});

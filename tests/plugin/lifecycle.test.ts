// What a resource plugin meets that a dynamic provider does not: one process per provider instance,
// previews of updates, Ctrl-C (Cancel), customTimeouts, secrets the engine hands over, `pulumi
// import`; and the key failures (a timed-out wait, a rejected token) said through the protocol.
import * as grpc from "@grpc/grpc-js";
import { PropertyDiff } from "@pulumi/pulumi/proto/provider_pb";
import { UNKNOWN } from "../../provider/resources/engine";
import { TOKEN_A, until, useEmulator } from "../helpers/emulator";
import { rejection } from "../helpers/expect";
import { BACKUPS, SERVER, SNAPSHOT_801, SNAPSHOTS } from "../helpers/seed";
import { type Props, secret, usePlugins } from "./harness";

const { Kind } = PropertyDiff;
const SNAPSHOT = "vpsorg:index:Snapshot";
const HISTORY = "vpsorg:index:SnapshotHistory";
const ctx = useEmulator({ snapshotDurationMs: 150, backupDurationMs: 150, restoreDurationMs: 200 });
const plugins = usePlugins({ tokens: [TOKEN_A], env: { VPSORG_POLL_MIN_MS: "40", VPSORG_POLL_MAX_MS: "150" } });

/** A plugin process for the provider `provider` ("default_..." or an explicit provider's name). */
async function providerProcess(provider?: string, config: Props = { apiToken: secret(TOKEN_A) }) {
  const plugin = await plugins.start();
  expect(await plugin.checkConfig({ apiUrl: ctx.url }, provider)).toEqual([]);
  await plugin.configure({ apiUrl: ctx.url, ...config });
  return plugin;
}

const SEEDED = new Set<number>([...SNAPSHOTS.all, ...BACKUPS.listed]);
const made = async (kind: "snapshots" | "backups") =>
  (await ctx.control.state())[kind]
    .filter((o) => o.server.id === SERVER && !SEEDED.has(o.id))
    .map((o) => String(o.id))
    .sort();

test("a resource moved to another provider is a new object: the new process never adopts the old one's", async () => {
  // The engine runs one process per provider and replaces a resource whose provider changes, telling
  // the old process only to delete: had the new one adopted the object, the delete would take it.
  const before = await providerProcess();
  const old = await before.create(SNAPSHOT, "pre-upgrade", { serverId: SERVER, name: "pre-upgrade-a1" });
  const after = await providerProcess("prod");
  const moved = await after.create(SNAPSHOT, "pre-upgrade", { serverId: SERVER, name: "pre-upgrade-a1" });
  expect(moved.id).not.toBe(old.id);
  await before.delete(SNAPSHOT, "pre-upgrade", old.id, old.outputs);
  expect(await made("snapshots")).toEqual([moved.id]);
  await after.delete(SNAPSHOT, "pre-upgrade", moved.id, moved.outputs);
});

test("a new version of the default provider still finds what the older one started", async () => {
  await ctx.control.settings({ manual: true });
  const first = await providerProcess("default_0_3_0");
  const dying = rejection(first.create(SNAPSHOT, "pre-upgrade", { serverId: SERVER, name: "pre-upgrade-b2" }));
  await until("the POST", async () => (await made("snapshots")).length === 1);
  await first.stop("SIGKILL");
  expect((await dying).code).toBe(grpc.status.UNAVAILABLE);
  const [started] = await made("snapshots");
  await ctx.control.completeJob("snapshots", started);
  const upgraded = await providerProcess("default_0_4_0");
  const again = await upgraded.create(SNAPSHOT, "pre-upgrade", { serverId: SERVER, name: "pre-upgrade-b2" });
  expect(again.id).toBe(started);
  await upgraded.delete(SNAPSHOT, "pre-upgrade", again.id, again.outputs);
});

test("a history: read, a preview of a new trigger shows its outputs unknown, not stale", async () => {
  const plugin = await providerProcess();
  const news = { serverId: SERVER, trigger: "v1", keep: 2 };
  const { id, outputs } = await plugin.create(HISTORY, "releases", news);
  const read = await plugin.read(HISTORY, "releases", id, outputs);
  expect(read.outputs.items).toEqual(outputs.items);
  expect(read.inputs).toEqual(news);
  const next = { ...news, trigger: "v2" };
  const diff = await plugin.diff(HISTORY, "releases", id, outputs, next);
  expect(diff.detailed).toEqual({ trigger: Kind.UPDATE });
  const preview = await plugin.update(HISTORY, "releases", id, outputs, next, true);
  expect(preview.outputs).toMatchObject({ trigger: "v2", items: UNKNOWN, latest: UNKNOWN, lastTrigger: UNKNOWN });
  await plugin.delete(HISTORY, "releases", id, outputs);
});

test("a secret trigger stays secret in every output made from it", async () => {
  const plugin = await providerProcess();
  const news = { serverId: SERVER, trigger: secret("release-7f3a"), keep: 2 };
  const { id, outputs } = await plugin.create(HISTORY, "releases", news);
  for (const key of ["trigger", "lastTrigger", "items", "latest"]) {
    expect([key, outputs[key]]).toEqual([key, expect.objectContaining(secret(expect.anything()))]);
  }
  expect(JSON.stringify(outputs.serverId)).toBe(String(SERVER)); // what is not made from it stays plain
  const { inputs } = await plugin.check(HISTORY, "releases", news);
  expect(inputs.trigger).toEqual(secret("release-7f3a"));
  await plugin.delete(HISTORY, "releases", id, outputs);
});

test("customTimeouts: a wait that times out is recorded with its id; the next up resumes it", async () => {
  await ctx.control.settings({ manual: true });
  const plugin = await providerProcess();
  const news = { serverId: SERVER, name: "slow-one" };
  const timedOut = await rejection(plugin.create(SNAPSHOT, "slow", news, { timeout: 1 }), "a create that times out");
  expect(timedOut.message).toMatch(/still "in_progress" after 1s/);
  const [started] = await made("snapshots");
  expect(timedOut.id).toBe(started);
  expect(timedOut.properties).toMatchObject({ status: "in_progress", name: "slow-one" });
  expect(timedOut.properties).not.toHaveProperty("__createTimeout");
  const diff = await plugin.diff(SNAPSHOT, "slow", started, timedOut.properties, news);
  expect(diff.detailed).toEqual({ status: Kind.UPDATE }); // the reason: a wait to resume
  await ctx.control.completeJob("snapshots", started);
  const resumed = await plugin.update(SNAPSHOT, "slow", started, timedOut.properties, news);
  expect(resumed.outputs.status).toBe("completed");
  expect(await made("snapshots")).toEqual([started]);
  await plugin.delete(SNAPSHOT, "slow", started, resumed.outputs);
});

test("Cancel (Ctrl-C) ends a wait as its deadline would: recorded with its id, nothing half made", async () => {
  await ctx.control.settings({ manual: true });
  const plugin = await providerProcess();
  const creating = rejection(plugin.create(SNAPSHOT, "cancelled", { serverId: SERVER, name: "cancelled-one" }));
  await until("the POST", async () => (await made("snapshots")).length === 1);
  await plugin.cancel();
  const error = await creating;
  expect(error.message).toMatch(/when the update was cancelled/);
  expect(error.id).toBe((await made("snapshots"))[0]);
  await plugin.delete(SNAPSHOT, "cancelled", error.id, error.properties);
  expect(await made("snapshots")).toEqual([]);
});

test("restores: new triggers replace (restore again), a longer wait updates in place", async () => {
  const plugin = await providerProcess();
  const type = "vpsorg:index:SnapshotRestore";
  const news = { snapshotId: String(SNAPSHOT_801.id), acknowledgeDataLoss: true, triggers: ["incident-1"] };
  const { id, outputs } = await plugin.create(type, "rollback", news);
  expect(outputs.snapshotId).toBe(SNAPSHOT_801.id);
  expect((await plugin.diff(type, "rollback", id, outputs, news)).changes).toBe(1); // DIFF_NONE
  const again = await plugin.diff(type, "rollback", id, outputs, { ...news, triggers: ["incident-2"] });
  expect(again.detailed).toEqual({ triggers: Kind.UPDATE_REPLACE });
  const patient = { ...news, waitTimeout: "45m" };
  expect((await plugin.diff(type, "rollback", id, outputs, patient)).detailed).toEqual({ waitTimeout: Kind.UPDATE });
  const updated = await plugin.update(type, "rollback", id, outputs, patient);
  expect(updated.outputs).toMatchObject({ waitTimeout: "45m", outcome: "succeeded" });
  expect(await ctx.control.count("POST /api/v1/snapshots/:snapshotId/restore/")).toBe(1);
});

test("a rejected token: the error says where it came from, never what it is", async () => {
  const plugin = await providerProcess(undefined, { apiToken: secret("vps_test_Revoked0000000001") });
  const error = await rejection(plugin.create(SNAPSHOT, "x", { serverId: SERVER, name: "x" }), "a create");
  expect(error.message).toMatch(
    /VPS.org rejected the API token of the default account \(from stack config vpsorg:apiToken\)/,
  );
  expect(plugin.output()).not.toContain("Revoked0000000001");
});

test("pulumi import of an automatic backup is refused: VPS.org makes and expires those", async () => {
  const plugin = await providerProcess();
  const error = await rejection(
    plugin.read("vpsorg:index:Backup", "nightly", String(BACKUPS.automatic[0]), {}),
    "an import of an automatic backup",
  );
  expect(error.message).toMatch(/automatic backup; only manual backups can be managed/);
});

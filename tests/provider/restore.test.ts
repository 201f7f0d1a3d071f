// restoreSnapshot and restoreBackup through the real dynamic-provider host: a restore happens
// exactly when the stack says so, never in preview, on refresh or on an unchanged up.
import { restoreBackup, restoreSnapshot, Snapshot, type SnapshotRestoreArgs } from "pulumi-vpsorg";
import { restoreFromBackup, restoreFromSnapshot, VpsOrgClient } from "../../provider";
import { CheckFailed } from "../harness/engine";
import { registeredInputs, runProgram } from "../harness/program";
import { InitFailure } from "../harness/provider-host";
import { TOKEN_A, until } from "../helpers/emulator";
import { useStack } from "../helpers/stack";
import { rejection } from "../helpers/expect";

const ctx = useStack();
const api = () => new VpsOrgClient({ token: TOKEN_A, baseUrl: ctx.url });
const SNAPSHOT_RESTORES = "POST /api/v1/snapshots/:snapshotId/restore/";
const BACKUP_RESTORES = "POST /api/v1/servers/:serverId/restore/";
const restoresSent = async () => {
  const { byRoute } = await ctx.control.requests();
  return (byRoute[SNAPSHOT_RESTORES] ?? 0) + (byRoute[BACKUP_RESTORES] ?? 0);
};
const serverStatus = async () => (await ctx.control.state()).servers.find((s) => s.id === 12345)?.status;

test("the restore happens on create; the server passes through restoring back to active", async () => {
  await ctx.control.settings({ manual: true });
  const [reg] = await registeredInputs(() =>
    restoreSnapshot("rollback", { snapshotId: 801, acknowledgeDataLoss: true }),
  );
  const pending = ctx.engine.up(reg);
  await until("server 12345 restoring", async () => (await serverStatus()) === "restoring");
  expect(await serverStatus()).toBe("restoring");
  await ctx.control.finishRestore(12345);
  const state = await pending;
  expect(state.outputs).toMatchObject({
    serverId: 12345,
    serverName: "web-server-01",
    serverStatus: "active",
    snapshotId: 801,
    snapshotName: "pre-migration-snapshot",
    finishedAt: expect.any(String),
    startedAt: expect.any(String),
  });
  expect(await restoresSent()).toBe(1);
});

test("preview, an unchanged up and refresh send no request at all; a changed trigger restores again", async () => {
  let trigger = "first";
  const program = () =>
    restoreSnapshot("rollback", { snapshotId: 801, acknowledgeDataLoss: true, triggers: [trigger] });
  await ctx.control.clearRequests();
  const preview = await runProgram(program, ctx.engine, "preview");
  expect(preview.steps.get("rollback")).toBe("create");
  expect((await ctx.control.requests()).total).toBe(0);

  expect((await runProgram(program, ctx.engine, "up")).errors).toEqual([]);
  expect(await restoresSent()).toBe(1);

  await ctx.control.clearRequests();
  expect((await runProgram(program, ctx.engine, "preview")).steps.get("rollback")).toBe("same");
  expect((await runProgram(program, ctx.engine, "up")).steps.get("rollback")).toBe("same");
  await ctx.engine.refresh();
  expect((await ctx.control.requests()).total).toBe(0);

  trigger = "second";
  const again = await runProgram(program, ctx.engine, "up");
  expect(again.steps.get("rollback")).toBe("replace");
  expect(await restoresSent()).toBe(1);
  expect(await serverStatus()).toBe("active");
});

test("changing only waitTimeout does not restore; removing the restore leaves the server alone", async () => {
  let waitTimeout = "10m";
  const withRestore = () => restoreSnapshot("rollback", { snapshotId: 801, acknowledgeDataLoss: true, waitTimeout });
  await runProgram(withRestore, ctx.engine, "up");
  await ctx.control.clearRequests();
  waitTimeout = "20m";
  expect((await runProgram(withRestore, ctx.engine, "up")).steps.get("rollback")).toBe("update");
  const removed = await runProgram(() => {}, ctx.engine, "up");
  expect(removed.errors).toEqual([]);
  expect(ctx.engine.resources.size).toBe(0);
  expect((await ctx.control.requests()).total).toBe(0);
});

test("without acknowledgeDataLoss, check fails and says what would be lost", async () => {
  const [reg] = await registeredInputs(() => restoreSnapshot("rollback", { snapshotId: 801 } as never));
  const error = await rejection(ctx.engine.up(reg));
  expect(error).toBeInstanceOf(CheckFailed);
  expect(error.failures).toEqual([
    {
      property: "acknowledgeDataLoss",
      reason: expect.stringMatching(
        /Restoring snapshot 801 overwrites ALL current data on the server and cannot be undone/,
      ),
    },
  ]);
  const [bad] = await registeredInputs(() =>
    restoreBackup("bad", { serverId: "12345" as never, backupId: 501, acknowledgeDataLoss: false as never }),
  );
  const failures = ((await rejection(ctx.engine.up(bad))) as CheckFailed).failures;
  expect(failures.map((f) => f.property).sort()).toEqual(["acknowledgeDataLoss", "serverId"]);
  expect(await restoresSent()).toBe(0);
});

test("a server not in a valid state gives an error naming the server and its status; nothing is recorded", async () => {
  await ctx.control.setServerStatus(12345, "suspended");
  const [reg] = await registeredInputs(() =>
    restoreSnapshot("rollback", { snapshotId: 801, acknowledgeDataLoss: true }),
  );
  const error = await rejection(ctx.engine.up(reg));
  expect(error.message).toMatch(/server 12345 \(web-server-01\) cannot be restored now: its status is "suspended"/);
  expect(error).not.toBeInstanceOf(InitFailure);
  expect(ctx.engine.resources.size).toBe(0);
});

test("a snapshot made in the same stack is waited for before the restore", async () => {
  const program = () => {
    const snap = new Snapshot("pre-upgrade", { serverId: 12345 });
    const restore = restoreSnapshot("rollback", { snapshotId: snap.id, acknowledgeDataLoss: true });
    return { snapshotName: snap.name, restoredFrom: restore.snapshotName, status: restore.serverStatus };
  };
  const preview = await runProgram(program, ctx.engine, "preview");
  expect(preview.errors).toEqual([]);
  expect(Object.fromEntries(preview.steps)).toEqual({ "pre-upgrade": "create", rollback: "create" });
  const up = await runProgram(program, ctx.engine, "up");
  expect(up.errors).toEqual([]);
  expect(up.outputs.restoredFrom).toBe(up.outputs.snapshotName);
  expect(up.outputs.status).toBe("active");
});

test("a snapshot id still in_progress is waited for; a restore is never started from it early", async () => {
  await ctx.control.settings({ manual: true });
  const made = await api().snapshots.create({ serverId: 12345, name: "still-running" });
  const [reg] = await registeredInputs(() =>
    restoreSnapshot("rollback", { snapshotId: made.id, acknowledgeDataLoss: true }),
  );
  const pending = ctx.engine.up(reg);
  await new Promise((r) => setTimeout(r, 300));
  expect(await restoresSent()).toBe(0);
  await ctx.control.completeJob("snapshots", made.id);
  await until("server 12345 restoring", async () => (await serverStatus()) === "restoring");
  await ctx.control.finishRestore(12345);
  expect((await pending).outputs.serverStatus).toBe("active");
  expect(await restoresSent()).toBe(1);
});

test("a wait that times out is recorded; the next up waits again and does not restore a second time", async () => {
  await ctx.control.settings({ manual: true });
  const [reg] = await registeredInputs(() =>
    restoreBackup("restore", { serverId: 12345, backupId: 499, acknowledgeDataLoss: true, waitTimeout: "1s" }),
  );
  const error = await rejection(ctx.engine.up(reg));
  expect(error).toBeInstanceOf(InitFailure);
  expect(error.message).toMatch(/still "restoring" after 1s.*does not restore a second time/);
  await ctx.control.finishRestore(12345);
  const resumed = await ctx.engine.up(reg);
  expect(resumed.outputs).toMatchObject({ serverStatus: "active", backupId: 499, backupType: "manual" });
  expect((await ctx.control.requests()).byRoute[BACKUP_RESTORES]).toBe(1);
});

test("restoreBackup restores the server from its backup", async () => {
  const [reg] = await registeredInputs(() =>
    restoreBackup("restore", { serverId: 12345, backupId: "501", acknowledgeDataLoss: true }),
  );
  const state = await ctx.engine.up(reg);
  expect(state.outputs).toMatchObject({
    serverId: 12345,
    backupId: 501,
    backupType: "automatic",
    serverStatus: "active",
  });
  expect((await ctx.control.requests()).byRoute[BACKUP_RESTORES]).toBe(1);
  const again = await ctx.engine.up(reg);
  expect(ctx.engine.log.at(-1)?.step).toBe("same"); // "501" and 501 are the same backup
  expect(again.id).toBe(state.id);
});

test("acknowledgeDataLoss is typed as the literal true: false does not compile (npm test type-checks the tests)", () => {
  // @ts-expect-error false is not assignable to Input<true>
  const args: SnapshotRestoreArgs = { snapshotId: 801, acknowledgeDataLoss: false };
  const ok: SnapshotRestoreArgs = { snapshotId: 801, acknowledgeDataLoss: true };
  expect([args.acknowledgeDataLoss, ok.acknowledgeDataLoss]).toEqual([false, true]);
});

describe("the imperative restores for scripts", () => {
  test("restoreSnapshot with wait returns once the server is back", async () => {
    const client = new VpsOrgClient({ token: TOKEN_A, baseUrl: ctx.url });
    const result = await restoreFromSnapshot(client, 801, { wait: true });
    expect(result.server).toMatchObject({ id: 12345, status: "active" });
    expect(result.snapshot?.name).toBe("pre-migration-snapshot");
    expect(result.finishedAt).toEqual(expect.any(String));
  });

  test("restoreBackup without wait returns at once, with the server restoring", async () => {
    const client = new VpsOrgClient({ token: TOKEN_A, baseUrl: ctx.url });
    const result = await restoreFromBackup(client, 12345, 499);
    expect(result.server.status).toBe("restoring");
    expect(result.finishedAt).toBeNull();
    const error = await rejection(restoreFromBackup(client, 12345, 499, { wait: { timeoutMs: 5000 } }));
    expect(error.message).toMatch(/server 12345 \(web-server-01\) cannot be restored now: its status is "restoring"/);
  });
});

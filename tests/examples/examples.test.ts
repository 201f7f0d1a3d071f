// The restore examples, run as programs through the engine-protocol harness (GitOps: gitops.test.ts).
import { runProgram } from "../harness/program";
import { example, programConfig, useStack } from "../helpers/stack";

const ctx = useStack();
const restores = async () => {
  const { byRoute } = await ctx.control.requests();
  return (
    (byRoute["POST /api/v1/snapshots/:snapshotId/restore/"] ?? 0) +
    (byRoute["POST /api/v1/servers/:serverId/restore/"] ?? 0)
  );
};
afterEach(() => {
  programConfig("rollback", "false");
  programConfig("restoreRequestedAt", "");
});

test("pre-upgrade-rollback: the snapshot alone, then a rollback switched on by one line of config", async () => {
  const program = example("pre-upgrade-rollback");
  const first = await runProgram(program, ctx.engine, "up");
  expect(first.errors).toEqual([]);
  expect(Object.fromEntries(first.steps)).toEqual({ "before-upgrade": "create" });

  programConfig("rollback", "true");
  await ctx.control.clearRequests();
  const preview = await runProgram(program, ctx.engine, "preview");
  expect(preview.steps.get("rollback")).toBe("create");
  expect((await ctx.control.requests()).total).toBe(0);
  const rolledBack = await runProgram(program, ctx.engine, "up");
  expect(rolledBack.errors).toEqual([]);
  expect(rolledBack.outputs.serverStatus).toBe("active");
  expect(await restores()).toBe(1);

  await runProgram(program, ctx.engine, "up"); // unchanged: no second restore
  programConfig("rollback", "false");
  const off = await runProgram(program, ctx.engine, "up");
  expect(off.errors).toEqual([]);
  expect(await restores()).toBe(1);
  expect([...ctx.engine.resources.keys()].some((urn) => urn.endsWith("::rollback"))).toBe(false);
});

test("restore-latest-backup: restores the newest automatic backup once per request", async () => {
  const program = example("restore-latest-backup");
  const idle = await runProgram(program, ctx.engine, "up");
  expect(idle.errors).toEqual([]);
  expect(idle.outputs.latestBackupId).toBe(501);
  expect(await restores()).toBe(0);

  programConfig("restoreRequestedAt", new Date().toISOString());
  const restored = await runProgram(program, ctx.engine, "up");
  expect(restored.errors).toEqual([]);
  expect(restored.outputs).toMatchObject({ restoredFromBackup: 501, serverStatus: "active" });
  expect(await restores()).toBe(1);

  // A newer nightly backup appears: the same request does not restore again.
  await ctx.control.addBackup({ server_id: 12345, backup_type: "automatic" });
  const again = await runProgram(program, ctx.engine, "up");
  expect(again.errors).toEqual([]);
  expect(again.steps.get("restore-latest")).toBe("same");
  expect(await restores()).toBe(1);
});

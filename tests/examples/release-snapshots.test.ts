// examples/release-snapshots run as a program through the engine-protocol harness: five releases
// leave the newest three snapshots, preview sends nothing, and one line of config rolls back.
import { runProgram } from "../harness/program";
import { example, programConfig, useStack } from "../helpers/stack";

const ctx = useStack();
// Run afresh each time, as each `pulumi up` runs the program once (without reloading @pulumi/pulumi).
const program = example("release-snapshots");
afterEach(() => {
  programConfig("release", "v1.0.0");
  programConfig("restoreBefore", "");
});

test("release-snapshots: five releases keep the newest three; restoreBefore rolls back once", async () => {
  for (const release of ["v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0"]) {
    programConfig("release", release);
    const run = await runProgram(program, ctx.engine, "up");
    expect(run.errors).toEqual([]);
  }
  programConfig("release", "v1.5.0");
  await ctx.control.clearRequests();
  const preview = await runProgram(program, ctx.engine, "preview");
  expect(preview.steps.get("pre-release")).toBe("update");
  expect((await ctx.control.requests()).total).toBe(0);

  const up = await runProgram(program, ctx.engine, "up");
  expect(up.errors).toEqual([]);
  expect(up.outputs.keptReleases).toEqual(["v1.5.0", "v1.4.0", "v1.3.0"]);
  expect(up.outputs.latestSnapshotName).toMatch(/^pre-release-v1-5-0-[a-z0-9]{6}$/);
  const mine = (await ctx.control.state()).snapshots.filter((s) => s.name.startsWith("pre-release-"));
  expect(mine).toHaveLength(3);
  expect((await ctx.control.state()).snapshots).toHaveLength(5); // and the vendor's two, untouched

  programConfig("restoreBefore", "v1.4.0");
  const rollback = await runProgram(program, ctx.engine, "up");
  expect(rollback.errors).toEqual([]);
  expect(rollback.outputs.serverStatus).toBe("active");
  const before140 = (await ctx.control.state()).snapshots.find((s) => s.name.startsWith("pre-release-v1-4-0-"));
  expect(rollback.outputs.restoredFromSnapshot).toBe(before140?.id);
  expect((await ctx.control.requests()).byRoute["POST /api/v1/snapshots/:snapshotId/restore/"]).toBe(1);

  programConfig("restoreBefore", "");
  const off = await runProgram(program, ctx.engine, "up");
  expect(off.errors).toEqual([]);
  expect((await ctx.control.requests()).byRoute["POST /api/v1/snapshots/:snapshotId/restore/"]).toBe(1);
});

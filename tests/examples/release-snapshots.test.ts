// examples/release-snapshots run as a program through the engine-protocol harness: five releases
// leave the newest three snapshots, preview sends nothing, and one line of config rolls back.
import { join } from "node:path";
import { runtime } from "@pulumi/pulumi";
import { programFrom } from "../harness/load-program";
import { runProgram } from "../harness/program";
import { PROGRAM_DIR, useStack } from "../helpers/stack";

const ctx = useStack();
// Run afresh each time, as each `pulumi up` runs the program once (without reloading @pulumi/pulumi).
const program = programFrom(join(PROGRAM_DIR, "examples", "release-snapshots", "index.ts"));
// Programs read their own config as `<project>:<key>`; the harness's project is "vpsorg".
const setConfig = (key: string, value: string) => runtime.setConfig(`vpsorg:${key}`, value);
afterEach(() => {
  setConfig("release", "v1.0.0");
  setConfig("restoreBefore", "");
});

test("release-snapshots: five releases keep the newest three; restoreBefore rolls back once", async () => {
  for (const release of ["v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0"]) {
    setConfig("release", release);
    const run = await runProgram(program, ctx.engine, "up");
    expect(run.errors).toEqual([]);
  }
  setConfig("release", "v1.5.0");
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

  setConfig("restoreBefore", "v1.4.0");
  const rollback = await runProgram(program, ctx.engine, "up");
  expect(rollback.errors).toEqual([]);
  expect(rollback.outputs.serverStatus).toBe("active");
  const before140 = (await ctx.control.state()).snapshots.find((s) => s.name.startsWith("pre-release-v1-4-0-"));
  expect(rollback.outputs.restoredFromSnapshot).toBe(before140?.id);
  expect((await ctx.control.requests()).byRoute["POST /api/v1/snapshots/:snapshotId/restore/"]).toBe(1);

  setConfig("restoreBefore", "");
  const off = await runProgram(program, ctx.engine, "up");
  expect(off.errors).toEqual([]);
  expect((await ctx.control.requests()).byRoute["POST /api/v1/snapshots/:snapshotId/restore/"]).toBe(1);
});

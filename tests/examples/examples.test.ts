// The restore examples and the GitOps example, run as programs through the engine-protocol harness.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runtime } from "@pulumi/pulumi";
import { load } from "js-yaml";
import { programFrom } from "../harness/load-program";
import { runProgram } from "../harness/program";
import { PROGRAM_DIR, useStack } from "../helpers/stack";

const ctx = useStack();
const example = (name: string) => programFrom(join(PROGRAM_DIR, "examples", name, "index.ts"));
const restores = async () => {
  const { byRoute } = await ctx.control.requests();
  return (
    (byRoute["POST /api/v1/snapshots/:snapshotId/restore/"] ?? 0) +
    (byRoute["POST /api/v1/servers/:serverId/restore/"] ?? 0)
  );
};
// Programs read their own config as `<project>:<key>`; the harness's project is "vpsorg".
const setConfig = (key: string, value: string) => runtime.setConfig(`vpsorg:${key}`, value);
afterEach(() => {
  setConfig("rollback", "false");
  setConfig("restoreRequestedAt", "");
  setConfig("release", "unreleased");
});

test("pre-upgrade-rollback: the snapshot alone, then a rollback switched on by one line of config", async () => {
  const program = example("pre-upgrade-rollback");
  const first = await runProgram(program, ctx.engine, "up");
  expect(first.errors).toEqual([]);
  expect(Object.fromEntries(first.steps)).toEqual({ "before-upgrade": "create" });

  setConfig("rollback", "true");
  await ctx.control.clearRequests();
  const preview = await runProgram(program, ctx.engine, "preview");
  expect(preview.steps.get("rollback")).toBe("create");
  expect((await ctx.control.requests()).total).toBe(0);
  const rolledBack = await runProgram(program, ctx.engine, "up");
  expect(rolledBack.errors).toEqual([]);
  expect(rolledBack.outputs.serverStatus).toBe("active");
  expect(await restores()).toBe(1);

  await runProgram(program, ctx.engine, "up"); // unchanged: no second restore
  setConfig("rollback", "false");
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

  setConfig("restoreRequestedAt", new Date().toISOString());
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

test("gitops: a new release replaces the pre-release snapshot, leaving exactly one", async () => {
  const program = example("gitops");
  setConfig("release", "v1");
  const v1 = await runProgram(program, ctx.engine, "up");
  expect(v1.errors).toEqual([]);
  setConfig("release", "v2");
  const v2 = await runProgram(program, ctx.engine, "up");
  expect(v2.steps.get("pre-release")).toBe("replace");
  const mine = (await ctx.control.state()).snapshots.filter((s) => s.name.startsWith("pre-release-"));
  expect(mine.map((s) => s.name)).toEqual([v2.outputs.snapshotName]);
});

test("gitops workflow: tests against the emulator, previews pull requests, applies main", () => {
  const path = join(PROGRAM_DIR, "examples", "gitops", ".github", "workflows", "infrastructure.yml");
  const workflow = load(readFileSync(path, "utf8")) as {
    on: { pull_request: unknown; push: { branches: string[] } };
    jobs: Record<string, { if?: string; needs?: string; steps: Array<{ run?: string; with?: { command?: string } }> }>;
  };
  expect(workflow.on).toHaveProperty("pull_request");
  expect(workflow.on.push.branches).toEqual(["main"]);
  const runs = (job: string) => workflow.jobs[job].steps.map((s) => s.run ?? "").join("\n");
  expect(runs("test")).toMatch(/npx vpsorg-emulator --port 8080 --token vps_ci/);
  expect(runs("test")).toMatch(/pulumi config set vpsorg:apiUrl http:\/\/127\.0\.0\.1:8080\/api\/v1/);
  expect(runs("test")).toMatch(/pulumi up --yes/);
  const command = (job: string) => workflow.jobs[job].steps.find((s) => s.with?.command)?.with?.command;
  expect(command("preview")).toBe("preview");
  expect(workflow.jobs.preview.if).toBe("github.event_name == 'pull_request'");
  expect(command("up")).toBe("up");
  expect(workflow.jobs.up.if).toMatch(/github.event_name == 'push' && github.ref == 'refs\/heads\/main'/);
  expect(workflow.jobs.preview.needs).toBe("test");
  expect(workflow.jobs.up.needs).toBe("test");
});

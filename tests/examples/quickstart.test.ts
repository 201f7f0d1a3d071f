// examples/quickstart, as a user runs it: through the engine-protocol harness always, and through
// the Pulumi CLI (Automation API, file backend) wherever a `pulumi` CLI is installed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pulumiCliVersion } from "../../scripts/demo";
import { programFrom } from "../harness/load-program";
import { runProgram } from "../harness/program";
import { TOKEN_A } from "../helpers/emulator";
import { PROGRAM_DIR, useStack } from "../helpers/stack";

const ctx = useStack();
const PROGRAM = join(PROGRAM_DIR, "examples", "quickstart", "index.ts");
const program = programFrom(PROGRAM);

test("the quickstart previews, comes up with its outputs, refreshes and is destroyed", async () => {
  const preview = await runProgram(program, ctx.engine, "preview");
  expect(preview.errors).toEqual([]);
  expect(Object.fromEntries(preview.steps)).toEqual({ "pre-upgrade": "create", "pre-deploy": "create" });

  const up = await runProgram(program, ctx.engine, "up");
  expect(up.errors).toEqual([]);
  expect(up.outputs).toMatchObject({
    snapshotStatus: "completed",
    snapshotSizeMb: expect.any(Number),
    backupStatus: "completed",
    backupSizeMb: expect.any(Number),
  });
  expect(up.outputs.snapshotName).toMatch(/^pre-upgrade-[a-z0-9]{7}$/);

  await ctx.engine.refresh();
  expect(ctx.engine.resources.size).toBe(2);
  await ctx.engine.deleteAllBut();
  const state = await ctx.control.state();
  expect(state.snapshots.map((s) => s.id)).toEqual([801, 798]);
  expect(state.backups.filter((b) => b.server.id === 12345).map((b) => b.id)).toEqual([501, 499, 495]);
});

const cli = pulumiCliVersion();
if (!cli)
  console.log("Automation API test skipped: no `pulumi` CLI on the PATH (it cannot be installed on this machine).");
(cli ? test : test.skip)("with the Pulumi CLI: up, refresh and destroy of the quickstart (file backend)", async () => {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const backend = mkdtempSync(join(tmpdir(), "vpsorg-backend-"));
  try {
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "test", workDir: PROGRAM_DIR },
      { envVars: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "test" } },
    );
    await stack.setConfig("vpsorg:apiToken", { value: TOKEN_A, secret: true });
    await stack.setConfig("vpsorg:apiUrl", { value: ctx.url });
    const up = await stack.up();
    expect(up.outputs.snapshotStatus.value).toBe("completed");
    expect(up.outputs.backupStatus.value).toBe("completed");
    const refresh = await stack.refresh();
    expect(refresh.summary.result).toBe("succeeded");
    await stack.destroy();
    expect((await ctx.control.state()).snapshots).toHaveLength(2);
    await stack.workspace.removeStack("test");
  } finally {
    rmSync(backend, { recursive: true, force: true });
  }
});

// The package as a user gets it: `npm pack`, installed into a program made from Pulumi's
// TypeScript template, compiled with the template's tsconfig, and run against the emulator through
// the real dynamic-provider host, whose only copy of pulumi-vpsorg is the one from the tarball.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MiniEngine } from "../harness/engine";
import { programFrom } from "../harness/load-program";
import { runProgram } from "../harness/program";
import { TOKEN_A, useEmulator } from "../helpers/emulator";
import { setProgramConfig, startHost } from "../helpers/stack";
import { installTarball, linkFromRepo, pack } from "./tarball";

const ctx = useEmulator({ snapshotDurationMs: 200, backupDurationMs: 200 });
const TEMPLATE = join(__dirname, "consumer");
let dir: string;
let installed: { name: string; version: string };

/**
 * tsc as the user runs it in the program folder, with the template's tsconfig unchanged over
 * `files`; its output, and whether it succeeded.
 */
function tsc(files: string[]): { ok: boolean; output: string } {
  const template = JSON.parse(readFileSync(join(TEMPLATE, "tsconfig.json"), "utf8"));
  const tsconfig = { ...template, files };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  try {
    const tscBin = join(dir, "node_modules", "typescript", "bin", "tsc");
    const output = execFileSync(process.execPath, [tscBin, "-p", dir, "--pretty", "false"], { encoding: "utf8" });
    return { ok: true, output };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vpsorg-consumer-"));
  for (const file of ["index.ts", "stack-only.ts", "package.json", "Pulumi.yaml"]) {
    copyFileSync(join(TEMPLATE, file), join(dir, file));
  }
  const { tarball } = pack({ destination: dir });
  installed = installTarball(tarball, dir);
  // The template's devDependencies.
  linkFromRepo(dir, "typescript");
  linkFromRepo(dir, "@types/node");
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// zod 4's own typings (node_modules/zod/v4/locales/index.d.cts) do not compile without
// esModuleInterop, so the checks below hold only while no published declaration imports zod.
test("the template's tsconfig is the one Pulumi ships: node resolution, strict, no skipLibCheck", () => {
  const { compilerOptions } = JSON.parse(readFileSync(join(TEMPLATE, "tsconfig.json"), "utf8"));
  expect(compilerOptions).toMatchObject({ moduleResolution: "node", strict: true, target: "es2020" });
  expect(compilerOptions.skipLibCheck).toBeUndefined();
  expect(compilerOptions.esModuleInterop).toBeUndefined();
  expect(installed).toEqual({ name: "pulumi-vpsorg", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
});

test("a stack importing pulumi-vpsorg compiles with the template's tsconfig unchanged", () => {
  const { ok, output } = tsc(["stack-only.ts"]);
  expect(output).toBe("");
  expect(ok).toBe(true);
}, 60_000);

test("a program importing pulumi-vpsorg, /client and /provider compiles with the template's tsconfig unchanged", () => {
  const { ok, output } = tsc(["index.ts"]);
  expect(output).toBe("");
  expect(ok).toBe(true);
}, 60_000);

test("without typesVersions the subpaths would not resolve (the check above can fail)", () => {
  const manifestPath = join(dir, "node_modules", "pulumi-vpsorg", "package.json");
  const original = readFileSync(manifestPath, "utf8");
  const { typesVersions: _dropped, ...rest } = JSON.parse(original);
  writeFileSync(manifestPath, JSON.stringify(rest));
  try {
    const { ok, output } = tsc(["index.ts"]);
    expect(ok).toBe(false);
    expect(output).toMatch(/Cannot find module 'pulumi-vpsorg\/client'/);
    expect(output).toMatch(/Cannot find module 'pulumi-vpsorg\/provider'/);
  } finally {
    writeFileSync(manifestPath, original);
  }
  expect(tsc(["index.ts"]).ok).toBe(true); // restored for the run below, which needs bin/index.js
}, 60_000);

test("the compiled program comes up against the emulator through the host, and is destroyed", async () => {
  const host = await startHost(ctx.url, { cwd: dir });
  try {
    setProgramConfig(TOKEN_A, ctx.url);
    const engine = new MiniEngine(host);
    const program = programFrom(join(dir, "bin", "index.js"));
    const up = await runProgram(program, engine, "up");
    expect(up.errors).toEqual([]);
    expect(up.outputs).toMatchObject({
      snapshotName: expect.stringMatching(/^consumer-snapshot-/),
      snapshotStatus: "completed",
      backupStatus: "completed",
      providerKinds: ["backup", "backupHistory", "backupRestore", "snapshot", "snapshotHistory", "snapshotRestore"],
      subpathsLoaded: ["function", "function", "function", "undefined", "function", "function"],
    });
    // The state's shim loads the provider from the program's node_modules: the installed tarball.
    for (const r of engine.resources.values())
      expect(r.outputs.__provider).toMatch(/require\("pulumi-vpsorg\/provider"\)/);
    expect(host.stderr.join("")).not.toMatch(/Cannot find module/);

    await engine.deleteAllBut();
    const state = await ctx.control.state();
    expect(state.snapshots.map((s) => s.id)).toEqual([801, 798]);
    expect(state.backups.filter((b) => b.server.id === 12345).map((b) => b.id)).toEqual([501, 499, 495]);
  } finally {
    await host.stop();
  }
});

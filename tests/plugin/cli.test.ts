// The plugin under the real Pulumi CLI: `pulumi up` and `destroy` of examples/yaml, and
// `pulumi package add` generating a Python SDK from the plugin. These need the `pulumi` command;
// where it is not on the PATH (as on the machine this project is developed on, where it cannot be
// installed) they are skipped, saying so. Everything they exercise below the CLI is tested without
// it in protocol.test.ts, resources.test.ts and yaml-example.test.ts.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { TOKEN_A, useEmulator } from "../helpers/emulator";
import { pluginTarball } from "./harness";

const pulumi = (process.env.PATH ?? "")
  .split(delimiter)
  .map((dir) => join(dir, process.platform === "win32" ? "pulumi.exe" : "pulumi"))
  .find((path) => existsSync(path));
if (!pulumi) {
  console.log("tests/plugin/cli.test.ts: skipped: the Pulumi CLI (`pulumi`) is not on the PATH");
}
const withCli = pulumi ? describe : describe.skip;
const EXAMPLE = join(__dirname, "..", "..", "examples", "yaml");

withCli("with the Pulumi CLI", () => {
  const ctx = useEmulator({ snapshotDurationMs: 100 });
  const home = mkdtempSync(join(tmpdir(), "vpsorg-pulumi-home-"));
  const env = {
    ...process.env,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${join(home, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "test-only",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    VPS_API_TOKEN: "",
  };
  mkdirSync(join(home, "state"), { recursive: true });
  const run = (cwd: string, ...args: string[]) =>
    execFileSync(pulumi!, [...args, "--non-interactive"], { cwd, env, encoding: "utf8", timeout: 300_000 });

  test("pulumi up and destroy of examples/yaml, the plugin found through plugins.providers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpsorg-yaml-"));
    cpSync(join(EXAMPLE, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    mkdirSync(join(dir, "bin"));
    execFileSync("tar", ["-xzf", pluginTarball(), "-C", join(dir, "bin")]);
    run(dir, "stack", "init", "dev");
    run(dir, "config", "set", "vpsorg:apiUrl", ctx.url);
    run(dir, "config", "set", "--secret", "vpsorg:apiToken", TOKEN_A);
    const up = run(dir, "up", "--yes");
    const id = run(dir, "stack", "output", "preUpgradeSnapshot").trim();
    const made = (await ctx.control.state()).snapshots.map((s) => String(s.id));
    expect(made).toContain(id);
    const destroy = run(dir, "destroy", "--yes");
    expect((await ctx.control.state()).snapshots.map((s) => String(s.id))).not.toContain(id);
    expect(up + destroy).not.toContain(TOKEN_A);
  }, 600_000);

  test("pulumi package add generates a Python SDK from the plugin", () => {
    const dir = mkdtempSync(join(tmpdir(), "vpsorg-python-"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: vpsorg-python\nruntime: python\n");
    const bin = join(dir, "bin");
    mkdirSync(bin);
    execFileSync("tar", ["-xzf", pluginTarball(), "-C", bin]);
    run(dir, "package", "add", join(bin, "pulumi-resource-vpsorg"));
    expect(existsSync(join(dir, "sdks", "vpsorg"))).toBe(true);
    const generated = execFileSync("find", [join(dir, "sdks", "vpsorg"), "-name", "*.py"], { encoding: "utf8" });
    expect(generated).toMatch(/snapshot\.py/);
    expect(generated).toMatch(/get_snapshots\.py/);
  }, 600_000);
});

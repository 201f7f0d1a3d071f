// examples/yaml, as Pulumi YAML would run it without the CLI: every type, function and property the
// program names is in the plugin's schema, and its resources and functions, with the program's
// values, are registered through the plugin against the emulator in the order the engine would.
// Then, wherever the Pulumi CLI is on the PATH (not on the machine this project is developed on,
// where it cannot be installed: there they are skipped, saying so), the same folder under the real
// CLI, `pulumi up` and `destroy`, and `pulumi package add` generating a Python SDK from the plugin.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { load } from "js-yaml";
import { TOKEN_A, useEmulator } from "../helpers/emulator";
import { FakeEngine, installPlugin, Plugin, pluginTarball, type Props, secret } from "./harness";

const EXAMPLE = join(__dirname, "..", "..", "examples", "yaml");
interface YamlProgram {
  plugins: { providers: Array<{ name: string; path: string }> };
  config: Record<string, { type: string; default: unknown }>;
  resources: Record<string, { type: string; properties: Props }>;
  variables: Record<string, { "fn::invoke": { function: string; arguments: Props } }>;
  outputs: Record<string, string>;
}
const program = load(readFileSync(join(EXAMPLE, "Pulumi.yaml"), "utf8")) as YamlProgram;

const ctx = useEmulator({ snapshotDurationMs: 100 });
const executable = installPlugin();
let engine: FakeEngine;
let plugin: Plugin;
beforeAll(async () => {
  engine = await FakeEngine.start();
  plugin = await Plugin.start(executable, engine, {
    cwd: EXAMPLE,
    env: { VPSORG_POLL_MIN_MS: "40", VPSORG_POLL_MAX_MS: "150" },
  });
});
afterAll(async () => {
  await plugin?.stop();
  await engine?.stop();
});

/** `${name}` and `${name.path}` of Pulumi YAML, over the values known so far. */
function resolve(value: unknown, scope: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{([\w.]+)\}$/.exec(value);
    if (!whole) return value;
    const [head, ...path] = whole[1].split(".");
    if (!(head in scope)) throw new Error(`${value}: ${head} is not declared in the program`);
    return path.reduce<unknown>((v, key) => (v as Props)[key], scope[head]);
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, scope)]));
  }
  return value;
}

test("the program names only types, functions and inputs the plugin's schema declares", async () => {
  const schema = await plugin.getSchema();
  expect(program.plugins.providers).toEqual([{ name: schema.name, path: "./bin" }]);
  for (const [name, resource] of Object.entries(program.resources)) {
    const declared = schema.resources[resource.type];
    expect({ name, type: resource.type, known: Boolean(declared) }).toEqual({ name, type: resource.type, known: true });
    for (const key of Object.keys(resource.properties)) expect(Object.keys(declared.inputProperties)).toContain(key);
    for (const key of declared.requiredInputs ?? []) expect(Object.keys(resource.properties)).toContain(key);
  }
  for (const variable of Object.values(program.variables)) {
    const { function: token, arguments: args } = variable["fn::invoke"];
    expect(Object.keys(schema.functions)).toContain(token);
    for (const key of Object.keys(args)) expect(Object.keys(schema.functions[token].inputs.properties)).toContain(key);
  }
});

test("up and destroy of the program's resources through the plugin, with its config's defaults", async () => {
  await plugin.configure({ apiToken: secret(TOKEN_A), apiUrl: ctx.url });
  const scope: Record<string, unknown> = Object.fromEntries(
    Object.entries(program.config).map(([key, c]) => [key, c.default]),
  );
  const made: Array<{ type: string; name: string; id: string; outputs: Props }> = [];
  for (const [name, resource] of Object.entries(program.resources)) {
    const { inputs, failures } = await plugin.check(resource.type, name, resolve(resource.properties, scope) as Props);
    expect(failures).toEqual([]);
    const { id, outputs } = await plugin.create(resource.type, name, inputs);
    scope[name] = { id, ...outputs };
    made.push({ type: resource.type, name, id, outputs });
  }
  for (const [name, variable] of Object.entries(program.variables)) {
    const { function: token, arguments: args } = variable["fn::invoke"];
    const answer = await plugin.invoke(token, resolve(args, scope) as Props);
    expect(answer.failures).toEqual([]);
    scope[name] = answer.result;
  }
  const outputs = resolve(program.outputs, scope) as Props;
  expect(outputs.preUpgradeSnapshot).toMatch(/^\d+$/);
  expect(outputs.releaseSnapshots).toHaveLength(1);
  expect(outputs.newestBackupId).toBe(501); // the vendor's newest backup of server 12345
  for (const r of made.reverse()) await plugin.delete(r.type, r.name, r.id, r.outputs);
  const left = (await ctx.control.state()).snapshots.filter((s) => ![801, 798].includes(s.id));
  expect(left).toEqual([]);
});

const pulumi = (process.env.PATH ?? "")
  .split(delimiter)
  .map((dir) => join(dir, process.platform === "win32" ? "pulumi.exe" : "pulumi"))
  .find((path) => existsSync(path));
if (!pulumi) {
  console.log(
    "tests/plugin/yaml-example.test.ts: the tests with the Pulumi CLI are skipped: no `pulumi` on the PATH (it cannot be installed on this machine)",
  );
}
const withCli = pulumi ? describe : describe.skip;

withCli("with the Pulumi CLI", () => {
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

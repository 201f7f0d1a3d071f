// npm run demo: runs examples/quickstart end to end against the embedded emulator, with a local
// file backend: no account, no cloud. With the Pulumi CLI when one is installed; otherwise through
// the engine-protocol harness (the real dynamic-provider host, driven over gRPC as the engine does).
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runtime } from "@pulumi/pulumi";
import { startEmulator } from "../emulator";
import { MiniEngine } from "../tests/harness/engine";
import { runProgram } from "../tests/harness/program";
import { ProviderHost, secret } from "../tests/harness/provider-host";

const ROOT = join(__dirname, "..");
const PROGRAM = join(ROOT, "examples", "quickstart", "index.ts");
const WORK = join(ROOT, ".pulumi-demo");
const TOKEN = "vps_demo_token";

export function pulumiCliVersion(): string | undefined {
  const result = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

async function main(): Promise<void> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const emulator = await startEmulator({ tokens: [TOKEN], snapshotDurationMs: 1500, backupDurationMs: 2000 });
  console.log(`emulator: ${emulator.url} (the vendor's example server 12345 is there)`);
  try {
    const cli = pulumiCliVersion();
    if (cli) await withCli(cli, emulator.url);
    else await withHarness(emulator.url);
    const counts = (await (await fetch(`${emulator.controlUrl}/requests`)).json()) as { byRoute: object };
    console.log(`\nAPI requests, by route: ${JSON.stringify(counts.byRoute, null, 2)}`);
  } finally {
    await emulator.close();
  }
}

async function withCli(version: string, apiUrl: string): Promise<void> {
  console.log(`Pulumi CLI ${version}: running \`pulumi up\`, \`refresh\`, \`destroy\` with a file backend in ${WORK}`);
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "dev", workDir: ROOT },
    { envVars: { PULUMI_BACKEND_URL: `file://${WORK}`, PULUMI_CONFIG_PASSPHRASE: "demo" } },
  );
  await stack.setConfig("vpsorg:apiToken", { value: TOKEN, secret: true });
  await stack.setConfig("vpsorg:apiUrl", { value: apiUrl });
  const up = await stack.up({ onOutput: (line) => process.stdout.write(line) });
  console.log("\noutputs:", Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value])));
  await stack.refresh({ onOutput: (line) => process.stdout.write(line) });
  await stack.destroy({ onOutput: (line) => process.stdout.write(line) });
  await stack.workspace.removeStack("dev");
}

async function withHarness(apiUrl: string): Promise<void> {
  console.log(
    "No Pulumi CLI on this machine (it cannot be downloaded here), so the same program runs through the\n" +
      "engine-protocol harness: the real dynamic-provider host from @pulumi/pulumi, driven over gRPC exactly\n" +
      `as \`pulumi up\` drives it, with the state in ${join(WORK, "state.json")}.\n`,
  );
  const { VPS_API_TOKEN: _t, VPS_API_URL: _u, ...env } = process.env;
  const host = await ProviderHost.start({ cwd: ROOT, env });
  const program = () => {
    delete require.cache[PROGRAM];
    return require(PROGRAM);
  };
  try {
    await host.configure({ "vpsorg:apiToken": secret(TOKEN), "vpsorg:apiUrl": apiUrl });
    // The program process sees the same stack config (its lookups read it).
    runtime.setConfig("vpsorg:apiToken", TOKEN);
    runtime.setConfig("vpsorg:apiUrl", apiUrl);
    const engine = new MiniEngine(host, join(WORK, "state.json"));
    const preview = await runProgram(program, engine, "preview");
    console.log("preview:", Object.fromEntries(preview.steps));
    const started = Date.now();
    const up = await runProgram(program, engine, "up");
    if (up.errors.length) throw up.errors[0];
    console.log(`up (${((Date.now() - started) / 1000).toFixed(1)} s):`, Object.fromEntries(up.steps));
    console.log("outputs:", up.outputs);
    const again = await runProgram(program, engine, "up");
    console.log("up again, nothing changed:", Object.fromEntries(again.steps));
    await engine.refresh();
    console.log(`refresh: ${engine.resources.size} resources still exist`);
    await engine.deleteAllBut();
    console.log(`destroy: ${engine.resources.size} resources left in the state`);
  } finally {
    await host.stop();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}

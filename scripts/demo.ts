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

const started = Date.now();
/** One progress line, with the time since the demo started. */
const log = (message: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

/** A table of rows, columns padded to their widest cell. */
export function table(header: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? "-" : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(cells[0]), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}

interface Row {
  resource: string;
  kind: string;
  id: string;
  name: unknown;
  status: unknown;
  sizeMb: unknown;
}
const printRows = (rows: Row[]) =>
  console.log(
    `\n${table(
      ["resource", "kind", "id", "name", "status", "size MB"],
      rows.map((r) => [r.resource, r.kind, r.id, r.name as string, r.status as string, r.sizeMb as number]),
    )}`,
  );

async function main(): Promise<void> {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const emulator = await startEmulator({ tokens: [TOKEN], snapshotDurationMs: 1500, backupDurationMs: 2000 });
  log(`emulator: ${emulator.url} (the vendor's example server 12345 is there)`);
  try {
    const cli = pulumiCliVersion();
    if (cli) await withCli(cli, emulator.url);
    else await withHarness(emulator.url, emulator.controlUrl);
    const { byRoute } = (await (await fetch(`${emulator.controlUrl}/requests`)).json()) as {
      byRoute: Record<string, number>;
    };
    const byMethod: Record<string, number> = {};
    for (const [route, n] of Object.entries(byRoute))
      byMethod[route.split(" ")[0]] = (byMethod[route.split(" ")[0]] ?? 0) + n;
    console.log(
      `\nAPI requests: ${Object.entries(byMethod)
        .map(([m, n]) => `${n} ${m}`)
        .join(", ")} (a wait lists the server; POSTs are the creates)`,
    );
  } finally {
    await emulator.close();
  }
}

/**
 * The emulator's jobs take 2 s where VPS.org's take minutes: the poll is scaled down to match (first
 * check after 1.9 s, then every second), so the demo does not sit out the real 19 s first check.
 */
const EMULATOR_POLL = { VPSORG_POLL_MAX_MS: "1000", VPSORG_POLL_MIN_MS: "100" };

async function withCli(version: string, apiUrl: string): Promise<void> {
  log(`Pulumi CLI ${version}: \`pulumi up\`, \`refresh\`, \`destroy\` with a file backend in ${WORK}`);
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "dev", workDir: ROOT },
    { envVars: { PULUMI_BACKEND_URL: `file://${WORK}`, PULUMI_CONFIG_PASSPHRASE: "demo", ...EMULATOR_POLL } },
  );
  await stack.setConfig("vpsorg:apiToken", { value: TOKEN, secret: true });
  await stack.setConfig("vpsorg:apiUrl", { value: apiUrl });
  const up = await stack.up({ onOutput: (line) => process.stdout.write(line) });
  const out = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));
  await stack.refresh({ onOutput: (line) => process.stdout.write(line) });
  await stack.destroy({ onOutput: (line) => process.stdout.write(line) });
  await stack.workspace.removeStack("dev");
  printRows([
    {
      resource: "pre-upgrade",
      kind: "Snapshot",
      id: String(out.snapshotId),
      name: out.snapshotName,
      status: out.snapshotStatus,
      sizeMb: out.snapshotSizeMb,
    },
    {
      resource: "pre-deploy",
      kind: "Backup",
      id: String(out.backupId),
      name: null,
      status: out.backupStatus,
      sizeMb: out.backupSizeMb,
    },
  ]);
}

/** Prints each snapshot or backup the demo makes, and each change of its status, until stopped. */
async function watchJobs(controlUrl: string): Promise<() => void> {
  const seen = new Map<string, string>();
  let first = true; // what exists before the first look is the seeded data, not the demo's
  const look = async () => {
    const state = (await (await fetch(`${controlUrl}/state`)).json().catch(() => undefined)) as
      | {
          snapshots: Array<{ id: number; name: string; status: string }>;
          backups: Array<{ id: number; status: string; description: string }>;
        }
      | undefined;
    const objects = [
      ...(state?.snapshots ?? []).map((s) => [`snapshot ${s.id} (${s.name})`, s.status]),
      ...(state?.backups ?? [])
        .filter((b) => b.description)
        .map((b) => [`backup ${b.id} (${b.description})`, b.status]),
    ];
    for (const [what, status] of objects) {
      const before = seen.get(what);
      if (before !== undefined && before !== status) log(`  ${what}: ${before} -> ${status}`);
      else if (before === undefined && !first) log(`  ${what}: started, ${status}`);
      seen.set(what, status);
    }
    first = false;
  };
  await look();
  const timer = setInterval(look, 250);
  return () => clearInterval(timer);
}

async function withHarness(apiUrl: string, controlUrl: string): Promise<void> {
  log("no Pulumi CLI here: the program runs through the engine-protocol harness (the real dynamic-provider");
  log(`host of @pulumi/pulumi, driven over gRPC as \`pulumi up\` drives it; state in ${join(WORK, "state.json")})`);
  const { VPS_API_TOKEN: _t, VPS_API_URL: _u, ...env } = process.env;
  const host = await ProviderHost.start({ cwd: ROOT, env: { ...env, ...EMULATOR_POLL } });
  const program = () => {
    delete require.cache[PROGRAM];
    return require(PROGRAM);
  };
  const steps = (run: { steps: Map<string, string> }) =>
    [...run.steps].map(([name, step]) => `${name} ${step}`).join(", ");
  try {
    await host.configure({ "vpsorg:apiToken": secret(TOKEN), "vpsorg:apiUrl": apiUrl });
    // The program process sees the same stack config (its lookups read it).
    runtime.setConfig("vpsorg:apiToken", TOKEN);
    runtime.setConfig("vpsorg:apiUrl", apiUrl);
    const engine = new MiniEngine(host, join(WORK, "state.json"));
    const preview = await runProgram(program, engine, "preview");
    log(`preview: ${steps(preview)} (no API request)`);
    log("up: creating, then waiting until each is completed");
    const stopWatching = await watchJobs(controlUrl);
    const upStarted = Date.now();
    const up = await runProgram(program, engine, "up").finally(stopWatching);
    if (up.errors.length) throw up.errors[0];
    log(`up: ${steps(up)} in ${((Date.now() - upStarted) / 1000).toFixed(1)} s`);
    const rows: Row[] = [...engine.resources.values()].map((r) => ({
      resource: r.urn.split("::").at(-1) ?? r.urn,
      kind: r.type.split(":").at(-1) ?? r.type,
      id: r.id,
      name: r.outputs.name ?? null,
      status: r.outputs.status,
      sizeMb: r.outputs.sizeMb,
    }));
    const again = await runProgram(program, engine, "up");
    log(`up again, nothing changed: ${steps(again)}`);
    await engine.refresh();
    log(`refresh: ${engine.resources.size} of ${rows.length} still exist`);
    await engine.deleteAllBut();
    log(`destroy: ${rows.length} deleted, ${engine.resources.size} left in the state`);
    printRows(rows);
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

// What goes into the Pulumi state: the serialized provider holds no token and no path of this
// machine, stays small, and works from another directory (another machine) and with config or
// environment credentials.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { Backup, Snapshot } from "pulumi-vpsorg";
import { MiniEngine } from "../harness/engine";
import { registeredInputs } from "../harness/program";
import { ProviderHost, secret } from "../harness/provider-host";
import { TOKEN_A, useEmulator } from "../helpers/emulator";
import { PROGRAM_DIR } from "../helpers/stack";
import { rejection } from "../helpers/expect";

const ctx = useEmulator({ snapshotDurationMs: 100, backupDurationMs: 100 });
const { VPS_API_TOKEN: _t, VPS_API_URL: _u, ...cleanEnv } = process.env;

async function withHost<T>(cwd: string, env: NodeJS.ProcessEnv, run: (host: ProviderHost) => Promise<T>) {
  const host = await ProviderHost.start({
    cwd,
    env: { ...cleanEnv, VPSORG_POLL_MIN_MS: "30", VPSORG_POLL_MAX_MS: "150", ...env },
  });
  try {
    return await run(host);
  } finally {
    await host.stop();
  }
}

async function registrations() {
  // A token in the program's environment must not be captured either.
  process.env.VPS_API_TOKEN = TOKEN_A;
  try {
    return await registeredInputs(() => {
      new Snapshot("snap", { serverId: 12345 });
      new Backup("backup", { serverId: 12345 });
    });
  } finally {
    delete process.env.VPS_API_TOKEN;
  }
}

test("the serialized provider has the documented type tokens, no token, no local path, and is small", async () => {
  const regs = await registrations();
  expect(regs.map((r) => r.type)).toEqual([
    "pulumi-nodejs:dynamic/vpsorg:Snapshot",
    "pulumi-nodejs:dynamic/vpsorg:Backup",
  ]);
  for (const { inputs } of regs) {
    const provider = String(inputs.__provider);
    expect(provider).toContain('require("pulumi-vpsorg/provider")');
    expect(provider).not.toContain(TOKEN_A);
    expect(provider).not.toContain(PROGRAM_DIR);
    expect(provider).not.toContain(homedir());
    expect(provider).not.toMatch(/\/(work|home|root|tmp|Users)\//);
    expect(provider.length).toBeLessThan(4096);
  }
});

test("a state written here is created, refreshed and destroyed by a host in another directory", async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), "vpsorg-other-machine-"));
  mkdirSync(join(elsewhere, "node_modules"));
  symlinkSync(PROGRAM_DIR, join(elsewhere, "node_modules", "pulumi-vpsorg"));
  try {
    const [snap] = await registrations();
    await withHost(elsewhere, {}, async (host) => {
      await host.configure({ "vpsorg:apiToken": secret(TOKEN_A), "vpsorg:apiUrl": ctx.url });
      const engine = new MiniEngine(host);
      const created = await engine.up(snap);
      expect(created.outputs.status).toBe("completed");
      expect(JSON.stringify([...engine.resources.values()])).not.toContain(TOKEN_A);
      await engine.refresh();
      expect(engine.resources.size).toBe(1);
      await engine.deleteAllBut();
    });
    expect((await ctx.control.state()).snapshots.map((s) => s.id)).toEqual([801, 798]);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test("without config the token and URL come from VPS_API_TOKEN / VPS_API_URL", async () => {
  const [, backup] = await registrations();
  await withHost(PROGRAM_DIR, { VPS_API_TOKEN: TOKEN_A, VPS_API_URL: ctx.url }, async (host) => {
    await host.configure({});
    const created = await new MiniEngine(host).up(backup);
    expect(created.outputs.status).toBe("completed");
  });
});

test("no token anywhere is one clear error that says how to set it", async () => {
  const [snap] = await registrations();
  await withHost(PROGRAM_DIR, {}, async (host) => {
    await host.configure({ "vpsorg:apiUrl": ctx.url });
    const error = await rejection(new MiniEngine(host).up(snap));
    expect(error.message).toMatch(/No VPS.org API token: run `pulumi config set --secret vpsorg:apiToken <token>`/);
    expect(error.message).toMatch(/VPS_API_TOKEN/);
  });
  expect((await ctx.control.requests()).total).toBe(0);
});

test("a program that uses the provider loads neither the emulator nor its server framework", () => {
  const probe = `
    require("pulumi-vpsorg");
    require("pulumi-vpsorg/provider");
    const loaded = Object.keys(require.cache);
    console.log(JSON.stringify(loaded.filter((f) => /node_modules\\/fastify\\/|\\/emulator\\//.test(f))));`;
  const out = execFileSync(process.execPath, ["-e", probe], { cwd: PROGRAM_DIR, encoding: "utf8" });
  expect(JSON.parse(out)).toEqual([]);
});

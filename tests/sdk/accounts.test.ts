// Several accounts in one stack, through the real host: each resource and lookup reaches the account it
// names, the tokens come from the stack config (or the environment) and are never in the state; and
// Pulumi's customTimeouts reach the provider as the wait timeout.
import { Account, Backup, getBackups, restoreSnapshot, Snapshot } from "pulumi-vpsorg";
import { MiniEngine } from "../harness/engine";
import { registeredInputs, runProgram } from "../harness/program";
import { InitFailure, type ProviderHost, secret } from "../harness/provider-host";
import { TOKEN_A, TOKEN_B, useEmulator } from "../helpers/emulator";
import { programConfig, setProgramConfig, startHost } from "../helpers/stack";
import { rejection } from "../helpers/expect";

const ctx = useEmulator({ snapshotDurationMs: 150, backupDurationMs: 150 });
let host: ProviderHost;

beforeAll(async () => {
  host = await startHost(ctx.url, {
    // `pulumi config set --secret --path vpsorg:accounts.second.apiToken ...` arrives as one JSON value.
    config: { "vpsorg:accounts": secret(JSON.stringify({ second: { apiToken: TOKEN_B } })) },
  });
});
afterAll(async () => {
  await host?.stop();
});

async function secondServer(): Promise<number> {
  const state = await ctx.control.state();
  return state.servers.find((s) => s.account === 1)!.id;
}

test("one stack, two accounts: each Snapshot and Backup lands in its own account; no token in the state", async () => {
  const other = await secondServer();
  const engine = new MiniEngine(host);
  setProgramConfig(TOKEN_A, ctx.url);
  programConfig("accounts", JSON.stringify({ second: { apiToken: TOKEN_B } }));
  const run = await runProgram(
    () => {
      const second = new Account("second");
      new Snapshot("default-snap", { serverId: 12345 });
      new Snapshot("second-snap", { serverId: other, account: second });
      new Backup("second-backup", { serverId: other, account: "second" });
      return { secondBackups: getBackups({ serverId: other, backupType: "manual" }, { account: second }) };
    },
    engine,
    "up",
  );
  expect(run.errors).toEqual([]);
  const state = await ctx.control.state();
  const serverOf = (id: string) => state.snapshots.find((s) => String(s.id) === id)?.server.id;
  const byName = (name: string) => [...engine.resources.values()].find((r) => r.urn.endsWith(`::${name}`))!;
  expect(serverOf(byName("default-snap").id)).toBe(12345);
  expect(serverOf(byName("second-snap").id)).toBe(other);
  expect(byName("second-snap").outputs.account).toBe("second");
  const stored = JSON.stringify([...engine.resources.values()]);
  expect(stored).not.toContain(TOKEN_A);
  expect(stored).not.toContain(TOKEN_B);
  expect(host.stderr.join("")).not.toContain(TOKEN_B);
  // The lookup ran in the program before the backup existed; asked now, it sees it in the second account.
  const after = await getBackups({ serverId: other, backupType: "manual" }, { account: "second" });
  expect(after.ids.map(String)).toEqual([byName("second-backup").id]);
  await engine.deleteAllBut();
  expect((await ctx.control.state()).snapshots.filter((s) => s.server.id === other)).toEqual([]);
});

test("an account without a token is one error naming the config key and the environment variable", async () => {
  const [reg] = await registeredInputs(() => new Snapshot("s", { serverId: 12345, account: "third" }));
  const error = await rejection(new MiniEngine(host).up(reg));
  expect(error.message).toBe(
    'No VPS.org API token for account "third": run `pulumi config set --secret --path ' +
      "vpsorg:accounts.third.apiToken <token>` or set the VPS_API_TOKEN_THIRD environment variable.",
  );
  const lookup = await rejection(getBackups({}, { account: "third" }));
  expect(lookup.message).toMatch(/No VPS.org API token for account "third".*VPS_API_TOKEN_THIRD/);
});

test("a named account's token may come from the environment (VPS_API_TOKEN_<NAME>)", async () => {
  process.env.VPS_API_TOKEN_CI_BOT = TOKEN_B;
  try {
    const result = await getBackups({ serverId: await secondServer() }, { account: "ci-bot", apiUrl: ctx.url });
    expect(result.backups.map((b) => b.backupType)).toEqual(["automatic"]);
  } finally {
    delete process.env.VPS_API_TOKEN_CI_BOT;
  }
});

test("an invalid account name fails check before any request", async () => {
  const [reg] = await registeredInputs(() => new Backup("b", { serverId: 12345, account: "prod eu" }));
  const error = await rejection(new MiniEngine(host).up(reg));
  expect(error.failures).toEqual([{ property: "account", reason: expect.stringMatching(/account must be 1 to 64/) }]);
  expect(() => new Account("prod eu")).toThrow(/Account name must be 1 to 64/);
});

describe("customTimeouts", () => {
  test("customTimeouts.create becomes the wait timeout; an explicit waitTimeout wins", async () => {
    const regs = await registeredInputs(() => {
      new Snapshot("a", { serverId: 12345 }, { customTimeouts: { create: "45m" } });
      new Backup("b", { serverId: 12345, waitTimeout: "10m" }, { customTimeouts: { create: "45m" } });
      restoreSnapshot("r", { snapshotId: 801, acknowledgeDataLoss: true }, { customTimeouts: { create: "20m" } });
    });
    expect(regs.map((r) => [r.inputs.waitTimeout ?? null, r.inputs.__createTimeout ?? null])).toEqual([
      [null, "45m"],
      ["10m", "45m"],
      [null, "20m"],
    ]);
    const backupHost = await host.check("urn", {}, regs[1].inputs);
    expect(backupHost.failures).toEqual([]);
  });

  test("a customTimeouts.create the provider cannot read fails check naming customTimeouts.create", async () => {
    const [reg] = await registeredInputs(
      () => new Backup("b", { serverId: 12345 }, { customTimeouts: { create: "soon" } }),
    );
    const { failures } = await host.check("urn", {}, reg.inputs);
    expect(failures).toEqual([
      { property: "customTimeouts.create", reason: expect.stringMatching(/customTimeouts.create must be a duration/) },
    ]);
  });

  test("the provider waits as long as customTimeouts.create says, then records the object", async () => {
    await ctx.control.settings({ manual: true });
    const [reg] = await registeredInputs(
      () => new Snapshot("t", { serverId: 12345 }, { customTimeouts: { create: "1s" } }),
    );
    const engine = new MiniEngine(host);
    const error = await rejection(engine.up(reg));
    expect(error).toBeInstanceOf(InitFailure);
    expect(error.message).toMatch(/still "in_progress" after 1s/);
    await ctx.control.completeJob("snapshots", error.id);
    expect((await engine.up(reg)).outputs.status).toBe("completed");
    await engine.deleteAllBut();
  });
});

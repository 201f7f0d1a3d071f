// Exactly once, through the real provider host: a host killed mid-wait, answers lost while the API
// is down, identical resources, a forced replacement with unchanged inputs, failed restores. After
// each, the objects in the emulator and the ids in the state are the same set.
import { RunError } from "@pulumi/pulumi";
import { Backup, getBackups, restoreSnapshot, Snapshot } from "pulumi-vpsorg";
import { CheckFailed, MiniEngine, type Registration } from "../harness/engine";
import { registeredInputs } from "../harness/program";
import { InitFailure, ProviderHost, secret } from "../harness/provider-host";
import { lostAnswerThenListDown, TOKEN_A, until, useEmulator } from "../helpers/emulator";
import { PROGRAM_DIR, startHost } from "../helpers/stack";
import { rejection } from "../helpers/expect";

const ctx = useEmulator({ snapshotDurationMs: 200, backupDurationMs: 200, restoreDurationMs: 300 });
const { VPS_API_TOKEN: _t, VPS_API_URL: _u, ...cleanEnv } = process.env;
const hosts: ProviderHost[] = [];

async function newHost(env: NodeJS.ProcessEnv = {}): Promise<ProviderHost> {
  const host = await startHost(ctx.url, { env });
  hosts.push(host);
  return host;
}
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.stop();
});

const posts = (route: "/api/v1/snapshots/" | "/api/v1/backups/") => ctx.control.count(`POST ${route}`);
const objectsOf = async (kind: "snapshots" | "backups") =>
  (await ctx.control.state())[kind]
    .filter((o) => o.server.id === 12345 && !("backup_type" in o && o.backup_type === "automatic"))
    .filter((o) => ![801, 798, 499].includes(o.id)) // the vendor's seeded objects
    .map((o) => String(o.id))
    .sort();
const idsIn = (engine: MiniEngine) => [...engine.resources.values()].map((r) => r.id).sort();

describe("a provider host killed while create waits", () => {
  test.each([
    ["Snapshot", "snapshots", () => new Snapshot("pre-upgrade", { serverId: 12345 })],
    ["Backup", "backups", () => new Backup("pre-deploy", { serverId: 12345, description: "before deploy" })],
  ] as const)("%s: the next up adopts the object the killed run started; no second POST", async (_, kind, make) => {
    await ctx.control.settings({ manual: true });
    const route = `/api/v1/${kind}/` as const;
    const [reg] = await registeredInputs(make);
    const first = new MiniEngine(await newHost());
    const dying = rejection(first.up(reg));
    await until("the POST", async () => (await posts(route)) === 1);
    await hosts[0].stop(); // the CI runner dies: the engine never hears of the id
    expect(await dying).toBeInstanceOf(Error);
    expect(first.resources.size).toBe(0);
    const [started] = await objectsOf(kind);
    await ctx.control.completeJob(kind, started);

    const [again] = await registeredInputs(make); // a new program run: check runs again, with no olds
    const second = new MiniEngine(await newHost());
    const state = await second.up(again);
    expect(state.id).toBe(started);
    expect(state.outputs.status).toBe("completed");
    expect(await posts(route)).toBe(1);
    expect(await objectsOf(kind)).toEqual(idsIn(second));
    await second.deleteAllBut();
    expect(await objectsOf(kind)).toEqual([]);
  });
});

describe("answers lost after the POST committed", () => {
  /** The POST commits and its answer is lost; from the moment it arrives, lists answer 503 `times` times. */
  test("the list that reconciles answers 503 for a while: reconciled with retries, one backup", async () => {
    const engine = new MiniEngine(await newHost());
    const [reg] = await registeredInputs(() => new Backup("lost", { serverId: 12345 }));
    await lostAnswerThenListDown(ctx.control, "backups", 7); // more than one list's own retries
    const state = await engine.up(reg);
    expect(state.outputs.status).toBe("completed");
    expect(await posts("/api/v1/backups/")).toBe(1);
    expect(await objectsOf("backups")).toEqual(idsIn(engine));
  });

  test("VPS.org cannot be asked in time: the error says one may exist, and the next up adopts it", async () => {
    const engine = new MiniEngine(await newHost({ VPSORG_RECONCILE_MS: "0" }));
    const make = () => new Snapshot("unsure", { serverId: 12345 });
    await lostAnswerThenListDown(ctx.control, "snapshots", 50);
    const error = await rejection(engine.up((await registeredInputs(make))[0]));
    expect(error.message).toMatch(/may exist: the next `pulumi up` finds it by its marker \[pulumi:[a-z0-9]{10}\]/);
    expect(engine.resources.size).toBe(0);
    expect(await objectsOf("snapshots")).toHaveLength(1);
    await ctx.control.clearFaults();
    const state = await engine.up((await registeredInputs(make))[0]);
    expect(await posts("/api/v1/snapshots/")).toBe(1);
    expect(await objectsOf("snapshots")).toEqual([state.id]);
  });
});

test("two identical Backups created at once, both losing their answers, each end with their own", async () => {
  await ctx.control.faults([{ method: "POST", path: "/backups/$", effect: "commit-then-drop", times: 2 }]);
  const engine = new MiniEngine(await newHost());
  const regs = await registeredInputs(() => {
    new Backup("twin-a", { serverId: 12345 });
    new Backup("twin-b", { serverId: 12345 });
  });
  const states = await Promise.all(regs.map((reg) => engine.up(reg)));
  expect(new Set(states.map((s) => s.id)).size).toBe(2);
  expect(await posts("/api/v1/backups/")).toBe(2);
  expect(await objectsOf("backups")).toEqual(idsIn(engine));
  const described = (await ctx.control.state()).backups.filter((b) => states.some((s) => s.id === String(b.id)));
  expect(described.map((b) => b.description)).toEqual([
    expect.stringMatching(/^\[pulumi:[a-z0-9]{10}\]$/),
    expect.stringMatching(/^\[pulumi:[a-z0-9]{10}\]$/),
  ]);
  expect(new Set(described.map((b) => b.description)).size).toBe(2);
  expect(states.map((s) => s.outputs.description)).toEqual([null, null]); // the marker is not an output
});

test("pulumi up --replace with unchanged inputs keeps the object: adopted by the replacement, not deleted", async () => {
  const [reg] = await registeredInputs(() => new Snapshot("forced", { serverId: 12345 }));
  const old = await new MiniEngine(await newHost()).up(reg);
  // A later `pulumi up --replace`, in a new host: check with no olds, create, delete the old; no diff
  // shows the host the old id. (In the host that created it, the id is claimed and a new one is made.)
  const engine = new MiniEngine(await newHost());
  const { inputs } = await engine.host.check("urn:forced", {}, reg.inputs);
  const created = await engine.host.create("urn:forced", inputs);
  await engine.host.delete(old.id, "urn:forced", old.outputs);
  expect(created.id).toBe(old.id);
  expect(await objectsOf("snapshots")).toEqual([created.id]);
  expect(engine.host.stderr.join("")).toMatch(/snapshot \d+ is kept: its replacement \(same inputs\) adopted it/);
  // The replacement's own delete (a later destroy) deletes it.
  await engine.host.delete(created.id, "urn:forced", created.outputs);
  expect(await objectsOf("snapshots")).toEqual([]);
});

test("a replacement with a changed input makes a new object and deletes the old", async () => {
  const engine = new MiniEngine(await newHost());
  const old = await engine.up((await registeredInputs(() => new Backup("b", { serverId: 12345 })))[0]);
  const [changed] = await registeredInputs(() => new Backup("b", { serverId: 12345, description: "new" }));
  const replaced = await engine.up(changed);
  expect(engine.log.at(-1)?.step).toBe("replace");
  expect(replaced.id).not.toBe(old.id);
  expect(await objectsOf("backups")).toEqual([replaced.id]);
});

test("a description with surrounding white space does not replace the object on the next up", async () => {
  const engine = new MiniEngine(await newHost());
  const [reg] = await registeredInputs(() => new Backup("w", { serverId: 12345, description: " before deploy\n" }));
  await engine.up(reg);
  await engine.up(reg);
  expect(engine.log.at(-1)?.step).toBe("same");
  expect(await posts("/api/v1/backups/")).toBe(1);
});

test("a job that fails while a resumed wait runs is recorded as failed and replaced by the next up", async () => {
  await ctx.control.settings({ manual: true });
  const engine = new MiniEngine(await newHost());
  const [reg] = await registeredInputs(() => new Snapshot("slow", { serverId: 12345, waitTimeout: "1s" }));
  const timedOut = await rejection(engine.up(reg));
  expect(timedOut).toBeInstanceOf(InitFailure);
  const resuming = rejection(engine.up(reg));
  await new Promise((r) => setTimeout(r, 300));
  await ctx.control.failJob("snapshots", timedOut.id);
  const failed = await resuming;
  expect(failed).toBeInstanceOf(InitFailure);
  expect(failed.message).toMatch(
    /ended with status "failed". The failed snapshot was deleted; the next `pulumi up` makes a new one/,
  );
  await ctx.control.settings({ manual: false });
  const fresh = await engine.up(reg);
  expect(engine.log.at(-1)?.step).toBe("replace");
  expect(fresh.outputs.status).toBe("completed");
  expect(await objectsOf("snapshots")).toEqual(idsIn(engine));
});

test("an auto-name is the same in every check and every process, and differs between resources", async () => {
  const host = await newHost();
  const [a1, b] = await registeredInputs(() => {
    new Snapshot("web", { serverId: 12345 });
    new Snapshot("web-2", { serverId: 12345 });
  });
  const [a2] = await registeredInputs(() => new Snapshot("web", { serverId: 12345 }));
  const names = await Promise.all(
    [a1, a2, b].map(async (r: Registration) => (await host.check("urn", {}, r.inputs)).inputs.name),
  );
  expect(names[0]).toMatch(/^web-[a-z0-9]{7}$/);
  expect(names[1]).toBe(names[0]);
  expect(names[2]).not.toBe(names[0]);
  const otherHost = await newHost();
  expect((await otherHost.check("urn", {}, a1.inputs)).inputs.name).toBe(names[0]);
});

describe("a restore that fails", () => {
  test("is recorded as failed; later ups fail again without a request; a new trigger restores again", async () => {
    await ctx.control.settings({ manual: true });
    const engine = new MiniEngine(await newHost());
    const make = (triggers: string[]) => () =>
      restoreSnapshot("rollback", { snapshotId: 801, acknowledgeDataLoss: true, triggers });
    const [reg] = await registeredInputs(make(["one"]));
    const running = rejection(engine.up(reg));
    await until("a restore", async () => (await ctx.control.state()).servers.some((s) => s.status === "restoring"));
    await ctx.control.finishRestore(12345, "fail");
    const failure = await running;
    expect(failure).toBeInstanceOf(InitFailure);
    expect(failure.message).toMatch(
      /The restore of server 12345 \(web-server-01\) failed: the server ended it with status "error".*change `triggers`/,
    );
    expect(engine.resources.get([...engine.resources.keys()][0])?.outputs).toMatchObject({ outcome: "failed" });

    await ctx.control.setServerStatus(12345, "active"); // fixed by hand: still no success is reported
    await ctx.control.clearRequests();
    const again = await rejection(engine.up(reg));
    expect(again.message).toMatch(/failed: the server ended it with status "error"/);
    expect((await ctx.control.requests()).total).toBe(0);

    await ctx.control.settings({ manual: false });
    const retried = await engine.up((await registeredInputs(make(["two"])))[0]);
    expect(retried.outputs).toMatchObject({ outcome: "succeeded", serverStatus: "active" });
  });
});

test("a restore whose answer is lost while the server cannot be read for a while is not started twice", async () => {
  await ctx.control.settings({ restoreDurationMs: 20_000 }); // a restore takes minutes: still running when asked
  const engine = new MiniEngine(await newHost());
  const [reg] = await registeredInputs(() =>
    restoreSnapshot("lost-restore", { snapshotId: 801, acknowledgeDataLoss: true }),
  );
  await ctx.control.faults([
    { method: "POST", path: "/snapshots/801/restore/$", effect: "commit-then-drop", latencyMs: 300, times: 1 },
  ]);
  void until(
    "the restore POST",
    async () => (await ctx.control.count("POST /api/v1/snapshots/:snapshotId/restore/")) === 1,
  )
    .then(() => ctx.control.faults([{ method: "GET", path: "/servers/12345/$", status: 503, times: 7 }]))
    .catch(() => undefined); // no POST: the test fails on its own assertions
  const running = engine.up(reg);
  // Once the wait polls the servers list, the lost answer was settled: the restore had started.
  await until(
    "a look at the servers",
    async () => (await ctx.control.requests()).byRoute["GET /api/v1/servers/"] !== undefined,
    30_000,
  );
  await ctx.control.finishRestore(12345);
  const state = await running;
  expect(state.outputs).toMatchObject({ outcome: "succeeded", serverStatus: "active" });
  expect((await ctx.control.requests()).byRoute["POST /api/v1/snapshots/:snapshotId/restore/"]).toBe(1);
});

describe("bad input is refused before any request", () => {
  test("a wait timeout beyond 24h fails check with the property and the bound", async () => {
    const engine = new MiniEngine(await newHost());
    const [reg] = await registeredInputs(() => new Snapshot("slow", { serverId: 12345, waitTimeout: "1000h" }));
    const error = (await rejection(engine.up(reg))) as CheckFailed;
    expect(error.failures).toEqual([
      { property: "waitTimeout", reason: expect.stringMatching(/waitTimeout must be at most "24h".*"1000h"/) },
    ]);
    expect((await ctx.control.requests()).total).toBe(0);
  });

  test("a lookup with an unknown key names it and the known ones", async () => {
    const error = await rejection(getBackups({ serverID: 1 } as never, { apiToken: TOKEN_A, apiUrl: ctx.url }));
    expect(error.message).toBe("getBackups: serverID is not an argument of getBackups (known: serverId, backupType).");
    expect(RunError.isInstance(error)).toBe(true); // Pulumi prints a RunError's message alone, without a stack
    expect((await ctx.control.requests()).total).toBe(0);
  });
});

describe("errors a person can act on, without a stack", () => {
  test("a rejected token names where it came from, never its value", async () => {
    const host = await ProviderHost.start({ cwd: PROGRAM_DIR, env: { ...cleanEnv, VPS_API_TOKEN: "vps_wrong_9x" } });
    hosts.push(host);
    await host.configure({ "vpsorg:apiUrl": ctx.url });
    const [reg] = await registeredInputs(() => new Snapshot("s", { serverId: 12345 }));
    const error = await rejection(new MiniEngine(host).up(reg));
    expect(error.message).toMatch(
      /VPS.org rejected the API token of the default account \(from the VPS_API_TOKEN environment variable\) at http:\/\/127\.0\.0\.1:\d+\/api\/v1 \(401: Invalid token\)\. Set a valid token: run `pulumi config set --secret vpsorg:apiToken <token>`/,
    );
    expect(error.message).not.toContain("vps_wrong_9x");
    const read = await rejection(host.read("1", "urn", { ...reg.inputs, serverId: 12345 }));
    expect(read.message).toMatch(/rejected the API token/);
    expect(host.stderr.join("")).not.toMatch(/\n\s+at /); // the host printed no stack of ours
    expect(host.stderr.join("")).not.toContain("vps_wrong_9x");
  });

  test("an unreachable API names the URL and the remedy", async () => {
    const host = await newHost();
    await host.configure({ "vpsorg:apiToken": secret(TOKEN_A), "vpsorg:apiUrl": "http://127.0.0.1:9/api/v1" });
    const [reg] = await registeredInputs(() => new Backup("b", { serverId: 12345 }));
    const error = await rejection(host.read("1", "urn", reg.inputs));
    expect(error.message).toMatch(
      /Could not reach VPS.org at http:\/\/127.0.0.1:9\/api\/v1 \(ECONNREFUSED\). Check vpsorg:apiUrl or VPS_API_URL.*npx vpsorg-emulator/,
    );
  });

  test("a server the account does not have is named", async () => {
    const engine = new MiniEngine(await newHost());
    const [reg] = await registeredInputs(() => new Backup("b", { serverId: 777 }));
    const error = await rejection(engine.up(reg));
    expect(error.message).toMatch(
      /^Server 777 is not visible to the API token of the default account \(from stack config vpsorg:apiToken\) at http:\/\/127\.0\.0\.1:\d+\/api\/v1: check serverId/,
    );
  });
});

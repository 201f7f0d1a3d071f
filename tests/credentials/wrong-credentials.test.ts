// The most common operator mistake, the wrong credential, never drops a resource from the state
// and never calls a delete done. A stack made with the right tokens (the default account and
// "prod") is then driven by provider hosts configured wrongly, as `pulumi refresh`, `up` and
// `destroy` would drive them: prod's token swapped for the default account's, the token of an
// account with no servers, a revoked token, the API URL of another environment (a second emulator
// process holding a server 12345 of its own), and a proxy answering 404 in HTML. Every call fails
// with one clear error, nothing leaves the state, every object is still on the emulator, and no
// token appears anywhere. The legitimate cases still work: an object deleted in the panel is
// dropped by refresh, and a server deleted for real follows the documented way out.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import {
  Backup,
  BackupHistory,
  getBackups,
  getSnapshots,
  restoreBackup,
  Snapshot,
  SnapshotHistory,
} from "pulumi-vpsorg";
import { MiniEngine, type ResourceState } from "../harness/engine";
import { registeredInputs } from "../harness/program";
import { type Props, type ProviderHost, secret } from "../harness/provider-host";
import { rejection } from "../helpers/expect";
import { TOKEN_A, TOKEN_B, useEmulator } from "../helpers/emulator";
import { setProgramConfig, startHost } from "../helpers/stack";
import { SERVER } from "../helpers/seed";

/** A third account, whose only server the tests delete: a valid token that sees nothing. */
const TOKEN_EMPTY = "vps_test_E2m8rW4tYx7Nq1Kd";
const REVOKED = "vps_test_R9v3nC6bLz0Hs5Pf";
const TOKENS = [TOKEN_A, TOKEN_B, TOKEN_EMPTY, REVOKED];

const ctx = useEmulator({ tokens: [TOKEN_A, TOKEN_B, TOKEN_EMPTY], snapshotDurationMs: 150, backupDurationMs: 150 });
/** The account with no servers: its seeded server is deleted for real before each test. */
beforeEach(async () => {
  const empty = (await ctx.control.state()).servers.find((s) => s.account === 2)!;
  await ctx.control.deleteServer(empty.id);
});

/** "Another environment": a second emulator process, where TOKEN_A is valid and a server 12345 exists too. */
let other: { url: string; process: ChildProcess };
beforeAll(async () => {
  other = await startEmulatorProcess(["--token", TOKEN_A]);
});
afterAll(() => other?.process.kill());

const PROD = { "vpsorg:accounts": secret(JSON.stringify({ prod: { apiToken: TOKEN_B } })) };
const prodWith = (token: string) => ({ "vpsorg:accounts": secret(JSON.stringify({ prod: { apiToken: token } })) });
const prodServer = async () => (await ctx.control.state()).servers.find((s) => s.account === 1)!.id;

interface Stack {
  engine: MiniEngine;
  host: ProviderHost;
  byName(name: string): ResourceState;
  /** The snapshots and backups on the emulator before the stack made any. */
  before: Set<string>;
}

/**
 * The stack as the right tokens make it: a Snapshot and a Backup of the default account, and in
 * "prod" a Snapshot, a Backup, both histories and a restore whose wait timed out (recorded, as a
 * CI runner's `up` would leave it).
 */
async function madeRight(): Promise<Stack> {
  const before = await objectsOnEmulator();
  const host = await startHost(ctx.url, { config: PROD });
  const engine = new MiniEngine(host);
  const prod = await prodServer();
  const regs = await registeredInputs(() => {
    new Snapshot("web", { serverId: SERVER, description: "default account" });
    new Backup("web-backup", { serverId: SERVER });
    new Snapshot("db", { serverId: prod, account: "prod" });
    new Backup("db-backup", { serverId: prod, account: "prod" });
    new SnapshotHistory("db-releases", { serverId: prod, trigger: "v1", account: "prod" });
    new BackupHistory("db-nightly", { serverId: prod, trigger: "n1", account: "prod" });
  });
  for (const reg of regs) await engine.up(reg);
  // A restore whose wait timed out: recorded with outcome "restoring", resumed by the next `up`.
  await ctx.control.settings({ manual: true });
  const [restore] = await registeredInputs(() =>
    restoreBackup("db-restore", {
      serverId: prod,
      backupId: 100_001,
      acknowledgeDataLoss: true,
      account: "prod",
      waitTimeout: "1s",
    }),
  );
  await rejection(engine.up(restore), "the restore's first up");
  await ctx.control.settings({ manual: false });
  const byName = (name: string) => [...engine.resources.values()].find((r) => r.urn.endsWith(`::${name}`))!;
  expect(byName("db-restore").outputs).toMatchObject({ outcome: "restoring", finishedAt: null });
  return { engine, host, byName, before };
}

/** Every snapshot and backup id the emulator holds, as text. */
async function objectsOnEmulator(): Promise<Set<string>> {
  const state = await ctx.control.state();
  return new Set([...state.snapshots, ...state.backups].map((o) => String(o.id)));
}

/** The ids of the objects a resource's state holds (a history's items). */
function objectIds(resource: ResourceState): string[] {
  const items = (resource.outputs.items as Array<{ id: unknown }> | undefined) ?? [];
  if (resource.type.endsWith("History")) return items.map((i) => String(i.id));
  if (resource.type.endsWith("Restore")) return [];
  return [resource.id];
}

/**
 * Drives `resources` through a host configured as `config` (beside the default token and `url`):
 * each refresh read, update and delete must fail with a message matching `expected`; the state
 * keeps every resource; every object stays on the emulator; no token anywhere.
 */
async function nothingLost(
  stack: Stack,
  names: string[],
  options: { url?: string; config?: Props; defaultToken?: string },
  expected: RegExp,
) {
  const host = await startHost(options.url ?? ctx.url, {
    config: {
      ...(options.config ?? {}),
      ...(options.defaultToken ? { "vpsorg:apiToken": secret(options.defaultToken) } : {}),
    },
  });
  const before = await objectsOnEmulator();
  const seen: string[] = [];
  try {
    const engine = new MiniEngine(host);
    const resources = names.map(stack.byName);
    for (const r of resources) engine.resources.set(r.urn, structuredClone(r));
    // refresh: every read at once, as the engine sends them; none may answer "gone".
    const refresh = await rejection(engine.refresh(), "a refresh with the wrong credential");
    seen.push(refresh.message);
    expect(refresh.message).toMatch(expected);
    expect([...engine.resources.keys()].sort()).toEqual(resources.map((r) => r.urn).sort());
    for (const r of resources) {
      const read = await host.read(r.id, r.urn, r.outputs).then(
        (answer) => answer,
        (error: Error) => error,
      );
      if (r.type.endsWith("Restore")) {
        expect(read).toMatchObject({ id: r.id }); // a restore's read sends no request: nothing to drop
      } else {
        expect([r.urn, read instanceof Error ? read.message : `answered id "${(read as { id: string }).id}"`]).toEqual([
          r.urn,
          expect.stringMatching(expected),
        ]);
        seen.push((read as Error).message);
      }
      if (r.type.endsWith("Restore")) {
        // `up` resumes the timed-out restore: it must not call it ended ("unobserved") on a stranger's server.
        const update = await rejection(host.update(r.id, r.urn, r.outputs, { ...r.inputs }), `the update of ${r.urn}`);
        expect(update.message).toMatch(expected);
        seen.push(update.message);
        continue;
      }
      // destroy: a DELETE that cannot be proven done fails; the object stays.
      const deleted = await rejection(host.delete(r.id, r.urn, r.outputs), `the delete of ${r.urn}`);
      expect(deleted.message).toMatch(expected);
      seen.push(deleted.message);
    }
    // up of a changed waitTimeout: the update lists the server first, and cannot tell either.
    const db = stack.byName("db");
    if (names.includes("db")) {
      const news = { ...db.inputs, waitTimeout: "45m" };
      const update = await rejection(host.update(db.id, db.urn, db.outputs, news), "the update of db");
      expect(update.message).toMatch(expected);
    }
  } finally {
    await host.stop();
  }
  const after = await objectsOnEmulator();
  for (const name of names)
    for (const id of objectIds(stack.byName(name))) expect([name, id, after.has(id)]).toEqual([name, id, true]);
  expect([...before].filter((id) => !after.has(id))).toEqual([]);
  const output = [...seen, host.stderr.join(""), host.stdout.join("")].join("\n");
  for (const token of TOKENS) expect(output).not.toContain(token);
  return seen;
}

const PROD_RESOURCES = ["db", "db-backup", "db-releases", "db-nightly", "db-restore"];
/** The error of a server this token does not see: the server, the account, where the token came from. */
const notVisible = (serverId: number) =>
  new RegExp(
    `server ${serverId} is not visible to the API token of account "prod" \\(from stack config ` +
      `vpsorg:accounts\\.prod\\.apiToken\\) at http://127\\.0\\.0\\.1:\\d+/api/v1.*Nothing was dropped`,
  );

describe("a wrong credential leaves everything in place, with one clear error", () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await madeRight();
  });
  afterEach(async () => {
    try {
      await stack.engine.deleteAllBut(); // with the right tokens: everything the stack made goes
    } finally {
      await stack.host.stop();
    }
    expect([...(await objectsOnEmulator())].filter((id) => !stack.before.has(id))).toEqual([]);
  });

  test("prod's token swapped for the default account's (a swapped CI secret)", async () => {
    const messages = await nothingLost(
      stack,
      PROD_RESOURCES,
      { config: prodWith(TOKEN_A) },
      notVisible(await prodServer()),
    );
    expect(messages[0]).toMatch(/vpsorg:deletedServers/); // the way out when the server really was deleted
  });

  test("the token of an account that has no servers", async () => {
    await nothingLost(stack, PROD_RESOURCES, { config: prodWith(TOKEN_EMPTY) }, notVisible(await prodServer()));
  });

  test("a revoked token: VPS.org rejects it, and the error says where it came from", async () => {
    await nothingLost(
      stack,
      PROD_RESOURCES,
      { config: prodWith(REVOKED) },
      /VPS.org rejected the API token of account "prod" \(from stack config vpsorg:accounts\.prod\.apiToken\) at http:\/\/127\.0\.0\.1:\d+\/api\/v1 \(401: Invalid token\)/,
    );
  });

  test("the API URL of another environment, where a server of the same id is another server", async () => {
    await nothingLost(
      stack,
      ["web", "web-backup"],
      { url: other.url },
      new RegExp(
        `server ${SERVER} at ${other.url.replace(/[./]/g, "\\$&")} was created at \\S+, but the one (snapshot|backup) \\d+ ` +
          `was made on was created at \\S+: the API URL \\(vpsorg:apiUrl or VPS_API_URL\\) points at another environment`,
      ),
    );
  });

  test("a proxy answering 404 in HTML in front of the API", async () => {
    const html = "<html><body><h1>404 Not Found</h1>nginx</body></html>";
    await ctx.control.faults([
      {
        method: "GET",
        path: "/(snapshots|backups|servers)/",
        status: 404,
        body: html,
        headers: { "Content-Type": "text/html" },
      },
      { method: "DELETE", status: 404, body: html, headers: { "Content-Type": "text/html" } },
    ]);
    try {
      await nothingLost(
        stack,
        ["web", "web-backup", ...PROD_RESOURCES],
        { config: PROD },
        /answered 404 with a body that is not the API's \(text\/html\): not an answer of the VPS\.org API, so it proves nothing/,
      );
    } finally {
      await ctx.control.clearFaults();
    }
  });

  test("lookups of a server the token cannot see are an error naming the server and the account", async () => {
    const prod = await prodServer();
    setProgramConfig(TOKEN_A, ctx.url);
    for (const token of [TOKEN_A, TOKEN_EMPTY]) {
      const error = await rejection(getSnapshots({ serverId: prod }, { apiToken: token, apiUrl: ctx.url }));
      expect(error.message).toMatch(
        new RegExp(
          `^Server ${prod} is not visible to the API token of the default account \\(from the apiToken option\\)`,
        ),
      );
      expect(error.message).not.toContain(token);
      const backups = await rejection(
        getBackups({ serverId: prod, backupType: "manual" }, { apiToken: token, apiUrl: ctx.url }),
      );
      expect(backups.message).toMatch(new RegExp(`^Server ${prod} is not visible`));
    }
    // Without serverId a lookup stays account-wide: an account with nothing answers nothing.
    expect((await getSnapshots({}, { apiToken: TOKEN_EMPTY, apiUrl: ctx.url })).ids).toEqual([]);
    // A visible server with nothing of the kind is an answer, not an error.
    expect(
      (await getBackups({ serverId: prod, backupType: "manual" }, { apiToken: TOKEN_B, apiUrl: ctx.url })).ids,
    ).toEqual(expect.any(Array));
  });
});

describe("the legitimate cases still work", () => {
  test("an object deleted in the panel is dropped by refresh; a history drops its vanished item", async () => {
    const stack = await madeRight();
    try {
      const db = stack.byName("db");
      const releases = stack.byName("db-releases");
      const item = (releases.outputs.items as Array<{ id: number }>)[0];
      await fetch(`${ctx.url}/snapshots/${db.id}/`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${TOKEN_B}` },
      });
      await fetch(`${ctx.url}/snapshots/${item.id}/`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${TOKEN_B}` },
      });
      await stack.engine.refresh();
      expect(stack.engine.resources.has(db.urn)).toBe(false);
      expect(stack.byName("db-releases").outputs.items).toEqual([]);
    } finally {
      await stack.engine.deleteAllBut();
      await stack.host.stop();
    }
  });

  test("a server deleted for real: refresh fails naming the way out; vpsorg:deletedServers drops its objects", async () => {
    const stack = await madeRight();
    const prod = await prodServer();
    await ctx.control.deleteServer(prod); // with every snapshot and backup it held
    try {
      const refresh = await rejection(stack.engine.refresh(), "a refresh after the server was deleted");
      expect(refresh.message).toMatch(notVisible(prod));
      expect(refresh.message).toMatch(/pulumi config set --path 'vpsorg:deletedServers\[0\]' \d+/);
      expect(refresh.message).toMatch(/pulumi state delete <urn>/);
    } finally {
      await stack.host.stop();
    }
    // The user's way out: declare the server deleted.
    const host = await startHost(ctx.url, { config: { ...PROD, "vpsorg:deletedServers": JSON.stringify([prod]) } });
    try {
      const engine = new MiniEngine(host);
      for (const r of stack.engine.resources.values()) engine.resources.set(r.urn, r);
      await engine.refresh();
      const left = [...engine.resources.values()].map((r) => r.urn.split("::").pop());
      // The default account's objects stay; prod's snapshot and backup are dropped, the histories empty;
      // the restore (an event, not an object) stays in the state.
      expect(left.sort()).toEqual(["db-nightly", "db-releases", "db-restore", "web", "web-backup"]);
      for (const name of ["db-nightly", "db-releases"]) {
        expect([...engine.resources.values()].find((r) => r.urn.endsWith(name))?.outputs.items).toEqual([]);
      }
      await engine.deleteAllBut(); // destroy: nothing left to delete on the deleted server
      expect(engine.resources.size).toBe(0);
    } finally {
      await host.stop();
    }
  });
});

/** Starts the emulator's CLI as a process of its own; resolves with its URL once it listens. */
function startEmulatorProcess(args: string[]): Promise<{ url: string; process: ChildProcess }> {
  const bin = join(__dirname, "..", "..", "emulator", "dist", "cli.js");
  const child = spawn(process.execPath, [bin, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ url, process: child });
    });
    child.on("exit", (code) => reject(new Error(`the second emulator exited with ${code}: ${out}`)));
  });
}

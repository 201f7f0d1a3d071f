// One fault scenario, run as a user would run it: `pulumi up` under the fault (it may fail, as a real
// up would), a second `up` once the fault is gone or has run out, `refresh`, `destroy`. Everything goes
// through the real dynamic-provider host and the emulator's fault injection. After every step:
// - the objects on the server (without the vendor's seeded ones and automatic backups) and the ids
//   the state holds are the same set: no orphan, no duplicate, nothing lost;
// - for restores, the restores the emulator started equal the restores the state records as started;
// - no error carries a stack or more than one line; after the last step, the token appears nowhere a
//   user sees or stores (state, outputs, errors, the host's stdout and stderr).
import { appendFileSync } from "node:fs";
import { Backup, BackupHistory, restoreBackup, restoreSnapshot, Snapshot, SnapshotHistory } from "pulumi-vpsorg";
import { MiniEngine, type ResourceState } from "../harness/engine";
import { registeredInputs } from "../harness/program";
import { InitFailure, type ProviderHost } from "../harness/provider-host";
import { TOKEN_A, until, useEmulator } from "../helpers/emulator";
import { startHost } from "../helpers/stack";

export type Kind = "snapshot" | "backup" | "snapshotRestore" | "backupRestore" | "snapshotHistory" | "backupHistory";
type Rule = Record<string, unknown>;
type Args = Record<string, unknown>;

const SERVER = 12345;
const SEEDED = new Set([801, 798, 499]); // the vendor's snapshots and manual backup (automatic ones are left out)

interface KindSpec {
  make(name: string, args: Args): unknown;
  /** Where its objects live; none for a restore, which makes no object. */
  store?: "snapshots" | "backups";
  /** The POST that creates (or restores), as a path pattern for fault rules. */
  postPath: string;
  /** The POST's route, as the emulator counts requests. */
  route: string;
  /** The list that its waits poll. */
  listPath: string;
  /** The ids of the objects one resource's state holds. */
  held(state: ResourceState): string[];
}

const itemIds = (r: ResourceState) =>
  [
    ...((r.outputs.items as Array<{ id: unknown }>) ?? []),
    ...((r.outputs.pending as Array<{ id: unknown }>) ?? []),
  ].map((item) => String(item.id));

export const KINDS: Record<Kind, KindSpec> = {
  snapshot: {
    route: "POST /api/v1/snapshots/",
    make: (name, args) => new Snapshot(name, { serverId: SERVER, ...args }),
    store: "snapshots",
    postPath: "/snapshots/$",
    listPath: "/snapshots/$",
    held: (r) => [r.id],
  },
  backup: {
    route: "POST /api/v1/backups/",
    make: (name, args) => new Backup(name, { serverId: SERVER, description: "before deploy", ...args }),
    store: "backups",
    postPath: "/backups/$",
    listPath: "/backups/$",
    held: (r) => [r.id],
  },
  snapshotRestore: {
    route: "POST /api/v1/snapshots/:snapshotId/restore/",
    make: (name, args) => restoreSnapshot(name, { snapshotId: 801, acknowledgeDataLoss: true, ...args }),
    postPath: "/snapshots/801/restore/$",
    listPath: "/servers/$",
    held: () => [],
  },
  backupRestore: {
    route: "POST /api/v1/servers/:serverId/restore/",
    make: (name, args) => restoreBackup(name, { serverId: SERVER, backupId: 499, acknowledgeDataLoss: true, ...args }),
    postPath: `/servers/${SERVER}/restore/$`,
    listPath: "/servers/$",
    held: () => [],
  },
  snapshotHistory: {
    route: "POST /api/v1/snapshots/",
    make: (name, args) => new SnapshotHistory(name, { serverId: SERVER, trigger: "v1", keep: 2, ...args }),
    store: "snapshots",
    postPath: "/snapshots/$",
    listPath: "/snapshots/$",
    held: itemIds,
  },
  backupHistory: {
    route: "POST /api/v1/backups/",
    make: (name, args) => new BackupHistory(name, { serverId: SERVER, trigger: "v1", keep: 2, ...args }),
    store: "backups",
    postPath: "/backups/$",
    listPath: "/backups/$",
    held: itemIds,
  },
};

export interface Scenario {
  /** The fault, as its report line names it (docs/faults.md describes each). */
  fault: string;
  /** Fault rules in place from the first up until the second (each with `times`, so they run out). */
  rules?: (kind: KindSpec) => Rule[];
  /** Emulator settings for the first up (`manual: true`: jobs and restores end only when told). */
  settings?: Record<string, unknown>;
  /** Inputs added to the resource. */
  args?: Args;
  /** Two identical resources, created at once. */
  twins?: boolean;
  /** What happens while the first up waits, once its POST has reached VPS.org. */
  during?: "fail-job" | "fail-restore" | "kill-host";
  /** How the first up ends: "succeeds", or the error every failing resource reports. */
  first: "succeeds" | RegExp;
  /** How the second up ends (default "succeeds"). */
  second?: "succeeds" | RegExp;
}

// Matrix rows read as one line each.
export const onPost =
  (rule: Rule) =>
  (k: KindSpec): Rule[] => [{ method: "POST", path: k.postPath, times: 1, ...rule }];
export const onList =
  (rule: Rule) =>
  (k: KindSpec): Rule[] => [{ method: "GET", path: k.listPath, times: 2, ...rule }];
export const everywhere = (rule: Rule) => (): Rule[] => [rule];

/** The emulator of a test file, with short durations and a count of the restores it started. */
export function useFaultEmulator() {
  const ctx = useEmulator({ snapshotDurationMs: 200, backupDurationMs: 200, restoreDurationMs: 300 });
  const restores = { started: 0 };
  beforeAll(() => {
    // The emulator runs in this process: count the restores its state really starts (a POST refused
    // by a fault or by the API starts none). `reset` refills the state's own fields, so this stays.
    const state = ctx.emulator.state;
    const start = state.startRestore.bind(state);
    state.startRestore = (server) => {
      restores.started++;
      start(server);
    };
  });
  beforeEach(() => {
    restores.started = 0;
  });
  const hosts: ProviderHost[] = [];
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.stop();
  });
  return { ctx, restores, hosts };
}

type Fixture = ReturnType<typeof useFaultEmulator>;

export async function runScenario({ ctx, restores, hosts }: Fixture, kindName: Kind, s: Scenario): Promise<void> {
  const kind = KINDS[kindName];
  const isRestore = !kind.store;
  const newHost = async () => {
    // VPSORG_LOG=debug: every request and retry is logged, so a token in any log line would show.
    const host = await startHost(ctx.url, { env: { VPSORG_LOG: "debug" } });
    hosts.push(host);
    return host;
  };
  const seenHosts: ProviderHost[] = [];
  const errors: Error[] = [];
  const recordedRestores = new Set<string>();
  const dumps: string[] = []; // the state after every step, as a backend would store it
  const program = () => (s.twins ? ["twin-a", "twin-b"] : ["one"]).map((name) => kind.make(name, s.args ?? {}));

  const ours = async () => {
    const state = await ctx.control.state();
    const all = kind.store ? state[kind.store] : [...state.snapshots, ...state.backups];
    return all
      .filter(
        (o) => o.server.id === SERVER && !SEEDED.has(o.id) && !("backup_type" in o && o.backup_type === "automatic"),
      )
      .map((o) => ({ id: String(o.id), status: o.status }));
  };
  const serverStatus = async () => (await ctx.control.state()).servers.find((x) => x.id === SERVER)?.status;

  /** One `pulumi up` of the program: every resource at once, as the engine does for independent ones. */
  const up = async (engine: MiniEngine, during?: () => Promise<void>) => {
    const regs = await registeredInputs(program);
    const running = Promise.allSettled(regs.map((reg) => engine.up(reg)));
    await during?.();
    const results = await running;
    const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
    return { failed, ok: results.length - failed.length };
  };

  const expectOutcome = (step: string, outcome: { failed: Error[] }, expected: "succeeds" | RegExp) => {
    const messages = outcome.failed.map((e) => e.message);
    if (expected === "succeeds") expect({ step, errors: messages }).toEqual({ step, errors: [] });
    else {
      expect({ step, failed: messages.length > 0 }).toEqual({ step, failed: true });
      for (const message of messages) expect(message).toMatch(expected);
    }
    for (const error of outcome.failed) {
      errors.push(error);
      // One clean line a person can act on: no stack frame, no internals.
      expect(error.message).not.toMatch(/\n|\s+at \S+ \(|\(\/|node_modules|AxiosError|\[object /);
    }
  };

  /**
   * The state and VPS.org agree. `unknownToState`: a killed run may have started one object (or
   * one restore) that the engine never heard of; the next up must adopt it.
   */
  const expectConsistent = async (step: string, engine: MiniEngine, unknownToState = 0) => {
    const states = [...engine.resources.values()];
    dumps.push(JSON.stringify(states));
    const held = states.flatMap(kind.held).sort();
    const objects = await ours();
    const onServer = objects.map((o) => o.id).sort();
    expect({ step, duplicates: held.length - new Set(held).size }).toEqual({ step, duplicates: 0 });
    if (isRestore) {
      expect({ step, objects: onServer }).toEqual({ step, objects: [] }); // a restore makes no object
      for (const r of states) if (r.outputs.startedAt) recordedRestores.add(r.id);
      const unrecorded = restores.started - recordedRestores.size;
      // A killed run's restore may be unknown to the state until the next up adopts it; nothing else.
      expect({ step, unrecorded: Math.min(unrecorded, unknownToState) }).toEqual({ step, unrecorded });
      expect({ step, recordedButNotStarted: Math.max(0, -unrecorded) }).toEqual({ step, recordedButNotStarted: 0 });
      expect(restores.started).toBeLessThanOrEqual(s.twins ? 2 : 1); // none started twice
    } else if (unknownToState) {
      expect({ step, lost: held.filter((id) => !onServer.includes(id)) }).toEqual({ step, lost: [] });
      expect(onServer.length - held.length).toBeLessThanOrEqual(unknownToState);
    } else {
      expect({ step, objects: onServer }).toEqual({ step, objects: held });
    }
  };

  // 1. `pulumi up` under the fault.
  if (s.settings) await ctx.control.settings(s.settings);
  if (s.rules) await ctx.control.faults(s.rules(kind));
  let host = await newHost();
  seenHosts.push(host);
  let engine = new MiniEngine(host);
  const during = async () => {
    if (s.during === "fail-job") {
      await until("a job to fail", async () => (await ours()).some((o) => o.status === "in_progress"));
      for (const o of await ours()) if (o.status === "in_progress") await ctx.control.failJob(kind.store!, o.id);
    } else if (s.during === "fail-restore") {
      await until("a restore", async () => (await serverStatus()) === "restoring");
      await ctx.control.finishRestore(SERVER, "fail");
    } else if (s.during === "kill-host") {
      await until("the POST", async () =>
        isRestore ? (await serverStatus()) === "restoring" : (await ours()).length > 0,
      );
      await host.stop(); // the CI runner dies: the engine never hears of the id
    }
  };
  const first = await up(engine, during);
  if (s.during === "kill-host") expect(first.failed.length).toBeGreaterThan(0);
  else expectOutcome("first up", first, s.first);
  await expectConsistent("after the first up", engine, s.during === "kill-host" ? 1 : 0);

  // Every fault rule really fired, as often as it says: a row whose rule matched nothing proves nothing.
  const fired = (await (await fetch(`${ctx.emulator.controlUrl}/faults`)).json()) as { rules: Rule[] };
  for (const rule of fired.rules)
    expect({ rule, hits: rule.hits }).toEqual({ rule, hits: rule.times ?? expect.any(Number) });
  expect(fired.rules.every((rule) => Number(rule.hits) > 0)).toBe(true);

  // 2. The fault is gone (or ran out); jobs left running by hand are finished; the next `pulumi up`.
  await ctx.control.clearFaults();
  await ctx.control.settings({ manual: false });
  for (const o of await ours()) if (o.status === "in_progress") await ctx.control.completeJob(kind.store!, o.id);
  // A restore still running (its wait timed out, or a killed run started it) ends only once the next
  // up has looked at the server: the resumed wait sees it end; the killed run's restore is recognised.
  const restoring = (await serverStatus()) === "restoring";
  const serverGets = () => ctx.control.count("GET /api/v1/servers/:serverId/");
  const serverGetsBefore = await serverGets();
  if (s.during === "kill-host") {
    // The next `pulumi up` starts a new host (the same host serves the other scenarios' steps, to
    // keep the suite fast; the killed ones are where a new process matters).
    const next = new MiniEngine((host = await newHost()));
    seenHosts.push(host);
    for (const [urn, state] of engine.resources) next.resources.set(urn, state);
    engine = next;
  }
  const second = await up(engine, async () => {
    if (!restoring) return;
    await until("the next up's look at the server", async () => (await serverGets()) > serverGetsBefore);
    await ctx.control.finishRestore(SERVER);
  });
  expectOutcome("second up", second, s.second ?? "succeeds");
  if (process.env.FAULT_MATRIX_REPORT) {
    // What the user saw, to keep docs/faults.md true: FAULT_MATRIX_REPORT=file npx jest tests/faults
    const seen = (r: { failed: Error[] }) => r.failed.map((e) => e.message);
    const line = { kind: kindName, fault: s.fault, first: seen(first), second: seen(second) };
    appendFileSync(process.env.FAULT_MATRIX_REPORT, `${JSON.stringify(line)}\n`);
  }
  await expectConsistent("after the second up", engine);
  // No false success: what the state calls done is done on VPS.org.
  const objects = await ours();
  for (const r of engine.resources.values()) {
    if (isRestore) {
      // Neither a false success nor a false failure: recorded as it ended on VPS.org.
      const outcome = s.during === "fail-restore" ? "failed" : "succeeded";
      expect({ resource: r.urn, outcome: r.outputs.outcome }).toEqual({ resource: r.urn, outcome });
      expect(await serverStatus()).toBe(s.during === "fail-restore" ? "error" : "active");
    } else if (r.outputs.status !== undefined) {
      expect(r.outputs.status).toBe("completed");
      expect(objects.find((o) => o.id === r.id)?.status).toBe("completed");
    }
  }

  // 3. `pulumi refresh`, 4. `pulumi destroy`.
  await engine.refresh().catch((error) => {
    errors.push(error);
    throw error;
  });
  await expectConsistent("after refresh", engine);
  await engine.deleteAllBut();
  await expectConsistent("after destroy", engine);
  expect(await ours()).toEqual([]);

  // The token appears nowhere a user can see or store.
  const visible = [
    ...dumps,
    ...errors.map((e) =>
      JSON.stringify({ message: e.message, ...(e instanceof InitFailure ? { p: e.properties, r: e.reasons } : {}) }),
    ),
    ...seenHosts.flatMap((h) => [...h.stdout, ...h.stderr]),
  ].join("\n");
  expect(visible).not.toContain(TOKEN_A);
  // The host printed no stack of ours.
  expect(seenHosts.flatMap((h) => h.stderr).join("")).not.toMatch(/\n\s+at \S+ \(/);
}

/** A matrix file's tests: every row for every kind, named "<kind>: <fault>", each on the file's emulator. */
export function runMatrix(kinds: Kind[], rows: Scenario[]): void {
  const fixture = useFaultEmulator();
  const table = kinds.flatMap((kind) => rows.map((row) => [kind, row.fault, row] as const));
  test.each(table)("%s: %s", async (kind, _fault, row) => {
    await runScenario(fixture, kind, row);
  });
}

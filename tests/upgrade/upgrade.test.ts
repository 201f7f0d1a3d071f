// Upgrades keep users' state. A user's state was written by an earlier release: every resource's
// `__provider` is that release's shim, which loads whatever pulumi-vpsorg is installed when the
// engine calls it. For each supported release (packed in tests/fixtures, see its README): resources
// of every kind are created through that release's host and sdk; then the current version's host
// and sdk refresh them, preview and `up` the unchanged program, update the one in-place input, and
// destroy. Nothing may be replaced, posted or restored again, and nothing may be left behind.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as current from "pulumi-vpsorg";
import { MiniEngine } from "../harness/engine";
import { runProgram } from "../harness/program";
import { TOKEN_A, useEmulator } from "../helpers/emulator";
import { startHost } from "../helpers/stack";
import { installTarball } from "../packaging/tarball";

/** The oldest supported release first. Add each release that changes what goes into the state. */
const RELEASES = ["0.1.0", "0.2.0", "0.2.1", "0.3.0"];

const ctx = useEmulator({ snapshotDurationMs: 200, backupDurationMs: 200, restoreDurationMs: 300 });
type Sdk = typeof current;
interface Servers {
  /** Restored from a backup: a server of its own, so the restores do not wait on each other. */
  backupServer: number;
  backupId: number;
  /** Where the histories (0.2.0 and later) keep their items, clear of the other snapshots' limit. */
  historyServer?: number;
}

/** The user's program, unchanged across the upgrade; only the sdk it imports changes. */
const program = (sdk: Sdk, servers: Servers, waitTimeout?: string) => () => {
  const auto = new sdk.Snapshot("upgrade-auto", { serverId: 12345, description: "auto-named", waitTimeout });
  const named = new sdk.Snapshot("upgrade-named", {
    serverId: 12345,
    name: "upgrade-named-snapshot",
    description: "named",
    waitTimeout,
  });
  const backup = new sdk.Backup("upgrade-backup", { serverId: 12345, description: "before the upgrade", waitTimeout });
  const fromSnapshot = sdk.restoreSnapshot("upgrade-snapshot-restore", {
    snapshotId: named.id,
    acknowledgeDataLoss: true,
    waitTimeout,
  });
  const fromBackup = sdk.restoreBackup("upgrade-backup-restore", {
    serverId: servers.backupServer,
    backupId: servers.backupId,
    acknowledgeDataLoss: true,
    triggers: ["incident-1"],
    waitTimeout,
  });
  // Rolling histories came with 0.2.0: the program of a user of an earlier release has none.
  if (servers.historyServer !== undefined) {
    new sdk.SnapshotHistory("upgrade-snapshot-history", {
      serverId: servers.historyServer,
      trigger: "v1",
      waitTimeout,
    });
    new sdk.BackupHistory("upgrade-backup-history", { serverId: servers.historyServer, trigger: "v1", waitTimeout });
  }
  return {
    autoName: auto.name,
    namedName: named.name,
    backupId: backup.id,
    snapshotRestoredFrom: fromSnapshot.snapshotId,
    backupRestoredFrom: fromBackup.backupId,
  };
};

const RESOURCES = [
  "upgrade-auto",
  "upgrade-named",
  "upgrade-backup",
  "upgrade-snapshot-restore",
  "upgrade-backup-restore",
];
const HISTORIES = ["upgrade-snapshot-history", "upgrade-backup-history"];
const posts = (byRoute: Record<string, number>) =>
  Object.fromEntries(Object.entries(byRoute).filter(([route]) => route.startsWith("POST ")));

describe.each(RELEASES)("a state written by %s", (release) => {
  let dir: string;
  let old: Sdk;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `vpsorg-upgrade-${release}-`));
    const installed = installTarball(join(__dirname, "..", "fixtures", `pulumi-vpsorg-${release}.tgz`), dir);
    expect(installed).toEqual({ name: "pulumi-vpsorg", version: release });
    jest.isolateModules(() => {
      old = require(join(dir, "node_modules", "pulumi-vpsorg"));
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("is refreshed, left unchanged, updated in place and destroyed by the current version", async () => {
    const account = await ctx.control.addServer({ token: TOKEN_A, name: "upgrade-restore-target" });
    const { id: backupId } = await ctx.control.addBackup({ server_id: account.id, backup_type: "automatic" });
    const withHistories = release !== "0.1.0";
    const historyServer = withHistories
      ? (await ctx.control.addServer({ token: TOKEN_A, name: "upgrade-histories" })).id
      : undefined;
    const servers = { backupServer: account.id, backupId, historyServer };
    const NAMES = withHistories ? [...RESOURCES, ...HISTORIES] : RESOURCES;
    const stateFile = join(dir, "state.json");
    const seeded = await ctx.control.state();

    // 1. The release the user had: its host (its node_modules) and its sdk write the state.
    const oldHost = await startHost(ctx.url, { cwd: dir });
    let autoName: unknown;
    try {
      const created = await runProgram(program(old, servers), new MiniEngine(oldHost, stateFile), "up");
      expect(created.errors).toEqual([]);
      expect(Object.fromEntries(created.steps)).toEqual(Object.fromEntries(NAMES.map((n) => [n, "create"])));
      autoName = created.outputs.autoName;
    } finally {
      await oldHost.stop();
    }
    const written = await ctx.control.requests();
    expect(posts(written.byRoute)).toEqual({
      "POST /api/v1/snapshots/": withHistories ? 3 : 2,
      "POST /api/v1/backups/": withHistories ? 2 : 1,
      "POST /api/v1/snapshots/:snapshotId/restore/": 1,
      "POST /api/v1/servers/:serverId/restore/": 1,
    });
    const before = await ctx.control.state();
    await ctx.control.clearRequests();

    // 2. After `npm install` of the current version: same state file, the current host and sdk.
    const host = await startHost(ctx.url);
    try {
      const engine = new MiniEngine(host, stateFile);
      const ids = Object.fromEntries([...engine.resources.values()].map((r) => [r.urn, r.id]));
      expect(Object.keys(ids)).toHaveLength(NAMES.length);

      await engine.refresh();
      expect(engine.log.map((l) => l.step)).toEqual(NAMES.map(() => "refresh"));
      expect(Object.fromEntries([...engine.resources.values()].map((r) => [r.urn, r.id]))).toEqual(ids);
      // Written before 0.3.0, these states hold no stamp of their server: the refresh records it, so
      // that from now on "gone" needs the same server, not only a visible one (issue 16).
      for (const r of engine.resources.values()) {
        if (r.urn.includes("restore")) continue;
        expect([r.urn, typeof r.outputs.__serverCreatedAt]).toEqual([r.urn, "string"]);
      }

      const unchanged = program(current, servers);
      const preview = await runProgram(unchanged, engine, "preview");
      expect(preview.errors).toEqual([]);
      expect(Object.fromEntries(preview.steps)).toEqual(Object.fromEntries(NAMES.map((n) => [n, "same"])));

      // `pulumi up --expect-no-changes` (the GitOps workflow) must still pass after the upgrade.
      const up = await runProgram(unchanged, engine, "up");
      expect(up.errors).toEqual([]);
      expect(Object.fromEntries(up.steps)).toEqual(Object.fromEntries(NAMES.map((n) => [n, "same"])));
      expect(up.outputs).toMatchObject({ namedName: "upgrade-named-snapshot", backupRestoredFrom: backupId });
      expect(up.outputs.autoName).toBe(autoName); // the name the old release made is kept

      // The one input that changes in place: an update through the current provider, no request that writes.
      const longer = await runProgram(program(current, servers, "45m"), engine, "up");
      expect(longer.errors).toEqual([]);
      for (const name of ["upgrade-auto", "upgrade-named", "upgrade-backup", ...(withHistories ? HISTORIES : [])])
        expect(longer.steps.get(name)).toBe("update");
      for (const name of NAMES) expect([name, longer.steps.get(name)]).not.toEqual([name, "replace"]);
      expect(Object.fromEntries([...engine.resources.values()].map((r) => [r.urn, r.id]))).toEqual(ids);

      expect(posts((await ctx.control.requests()).byRoute)).toEqual({}); // no create, no restore again
      const after = await ctx.control.state();
      expect(after.snapshots).toEqual(before.snapshots);
      expect(after.backups).toEqual(before.backups);
      expect(after.servers.map((s) => [s.id, s.status])).toEqual(before.servers.map((s) => [s.id, s.status]));

      // 3. Destroy: every object the stack made is gone; nothing the stack did not make is touched.
      await engine.deleteAllBut();
      expect(engine.resources.size).toBe(0);
    } finally {
      await host.stop();
    }
    const end = await ctx.control.state();
    expect(end.snapshots.map((s) => s.id)).toEqual(seeded.snapshots.map((s) => s.id));
    expect(end.backups.map((b) => b.id)).toEqual(seeded.backups.map((b) => b.id));
    expect(posts((await ctx.control.requests()).byRoute)).toEqual({});
  });
});

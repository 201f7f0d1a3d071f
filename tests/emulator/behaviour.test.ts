// The emulator's own behaviour: jobs by time and by command, restores, expiry, accounts,
// fault injection, request counts. The CLI: tests/emulator/cli.test.ts.
import { VpsOrgClient } from "../../provider/client";
import { TOKEN_A, TOKEN_B, useEmulator } from "../helpers/emulator";

const ctx = useEmulator();
const api = (token = TOKEN_A) => new VpsOrgClient({ token, baseUrl: ctx.url, maxRetries: 0 });

test("a job completes after its duration, with size_mb set", async () => {
  await ctx.control.settings({ snapshotDurationMs: 150 });
  const created = await api().snapshots.create({ serverId: 12345, name: "timed" });
  expect((await api().snapshots.get(created.id, { serverId: 12345 }))?.status).toBe("in_progress");
  await ctx.control.advanceClock(200); // the emulator's clock: no real time passes
  const done = await api().snapshots.get(created.id, { serverId: 12345 });
  expect(done).toMatchObject({ status: "completed" });
  expect(done?.size_mb).toBeGreaterThan(0);
});

test("in manual mode a job waits for the control API, which can complete or fail it", async () => {
  await ctx.control.settings({ manual: true, backupDurationMs: 0 });
  const a = await api().backups.create({ serverId: 12345 });
  const b = await api().backups.create({ serverId: 12345 });
  await ctx.control.advanceClock(50); // manual: time passing does not end it
  expect((await api().backups.get(a.id, { serverId: 12345 }))?.status).toBe("in_progress");
  await ctx.control.completeJob("backups", a.id);
  await ctx.control.failJob("backups", b.id);
  expect((await api().backups.get(a.id, { serverId: 12345 }))?.status).toBe("completed");
  expect((await api().backups.get(b.id, { serverId: 12345 }))?.status).toBe("failed");
});

test("a restore makes the server restoring, then active after the restore duration", async () => {
  await ctx.control.settings({ restoreDurationMs: 150 });
  await api().snapshots.restore(801);
  expect((await api().servers.get(12345)).status).toBe("restoring");
  await ctx.control.advanceClock(200);
  expect((await api().servers.get(12345)).status).toBe("active");
});

test("in manual mode a restore ends when told, and can end in failure", async () => {
  await ctx.control.settings({ manual: true });
  await api().servers.restore(12345, { backupId: 499 });
  await ctx.control.finishRestore(12345, "fail");
  expect((await api().servers.get(12345)).status).toBe("error");
});

test("restore needs a server in a valid state and a finished source", async () => {
  await ctx.control.setServerStatus(12345, "suspended");
  await expect(api().snapshots.restore(801)).rejects.toMatchObject({ status: 400 });
  await ctx.control.setServerStatus(12345, "active");
  await ctx.control.settings({ manual: true });
  const pending = await api().snapshots.create({ serverId: 12345, name: "pending" });
  await expect(api().snapshots.restore(pending.id)).rejects.toMatchObject({
    status: 400,
    serverMessage: expect.stringMatching(/not completed/),
  });
  await expect(api().servers.restore(12345, { backupId: 777777 })).rejects.toMatchObject({ status: 404 });
});

test("automatic backups disappear when they expire", async () => {
  const { id } = await ctx.control.addBackup({ server_id: 12345, expires_in_ms: 60_000 });
  expect((await api().backups.list({ serverId: 12345 })).map((b) => b.id)).toContain(id);
  await ctx.control.advanceClock(61_000);
  const after = (await api().backups.list({ serverId: 12345 })).map((b) => b.id);
  expect(after).not.toContain(id);
  expect(after).toContain(501); // the vendor's examples expire a month from now
  await ctx.control.advanceClock(40 * 86_400_000);
  expect((await api().backups.list({ serverId: 12345 })).map((b) => b.id)).toEqual([499]);
});

test("each token is its own account; another account's ids answer 404", async () => {
  const [other] = await api(TOKEN_B).servers.list();
  expect(other.status).toBe("active");
  const backups = await api(TOKEN_B).backups.list();
  expect(backups).toHaveLength(1);
  expect(backups[0].backup_type).toBe("automatic");
  await expect(api(TOKEN_B).backups.delete(501)).rejects.toMatchObject({ status: 404 });
  await expect(api(TOKEN_B).snapshots.restore(801)).rejects.toMatchObject({ status: 404 });
  expect(await api(TOKEN_B).snapshots.list({ serverId: 12345 })).toEqual([]);
  const added = await ctx.control.addServer({ token: TOKEN_B, name: "db-01" });
  expect((await api(TOKEN_B).servers.list()).map((s) => s.id)).toContain(added.id);
  await expect(api(TOKEN_A).servers.get(added.id)).rejects.toMatchObject({ status: 404 });
});

test("faults match by method and path, fire with their probability and retire after `times`", async () => {
  await ctx.control.faults([
    { method: "GET", path: "/snapshots/$", status: 500, times: 2 },
    { method: "GET", path: "/backups/$", status: 500, probability: 0 },
  ]);
  await expect(api().snapshots.list()).rejects.toMatchObject({ status: 500 });
  await expect(api().snapshots.list()).rejects.toMatchObject({ status: 500 });
  expect(await api().snapshots.list()).toHaveLength(2);
  expect(await api().backups.list()).toHaveLength(3);
  await ctx.control.clearFaults();
  const counts = await ctx.control.requests();
  expect(counts.byRoute).toEqual({ "GET /api/v1/backups/": 1, "GET /api/v1/snapshots/": 3 });
});

test("unknown fault fields are refused with a clear message", async () => {
  await expect(ctx.control.faults([{ method: "GET", colour: "red" }])).rejects.toThrow(/colour/);
});

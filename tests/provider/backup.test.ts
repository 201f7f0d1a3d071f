// The Backup resource through the real dynamic-provider host, against the emulator.
import { Backup } from "pulumi-vpsorg";
import { registeredInputs } from "../harness/program";
import { InitFailure } from "../harness/provider-host";
import { useStack } from "../helpers/stack";
import { rejection } from "../helpers/expect";

const ctx = useStack();
const manualBackups = async () =>
  (await ctx.control.state()).backups.filter((b) => b.server.id === 12345 && b.backup_type === "manual");

async function registration(args: ConstructorParameters<typeof Backup>[1], name = "pre-deploy") {
  const [reg] = await registeredInputs(() => new Backup(name, args));
  return reg;
}

test("up creates a manual backup, waits until completed and records every output", async () => {
  const state = await ctx.engine.up(await registration({ serverId: 12345, description: "before deploy" }));
  expect(state.outputs).toMatchObject({
    serverId: 12345,
    serverName: "web-server-01",
    backupType: "manual",
    status: "completed",
    description: "before deploy",
    expiresAt: null,
  });
  expect(state.outputs.sizeMb).toEqual(expect.any(Number));
  expect(Object.values(state.outputs)).not.toContain(undefined);
  await ctx.engine.deleteAllBut();
  expect((await manualBackups()).map((b) => b.id)).toEqual([499]);
});

test("the eleventh manual backup gets the limit error; deleteBeforeReplace is named as a way out", async () => {
  for (let i = 0; i < 9; i++) await ctx.engine.up(await registration({ serverId: 12345 }, `b${i}`));
  const error = await rejection(ctx.engine.up(await registration({ serverId: 12345 }, "b-extra")));
  expect(error.message).toMatch(/server 12345 already has 10 manual backups; VPS.org allows at most 10 per server/);
  expect(error.message).toMatch(/deleteBeforeReplace: true/);
});

test("a lost answer to the create is matched to the backup it made: one backup, recorded", async () => {
  await ctx.control.faults([{ method: "POST", path: "/backups/$", effect: "commit-then-drop", times: 1 }]);
  const state = await ctx.engine.up(await registration({ serverId: 12345, description: "lost answer" }));
  expect(state.outputs.status).toBe("completed");
  const mine = (await manualBackups()).filter((b) => /^lost answer \[pulumi:[a-z0-9]{10}\]$/.test(b.description));
  expect(mine.map((b) => String(b.id))).toEqual([state.id]);
});

test("a 503 on create (nothing made) is an error and nothing is recorded or left", async () => {
  await ctx.control.faults([{ method: "POST", path: "/backups/$", status: 503, times: 1 }]);
  const error = await rejection(ctx.engine.up(await registration({ serverId: 12345 })));
  expect(error).not.toBeInstanceOf(InitFailure);
  expect(error.message).toMatch(/503/);
  expect(ctx.engine.resources.size).toBe(0);
  expect(await manualBackups()).toHaveLength(1);
});

test("a timed-out wait is recorded and resumed by the next up, without a second backup", async () => {
  await ctx.control.settings({ manual: true });
  const reg = await registration({ serverId: 12345, waitTimeout: "1s" });
  const error = await rejection(ctx.engine.up(reg));
  expect(error).toBeInstanceOf(InitFailure);
  await ctx.control.completeJob("backups", error.id);
  const resumed = await ctx.engine.up(reg);
  expect(resumed).toMatchObject({ id: error.id, outputs: { status: "completed" } });
  expect(await manualBackups()).toHaveLength(2);
});

test("a backup left failed in the state is replaced by the next up", async () => {
  await ctx.control.settings({ manual: true });
  const reg = await registration({ serverId: 12345, waitTimeout: "1s" });
  const error = await rejection(ctx.engine.up(reg));
  await ctx.control.failJob("backups", error.id);
  await ctx.engine.refresh(); // the state now says failed
  await ctx.control.settings({ manual: false });
  const replaced = await ctx.engine.up(await registration({ serverId: 12345 }));
  expect(ctx.engine.log.at(-1)?.step).toBe("replace");
  expect(replaced.outputs.status).toBe("completed");
  expect((await manualBackups()).map((b) => String(b.id))).toEqual(["499", replaced.id]);
});

test("adoptId: a manual backup is managed; an automatic one is refused (VPS.org makes and expires those)", async () => {
  await ctx.control.clearRequests();
  const adopted = await ctx.engine.up(await registration({ serverId: 12345, adoptId: 499 }, "adopted"));
  expect(adopted).toMatchObject({ id: "499", outputs: { backupType: "manual", status: "completed" } });
  const automatic = await rejection(ctx.engine.up(await registration({ serverId: 12345, adoptId: 501 }, "nightly")));
  expect(automatic.message).toMatch(/adoptId: backup 501 is an automatic backup; only manual backups can be managed/);
  expect((await ctx.control.requests()).byRoute["POST /api/v1/backups/"]).toBeUndefined();
  expect((await ctx.control.state()).backups.map((b) => b.id)).toEqual(expect.arrayContaining([501, 499, 495]));
});

// The Snapshot resource through the real dynamic-provider host, as `pulumi up`, `preview`,
// `refresh` and `destroy` drive it, against the emulator.
import { Snapshot } from "pulumi-vpsorg";
import { VpsOrgClient } from "../../provider/client";
import { CheckFailed } from "../harness/engine";
import { registeredInputs, runProgram } from "../harness/program";
import { InitFailure } from "../harness/provider-host";
import { jobInProgress, TOKEN_A } from "../helpers/emulator";
import { useStack } from "../helpers/stack";
import { rejection } from "../helpers/expect";

const ctx = useStack();
const api = () => new VpsOrgClient({ token: TOKEN_A, baseUrl: ctx.url });
const snapshotsOn12345 = async () => (await ctx.control.state()).snapshots.filter((s) => s.server.id === 12345);

async function registration(args: ConstructorParameters<typeof Snapshot>[1], name = "pre-upgrade") {
  const [reg] = await registeredInputs(() => new Snapshot(name, args));
  return reg;
}

test("up creates the snapshot, waits until completed and records every output", async () => {
  const reg = await registration({ serverId: 12345, description: "before kernel upgrade" });
  const state = await ctx.engine.up(reg);
  expect(state.outputs).toMatchObject({
    serverId: 12345,
    serverName: "web-server-01",
    status: "completed",
    description: "before kernel upgrade",
  });
  expect(state.outputs.name).toMatch(/^pre-upgrade-[a-z0-9]{7}$/);
  expect(state.outputs.sizeMb).toEqual(expect.any(Number));
  expect(state.outputs.createdAt).toEqual(expect.any(String));
  expect(Object.values(state.outputs)).not.toContain(undefined);
  const onServer = await snapshotsOn12345();
  expect(onServer.find((s) => String(s.id) === state.id)).toMatchObject({ status: "completed" });
  expect(onServer).toHaveLength(3);
});

test("preview and a repeated unchanged up send no API request", async () => {
  const program = () => {
    const snap = new Snapshot("pre-upgrade", { serverId: 12345 });
    return { name: snap.name };
  };
  await ctx.control.clearRequests();
  const preview = await runProgram(program, ctx.engine, "preview");
  expect(preview.errors).toEqual([]);
  expect(preview.steps.get("pre-upgrade")).toBe("create");
  expect((await ctx.control.requests()).total).toBe(0);

  const up = await runProgram(program, ctx.engine, "up");
  expect(up.errors).toEqual([]);
  expect(up.outputs.name).toMatch(/^pre-upgrade-/);

  await ctx.control.clearRequests();
  const again = await runProgram(program, ctx.engine, "preview");
  expect(again.steps.get("pre-upgrade")).toBe("same");
  const same = await runProgram(program, ctx.engine, "up");
  expect(same.steps.get("pre-upgrade")).toBe("same");
  expect(same.outputs.name).toBe(up.outputs.name); // the made-up name is kept
  expect((await ctx.control.requests()).total).toBe(0);
});

test("check reports each bad property with a reason, without any request", async () => {
  await ctx.control.clearRequests();
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ serverId: "12345" }, "serverId", /must be a number.*not the string "12345"/],
    [{ serverId: -3 }, "serverId", /positive whole number.*-3/],
    [{ serverId: 12345, name: "my snap" }, "name", /letters, digits, hyphens and underscores.*" "/],
    [{ serverId: 12345, description: 42 }, "description", /must be a string, got number 42/],
    [{ serverId: 12345, waitTimeout: "soon" }, "waitTimeout", /duration such as/],
    [{}, "serverId", /serverId is required/],
    [{ serverId: 12345, descripton: "typo" }, "descripton", /not a property/],
  ];
  for (const [args, property, reason] of cases) {
    const reg = await registration(args as never);
    const error = await rejection(ctx.engine.up(reg));
    expect(error).toBeInstanceOf(CheckFailed);
    expect(error.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  }
  expect((await ctx.control.requests()).total).toBe(0);
});

test("a wait that times out records the snapshot with its id; the next up resumes it", async () => {
  await ctx.control.settings({ manual: true });
  const reg = await registration({ serverId: 12345, waitTimeout: "1s" });
  const error = await rejection(ctx.engine.up(reg));
  expect(error).toBeInstanceOf(InitFailure);
  expect(error.message).toMatch(/still "in_progress" after 1s.*next `pulumi up` waits for it again/);
  const recorded = ctx.engine.resources.get(
    `urn:pulumi:dev::vpsorg::pulumi-nodejs:dynamic/vpsorg:Snapshot::pre-upgrade`,
  );
  expect(recorded?.id).toBe(error.id);
  expect(recorded?.outputs).toMatchObject({ status: "in_progress", serverId: 12345 });
  expect(typeof recorded?.outputs.__provider).toBe("string"); // a later delete can load the provider
  expect(await snapshotsOn12345()).toHaveLength(3);

  await ctx.control.completeJob("snapshots", error.id);
  const resumed = await ctx.engine.up(reg);
  expect(ctx.engine.log.at(-1)?.step).toBe("update");
  expect(resumed.id).toBe(error.id);
  expect(resumed.outputs.status).toBe("completed");
  expect(await snapshotsOn12345()).toHaveLength(3); // resumed, not created again
});

test("a failed job says so and leaves nothing behind", async () => {
  await ctx.control.settings({ manual: true });
  const reg = await registration({ serverId: 12345 });
  const pending = rejection(ctx.engine.up(reg));
  const created = await jobInProgress(ctx.control, "snapshots");
  await ctx.control.failJob("snapshots", created.id);
  const error = await pending;
  expect(error.message).toMatch(/ended with status "failed".*was deleted; nothing was recorded/);
  expect(ctx.engine.resources.size).toBe(0);
  expect(await snapshotsOn12345()).toHaveLength(2);
});

test("refresh notices a snapshot deleted outside Pulumi and drops it; destroy of a gone one succeeds", async () => {
  const kept = await ctx.engine.up(await registration({ serverId: 12345 }, "kept"));
  const gone = await ctx.engine.up(await registration({ serverId: 12345 }, "gone"));
  await api().snapshots.delete(gone.id);
  await ctx.engine.refresh();
  expect([...ctx.engine.resources.values()].map((r) => r.id)).toEqual([kept.id]);

  await api().snapshots.delete(kept.id); // gone again, behind the state's back
  await expect(ctx.engine.deleteAllBut()).resolves.toBeUndefined();
  expect(ctx.engine.resources.size).toBe(0);
});

test("the sixth snapshot gets an error naming the server, the count, the limit and the ways out", async () => {
  for (const name of ["a", "b", "c"]) await ctx.engine.up(await registration({ serverId: 12345, name }, name));
  const error = await rejection(ctx.engine.up(await registration({ serverId: 12345 }, "one-more")));
  expect(error.message).toMatch(/server 12345 already has 5 snapshots/);
  expect(error.message).toMatch(/at most 5 per server/);
  expect(error.message).toMatch(/deleteBeforeReplace: true/);
  expect(error).not.toBeInstanceOf(InitFailure);
});

test("changing the description replaces the snapshot; changing only waitTimeout updates in place", async () => {
  const first = await ctx.engine.up(await registration({ serverId: 12345, description: "one" }));
  await ctx.control.clearRequests();
  const timeoutOnly = await ctx.engine.up(
    await registration({ serverId: 12345, description: "one", waitTimeout: "5m" }),
  );
  expect(ctx.engine.log.at(-1)?.step).toBe("update");
  expect(timeoutOnly.id).toBe(first.id);
  expect((await ctx.control.requests()).byRoute["POST /api/v1/snapshots/"]).toBeUndefined();

  const replaced = await ctx.engine.up(await registration({ serverId: 12345, description: "two", waitTimeout: "5m" }));
  expect(ctx.engine.log.at(-1)?.step).toBe("replace");
  expect(replaced.id).not.toBe(first.id);
  expect(replaced.outputs.name).not.toBe(first.outputs.name); // a replacement gets a fresh name
  const ids = (await snapshotsOn12345()).map((s) => String(s.id));
  expect(ids).toContain(replaced.id);
  expect(ids).not.toContain(first.id);
});

test("adoptId brings an existing snapshot under management without creating one", async () => {
  await ctx.control.clearRequests();
  const adopted = await ctx.engine.up(await registration({ serverId: 12345, adoptId: 801 }, "adopted"));
  expect(adopted.id).toBe("801");
  expect(adopted.outputs).toMatchObject({ name: "pre-migration-snapshot", status: "completed", sizeMb: 5120 });
  expect((await ctx.control.requests()).byRoute["POST /api/v1/snapshots/"]).toBeUndefined();
  const again = await ctx.engine.up(await registration({ serverId: 12345, adoptId: 801 }, "adopted"));
  expect(ctx.engine.log.at(-1)?.step).toBe("same");
  expect(again.id).toBe("801");

  const wrong = await rejection(
    ctx.engine.up(await registration({ serverId: 12345, adoptId: 801, name: "other-name" }, "mismatch")),
  );
  expect(wrong.message).toMatch(/adoptId: snapshot 801 is named "pre-migration-snapshot", not "other-name"/);
  const missing = await rejection(ctx.engine.up(await registration({ serverId: 12345, adoptId: 4242 }, "missing")));
  expect(missing.message).toMatch(/adoptId: snapshot 4242 does not exist on server 12345/);
});

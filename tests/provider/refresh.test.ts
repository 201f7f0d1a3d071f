// A refresh of many resources, as `pulumi refresh` sends it (every read at once), through the real
// host: the reads share one list per server, or the account's pages, instead of one list each.
import { Backup, Snapshot } from "pulumi-vpsorg";
import { registeredInputs } from "../harness/program";
import { useStack } from "../helpers/stack";

const ctx = useStack();

test("refreshing 12 resources on 3 servers sends at most one list per server and kind", async () => {
  const servers = [
    12345,
    (await ctx.control.addServer({ account: 0 })).id,
    (await ctx.control.addServer({ account: 0 })).id,
  ];
  const regs = await registeredInputs(() => {
    for (const serverId of servers) {
      for (let i = 0; i < 2; i++) new Snapshot(`s-${serverId}-${i}`, { serverId });
      for (let i = 0; i < 2; i++) new Backup(`b-${serverId}-${i}`, { serverId });
    }
  });
  await Promise.all(regs.map((reg) => ctx.engine.up(reg)));
  await ctx.control.clearRequests();
  await ctx.engine.refresh();
  const { byRoute, total } = await ctx.control.requests();
  expect(ctx.engine.log.filter((l) => l.step === "refresh")).toHaveLength(12);
  expect(byRoute["GET /api/v1/snapshots/"] ?? 0).toBeLessThanOrEqual(3);
  expect(byRoute["GET /api/v1/backups/"] ?? 0).toBeLessThanOrEqual(3);
  expect(total).toBeLessThanOrEqual(6);
  await ctx.engine.deleteAllBut();
});

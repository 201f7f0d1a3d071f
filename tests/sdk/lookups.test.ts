// The lookups against the emulator: results, every error case, the configuration they read, and
// their Output forms inside a program run (preview included), feeding a restore.
import {
  getBackup,
  getBackupOutput,
  getBackups,
  getSnapshot,
  getSnapshots,
  LookupError,
  restoreBackup,
} from "pulumi-vpsorg";
import { runProgram } from "../harness/program";
import { TOKEN_A, TOKEN_B } from "../helpers/emulator";
import { setProgramConfig, useStack } from "../helpers/stack";
import { rejection } from "../helpers/expect";

const ctx = useStack();
const opts = () => ({ apiToken: TOKEN_A, apiUrl: ctx.url });

describe("getSnapshots / getSnapshot", () => {
  test("lists a server's snapshots, filtered by a name pattern", async () => {
    const all = await getSnapshots({ serverId: 12345 }, opts());
    expect(all.ids).toEqual([801, 798]);
    expect(all.snapshots[0]).toMatchObject({
      id: 801,
      name: "pre-migration-snapshot",
      serverName: "web-server-01",
      sizeMb: 5120,
    });
    const weekly = await getSnapshots({ nameRegex: "^weekly-" }, opts());
    expect(weekly.ids).toEqual([798]);
  });

  test("finds one by name or pattern; several need mostRecent; none is an error", async () => {
    expect((await getSnapshot({ serverId: 12345, name: "weekly-snapshot-2025-01-08" }, opts())).id).toBe(798);
    const several = await rejection(getSnapshot({ serverId: 12345, nameRegex: "snapshot" }, opts()));
    expect(several).toBeInstanceOf(LookupError);
    expect(several.message).toMatch(
      /2 matches .*801 pre-migration-snapshot.*798 weekly-snapshot-2025-01-08.*mostRecent: true/,
    );
    expect((await getSnapshot({ serverId: 12345, nameRegex: "snapshot", mostRecent: true }, opts())).id).toBe(801);
    await expect(getSnapshot({ serverId: 12345, name: "nope" }, opts())).rejects.toThrow(
      /no snapshot on server 12345 named "nope"/,
    );
  });

  test("bad arguments are errors naming the argument", async () => {
    await expect(getSnapshots({ nameRegex: "([" }, opts())).rejects.toThrow(
      /nameRegex "\(\[" is not a valid regular expression/,
    );
    await expect(getSnapshot({ serverId: "12345" as never, name: "x" }, opts())).rejects.toThrow(
      /serverId must be a positive whole number/,
    );
    await expect(getSnapshot({ serverId: 12345 }, opts())).rejects.toThrow(/exactly one of name or nameRegex/);
    await expect(getSnapshot({ serverId: 12345, name: "a", nameRegex: "b" }, opts())).rejects.toThrow(/exactly one/);
  });
});

describe("getBackups / getBackup", () => {
  test("lists backups by server and type", async () => {
    expect((await getBackups({ serverId: 12345 }, opts())).ids).toEqual([501, 499, 495]);
    expect((await getBackups({ serverId: 12345, backupType: "automatic" }, opts())).ids).toEqual([501, 495]);
    await expect(getBackups({ backupType: "nightly" as never }, opts())).rejects.toThrow(
      /backupType must be "manual" or "automatic"/,
    );
  });

  test("one backup; the newest with mostRecent; several or none are errors", async () => {
    expect((await getBackup({ serverId: 12345, backupType: "manual" }, opts())).id).toBe(499);
    const several = await rejection(getBackup({ serverId: 12345, backupType: "automatic" }, opts()));
    expect(several.message).toMatch(/2 matches for automatic backup on server 12345: 501 automatic .*; 495 automatic/);
    expect((await getBackup({ serverId: 12345, backupType: "automatic", mostRecent: true }, opts())).id).toBe(501);
    const added = await ctx.control.addServer({ token: TOKEN_A, name: "empty" });
    await expect(getBackup({ serverId: added.id }, opts())).rejects.toThrow(/no backup on server \d+/);
  });
});

describe("configuration", () => {
  test("reads vpsorg:apiToken / vpsorg:apiUrl from the stack config, then the environment", async () => {
    try {
      setProgramConfig(TOKEN_B, ctx.url);
      const other = await getBackups();
      expect(other.backups.length).toBeGreaterThan(0);
      expect(other.backups.every((b) => b.serverId !== 12345)).toBe(true); // TOKEN_B's account
      setProgramConfig("", "");
      process.env.VPS_API_TOKEN = TOKEN_A;
      process.env.VPS_API_URL = ctx.url;
      expect((await getSnapshots()).ids).toEqual([801, 798]);
      delete process.env.VPS_API_TOKEN;
      delete process.env.VPS_API_URL;
      await expect(getSnapshots()).rejects.toThrow(/No VPS.org API token/);
    } finally {
      delete process.env.VPS_API_TOKEN;
      delete process.env.VPS_API_URL;
      setProgramConfig(TOKEN_A, ctx.url);
    }
  });
});

describe("errors say what the resources' errors say", () => {
  test("a rejected token names where it came from, never its value", async () => {
    setProgramConfig("vps_wrong_Q4s8dF1g", ctx.url);
    try {
      const error = await rejection(getSnapshots({ serverId: 12345 }));
      expect(error).toBeInstanceOf(LookupError);
      expect(error.message).toBe(
        `VPS.org rejected the API token of the default account (from stack config vpsorg:apiToken) at ${ctx.url} ` +
          "(401: Invalid token). Set a valid token: run `pulumi config set --secret vpsorg:apiToken <token>` or set " +
          "the VPS_API_TOKEN environment variable.",
      );
      const option = await rejection(getSnapshots({}, { apiToken: "vps_wrong_Q4s8dF1g", apiUrl: ctx.url }));
      expect(option.message).toMatch(
        /^VPS.org rejected the API token of the default account \(from the apiToken option\)/,
      );
      expect(`${error.message}${option.message}`).not.toContain("vps_wrong_Q4s8dF1g");
    } finally {
      setProgramConfig(TOKEN_A, ctx.url);
    }
  });

  test("an API that cannot be reached names the URL and the remedy", async () => {
    const error = await rejection(getBackups({}, { apiToken: TOKEN_A, apiUrl: "http://127.0.0.1:9/api/v1" }));
    expect(error.message).toMatch(
      /^Could not reach VPS.org at http:\/\/127\.0\.0\.1:9\/api\/v1 \(ECONNREFUSED\)\. Check vpsorg:apiUrl or VPS_API_URL.*npx vpsorg-emulator/,
    );
  });
});

test("in a program: lookups run in preview (reads only) and feed a restore of the latest backup on up", async () => {
  const program = () => {
    const latest = getBackupOutput({ serverId: 12345, backupType: "automatic", mostRecent: true }, opts());
    const restore = restoreBackup("restore-latest", {
      serverId: 12345,
      backupId: latest.id,
      acknowledgeDataLoss: true,
    });
    return { latestId: latest.id, restoredFrom: restore.backupId };
  };
  await ctx.control.clearRequests();
  const preview = await runProgram(program, ctx.engine, "preview");
  expect(preview.errors).toEqual([]);
  expect(preview.outputs.latestId).toBe(501);
  expect(Object.keys((await ctx.control.requests()).byRoute)).toEqual(["GET /api/v1/backups/"]);
  const up = await runProgram(program, ctx.engine, "up");
  expect(up.errors).toEqual([]);
  expect(up.outputs.restoredFrom).toBe(501);
});

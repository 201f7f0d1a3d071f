// The client against the emulator, endpoint by endpoint, with every documented error path.
import {
  AuthenticationError,
  BadRequestError,
  ConfigurationError,
  NotFoundError,
  UnexpectedResponseError,
  VpsOrgClient,
} from "../../provider/client";
import { TOKEN_A, TOKEN_B, useEmulator } from "../helpers/emulator";
import { rejection } from "../helpers/expect";

const ctx = useEmulator();
const client = (token = TOKEN_A, extra = {}) =>
  new VpsOrgClient({ token, baseUrl: ctx.url, retryBaseDelayMs: 5, ...extra });

describe("backups", () => {
  test("list returns the vendor's example backups, filtered by server and type", async () => {
    const all = await client().backups.list({ serverId: 12345 });
    expect(all.map((b) => b.id)).toEqual([501, 499, 495]);
    expect(all[0]).toMatchObject({ server: { id: 12345, name: "web-server-01" }, backup_type: "automatic" });
    const manual = await client().backups.list({ serverId: 12345, backupType: "manual" });
    expect(manual.map((b) => b.id)).toEqual([499]);
    expect(manual[0].expires_at).toBeNull();
  });

  test("create answers in_progress with the documented message, and delete removes it", async () => {
    const created = await client().backups.create({ serverId: 12345, description: "Pre-deployment backup" });
    expect(created).toMatchObject({
      id: 502,
      backup_type: "manual",
      status: "in_progress",
      size_mb: null,
      expires_at: null,
      description: "Pre-deployment backup",
    });
    expect(created.message).toMatch(/Backup is being created/);
    expect(await client().backups.get(502, { serverId: 12345 })).toMatchObject({ id: 502 });
    await client().backups.delete(502);
    expect(await client().backups.get(502, { serverId: 12345 })).toBeUndefined();
  });

  test("delete of a missing backup is a NotFoundError with method, path and the server's message", async () => {
    const error = await rejection(client().backups.delete(999999));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, method: "DELETE", path: "/backups/999999/" });
    expect(error.serverMessage).toBe("Backup not found.");
  });

  test("create for a server that does not exist is a NotFoundError; bad parameters a BadRequestError", async () => {
    await expect(client().backups.create({ serverId: 4242 })).rejects.toBeInstanceOf(NotFoundError);
    const error = await rejection(client().backups.create({ serverId: "abc" }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.fieldErrors).toEqual({ server_id: ["A valid integer is required."] });
  });

  test("the eleventh manual backup of a server is refused", async () => {
    // The vendor's example server already has one manual backup (499).
    for (let i = 0; i < 9; i++) await client().backups.create({ serverId: 12345 });
    const error = await rejection(client().backups.create({ serverId: 12345 }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.serverMessage).toMatch(/limit/i);
  });
});

describe("snapshots", () => {
  test("list, create, restore and delete", async () => {
    expect((await client().snapshots.list({ serverId: 12345 })).map((s) => s.id)).toEqual([801, 798]);
    const created = await client().snapshots.create({
      serverId: 12345,
      name: "before-update-snapshot",
      description: "Snapshot before system update",
    });
    expect(created).toMatchObject({ id: 802, status: "in_progress", size_mb: null, name: "before-update-snapshot" });
    expect(created.message).toMatch(/Snapshot is being created/);
    const restore = await client().snapshots.restore(801);
    expect(restore).toMatchObject({
      status: "success",
      snapshot: { id: 801, name: "pre-migration-snapshot" },
      server: { id: 12345, status: "restoring" },
    });
    await client().snapshots.delete(798);
    expect(await client().snapshots.get(798, { serverId: 12345 })).toBeUndefined();
  });

  test("a name outside the rule is a BadRequestError naming the field", async () => {
    const error = await rejection(client().snapshots.create({ serverId: 12345, name: "has spaces" }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.fieldErrors.name[0]).toMatch(/letters, digits, hyphens and underscores/);
    expect(error.message).toContain("name:");
  });

  test("the sixth snapshot of a server is refused with the limit", async () => {
    for (let i = 0; i < 3; i++) await client().snapshots.create({ serverId: 12345, name: `s${i}` });
    const error = await rejection(client().snapshots.create({ serverId: 12345, name: "one-too-many" }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.serverMessage).toMatch(/Snapshot limit reached.*5/);
  });

  test("restore of a missing snapshot is a NotFoundError", async () => {
    await expect(client().snapshots.restore(424242)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("servers", () => {
  test("list and get; another account's server is not found", async () => {
    const servers = await client().servers.list();
    expect(servers).toHaveLength(1);
    expect(servers[0]).toMatchObject({ id: 12345, name: "web-server-01", status: "active" });
    expect(await client().servers.get(12345)).toMatchObject({ id: 12345 });
    const other = await client(TOKEN_B).servers.list();
    expect(other[0].id).not.toBe(12345);
    await expect(client(TOKEN_B).servers.get(12345)).rejects.toBeInstanceOf(NotFoundError);
  });

  test("restore from a backup starts a restore; a second one is refused while restoring", async () => {
    const answer = await client().servers.restore(12345, { backupId: 501 });
    expect(answer.server).toMatchObject({ id: 12345, status: "restoring" });
    expect((await client().servers.get(12345)).status).toBe("restoring");
    const error = await rejection(client().servers.restore(12345, { backupId: 501 }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.serverMessage).toMatch(/not in a valid state/);
  });
});

describe("auth and configuration", () => {
  test("a wrong token is an AuthenticationError", async () => {
    const error = await rejection(client("vps_wrong").servers.list());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.serverMessage).toBe("Invalid token.");
  });

  test("token and URL come from VPS_API_TOKEN / VPS_API_URL when not given", async () => {
    const saved = { ...process.env };
    try {
      process.env.VPS_API_TOKEN = TOKEN_A;
      process.env.VPS_API_URL = ctx.url;
      const servers = await new VpsOrgClient().servers.list();
      expect(servers[0].id).toBe(12345);
      delete process.env.VPS_API_TOKEN;
      expect(() => new VpsOrgClient()).toThrow(ConfigurationError);
      expect(() => new VpsOrgClient()).toThrow(/VPS_API_TOKEN/);
    } finally {
      process.env = saved;
    }
  });

  test("the default URL is the vendor's", () => {
    const saved = process.env.VPS_API_URL;
    delete process.env.VPS_API_URL;
    try {
      expect(new VpsOrgClient({ token: "x" }).baseUrl).toBe("https://admin.vps.org/api/v1");
    } finally {
      if (saved !== undefined) process.env.VPS_API_URL = saved;
    }
  });
});

describe("lists are read whole", () => {
  test("following next links, page by page", async () => {
    await ctx.control.settings({ pageSize: 2 });
    await ctx.control.clearRequests();
    for (let i = 0; i < 3; i++) await client().snapshots.create({ serverId: 12345, name: `p${i}` });
    const all = await client(TOKEN_A, { pageSize: 2 }).snapshots.list({ serverId: 12345 });
    expect(all.map((s) => s.id)).toEqual([801, 798, 802, 803, 804]);
    expect((await ctx.control.requests()).byRoute["GET /api/v1/snapshots/"]).toBe(3);
  });

  test("by page number when the server gives no links", async () => {
    await ctx.control.settings({ pageSize: 2, pageLinks: false });
    for (let i = 0; i < 3; i++) await client().snapshots.create({ serverId: 12345, name: `p${i}` });
    const all = await client(TOKEN_A, { pageSize: 2 }).snapshots.list({ serverId: 12345 });
    expect(all.map((s) => s.id)).toEqual([801, 798, 802, 803, 804]);
  });

  test("a next link to another host is refused (the token is never sent there)", async () => {
    await ctx.control.faults([
      {
        method: "GET",
        path: "/snapshots/$",
        status: 200,
        body: { count: 3, next: "https://elsewhere.example/api/v1/snapshots/?page=2", results: [] },
      },
    ]);
    await expect(client().snapshots.list()).rejects.toBeInstanceOf(UnexpectedResponseError);
  });
});

describe("tolerance", () => {
  test("fields the API adds later are kept and an unknown job status is carried through", async () => {
    const body = {
      count: 1,
      results: [
        {
          id: 900,
          server: { id: 12345, name: "web-server-01", region: "x" },
          name: "n",
          status: "archiving",
          size_mb: null,
          created_at: "2025-01-01T00:00:00Z",
          description: "d",
          storage_tier: "cold",
        },
      ],
    };
    await ctx.control.faults([{ method: "GET", path: "/snapshots/$", status: 200, body }]);
    const [snapshot] = await client().snapshots.list();
    expect(snapshot.status).toBe("archiving");
    expect((snapshot as Record<string, unknown>).storage_tier).toBe("cold");
  });
});

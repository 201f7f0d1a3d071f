// The documented VPS.org API: backups, snapshots, servers, with the documented codes and bodies.
// Where the docs are silent the choices are this project's (see the README): errors are
// `{"detail": "..."}` or DRF-style field errors, lists are paged DRF-style, a failed job is `failed`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type EmulatorState,
  RESTORABLE_STATUSES,
  type ServerRecord,
  SNAPSHOT_NAME_MAX,
  SNAPSHOT_NAME_RULE,
} from "./state";
import { backupView, serverView, snapshotView } from "./views";

export const API_PREFIX = "/api/v1";

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string>; Body: unknown }>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === "object" && body && "detail" in body ? String(body.detail) : `HTTP ${status}`);
  }
}
const detail = (status: number, message: string) => new HttpError(status, { detail: message });
const fieldError = (field: string, message: string) => new HttpError(400, { [field]: [message] });

export function registerApiRoutes(app: FastifyInstance, state: EmulatorState): void {
  /** Wraps a handler: authenticates, moves the world on, and turns HttpErrors into answers. */
  const route =
    (handler: (req: Req, account: number, reply: FastifyReply) => unknown) => async (req: Req, reply: FastifyReply) => {
      try {
        const account = authenticate(state, req);
        state.advance();
        return await handler(req, account, reply);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        return reply.code(error.status).send(error.body);
      }
    };

  app.get(
    `${API_PREFIX}/servers/`,
    route((req, account, reply) => {
      const { status, location } = req.query;
      const servers = state
        .serversOf(account)
        .filter((s) => (!status || s.status === status) && (!location || s.location === location));
      return page(req, reply, state, servers.map(serverView));
    }),
  );

  app.get(
    `${API_PREFIX}/servers/:serverId/`,
    route((req, account) => {
      return serverView(requireServer(state, account, integerParam(req.params.serverId, "server_id")));
    }),
  );

  app.post(
    `${API_PREFIX}/servers/:serverId/restore/`,
    route((req, account) => {
      const server = requireServer(state, account, integerParam(req.params.serverId, "server_id"));
      const body = objectBody(req.body);
      const backupId = requiredInteger(body, "backup_id");
      const backup = state.backups.get(backupId);
      if (!backup || state.accountOfJob(backup) !== account) throw detail(404, "Backup not found.");
      if (backup.serverId !== server.id)
        throw fieldError("backup_id", `Backup ${backupId} does not belong to server ${server.id}.`);
      if (backup.status !== "completed")
        throw fieldError("backup_id", `Backup ${backupId} is not completed (status: ${backup.status}).`);
      requireRestorable(server);
      state.startRestore(server);
      return {
        status: "success",
        message: "Server is being restored from backup. This may take 5-15 minutes.",
        backup: { id: backup.id, backup_type: backup.backup_type, created_at: backup.created_at },
        server: { id: server.id, name: server.name, status: server.status },
      };
    }),
  );

  app.get(
    `${API_PREFIX}/backups/`,
    route((req, account, reply) => {
      const serverId = optionalIntegerQuery(req.query.server_id, "server_id");
      const type = req.query.backup_type;
      if (type !== undefined && type !== "manual" && type !== "automatic") {
        throw fieldError("backup_type", `Select a valid choice. ${type} is not one of the available choices.`);
      }
      const backups = [...state.backups.values()].filter(
        (b) =>
          state.accountOfJob(b) === account &&
          (serverId === undefined || b.serverId === serverId) &&
          (type === undefined || b.backup_type === type),
      );
      return page(
        req,
        reply,
        state,
        backups.map((b) => backupView(state, b)),
      );
    }),
  );

  app.post(
    `${API_PREFIX}/backups/`,
    route((req, account, reply) => {
      const body = objectBody(req.body);
      const server = requireServer(state, account, requiredInteger(body, "server_id"));
      const description = optionalString(body, "description");
      requireNotRestoring(server);
      const manual = [...state.backups.values()].filter((b) => b.serverId === server.id && b.backup_type === "manual");
      if (manual.length >= state.settings.manualBackupLimit) {
        throw detail(
          400,
          `Manual backup limit reached: server ${server.id} already has ${manual.length} manual backups (maximum ${state.settings.manualBackupLimit}).`,
        );
      }
      const backup = state.addBackup(server, { description: description ?? "" });
      return reply.code(201).send({
        ...backupView(state, backup),
        message: "Backup is being created. This may take several minutes depending on server size.",
      });
    }),
  );

  app.delete(
    `${API_PREFIX}/backups/:backupId/`,
    route((req, account, reply) => {
      const backup = state.backups.get(integerParam(req.params.backupId, "backup_id"));
      if (!backup || state.accountOfJob(backup) !== account) throw detail(404, "Backup not found.");
      state.backups.delete(backup.id);
      return reply.code(204).send();
    }),
  );

  app.get(
    `${API_PREFIX}/snapshots/`,
    route((req, account, reply) => {
      const serverId = optionalIntegerQuery(req.query.server_id, "server_id");
      const snapshots = [...state.snapshots.values()].filter(
        (s) => state.accountOfJob(s) === account && (serverId === undefined || s.serverId === serverId),
      );
      return page(
        req,
        reply,
        state,
        snapshots.map((s) => snapshotView(state, s)),
      );
    }),
  );

  app.post(
    `${API_PREFIX}/snapshots/`,
    route((req, account, reply) => {
      const body = objectBody(req.body);
      const server = requireServer(state, account, requiredInteger(body, "server_id"));
      const name = optionalString(body, "name");
      if (name === undefined || name === "") throw fieldError("name", "This field is required.");
      if (!SNAPSHOT_NAME_RULE.test(name)) {
        throw fieldError("name", "Snapshot names may contain only letters, digits, hyphens and underscores.");
      }
      if (name.length > SNAPSHOT_NAME_MAX) {
        throw fieldError("name", `Ensure this field has no more than ${SNAPSHOT_NAME_MAX} characters.`);
      }
      const description = optionalString(body, "description");
      requireNotRestoring(server);
      const existing = [...state.snapshots.values()].filter((s) => s.serverId === server.id);
      if (existing.length >= state.settings.snapshotLimit) {
        throw detail(
          400,
          `Snapshot limit reached: server ${server.id} already has ${existing.length} snapshots (maximum ${state.settings.snapshotLimit}).`,
        );
      }
      const snapshot = state.addSnapshot(server, { name, description: description ?? "" });
      return reply.code(201).send({
        ...snapshotView(state, snapshot),
        message: "Snapshot is being created. This may take 3-10 minutes depending on server size.",
      });
    }),
  );

  app.post(
    `${API_PREFIX}/snapshots/:snapshotId/restore/`,
    route((req, account) => {
      const snapshot = state.snapshots.get(integerParam(req.params.snapshotId, "snapshot_id"));
      if (!snapshot || state.accountOfJob(snapshot) !== account) throw detail(404, "Snapshot not found.");
      if (snapshot.status !== "completed") {
        throw detail(400, `Snapshot ${snapshot.id} is not completed (status: ${snapshot.status}).`);
      }
      const server = state.servers.get(snapshot.serverId) as ServerRecord;
      requireRestorable(server);
      state.startRestore(server);
      return {
        status: "success",
        message: "Server is being restored from snapshot. This may take 5-15 minutes.",
        snapshot: { id: snapshot.id, name: snapshot.name, created_at: snapshot.created_at },
        server: { id: server.id, name: server.name, status: server.status },
      };
    }),
  );

  app.delete(
    `${API_PREFIX}/snapshots/:snapshotId/`,
    route((req, account, reply) => {
      const snapshot = state.snapshots.get(integerParam(req.params.snapshotId, "snapshot_id"));
      if (!snapshot || state.accountOfJob(snapshot) !== account) throw detail(404, "Snapshot not found.");
      state.snapshots.delete(snapshot.id);
      return reply.code(204).send();
    }),
  );
}

function authenticate(state: EmulatorState, req: Req): number {
  const header = req.headers.authorization;
  if (!header) throw detail(401, "Authentication credentials were not provided.");
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const account = match ? state.accountOf(match[1]) : undefined;
  if (account === undefined) throw detail(401, "Invalid token.");
  return account;
}

/** DRF-style page: `page` (from 1) and `page_size` (default from settings, at most 100). */
function page(req: Req, reply: FastifyReply, state: EmulatorState, items: unknown[]) {
  const number = req.query.page === undefined ? 1 : Number(req.query.page);
  const requested = req.query.page_size === undefined ? state.settings.pageSize : Number(req.query.page_size);
  const size = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 100) : state.settings.pageSize;
  const pages = Math.max(1, Math.ceil(items.length / size));
  if (!Number.isInteger(number) || number < 1 || number > pages) throw detail(404, "Invalid page.");
  const link = (n: number) => {
    const url = new URL(req.url, `${req.protocol}://${req.headers.host ?? "127.0.0.1"}`);
    url.searchParams.set("page", String(n));
    return url.toString();
  };
  return reply.send({
    count: items.length,
    next: state.settings.pageLinks && number < pages ? link(number + 1) : null,
    previous: state.settings.pageLinks && number > 1 ? link(number - 1) : null,
    results: items.slice((number - 1) * size, number * size),
  });
}

function requireServer(state: EmulatorState, account: number, id: number): ServerRecord {
  const server = state.serverOf(account, id);
  if (!server) throw detail(404, "Server not found.");
  return server;
}

function requireRestorable(server: ServerRecord): void {
  if (!RESTORABLE_STATUSES.has(server.status)) {
    throw detail(400, `Server is not in a valid state for restoration (status: ${server.status}).`);
  }
}

function requireNotRestoring(server: ServerRecord): void {
  if (server.status === "restoring")
    throw detail(400, `Server ${server.id} is being restored; try again when it is active.`);
}

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw detail(400, "Malformed request: a JSON object is required.");
  return body as Record<string, unknown>;
}

function requiredInteger(body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (value === undefined || value === null) throw fieldError(field, "This field is required.");
  if (typeof value !== "number" || !Number.isInteger(value)) throw fieldError(field, "A valid integer is required.");
  return value;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw fieldError(field, "Not a valid string.");
  return value;
}

function integerParam(value: string | undefined, field: string): number {
  const n = Number(value);
  if (!value || !/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw detail(404, `Not found (${field} must be an integer).`);
  return n;
}

function optionalIntegerQuery(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^-?\d+$/.test(value)) throw fieldError(field, "A valid integer is required.");
  return Number(value);
}

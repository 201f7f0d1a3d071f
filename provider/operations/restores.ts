// Restores: find the source, wait for it if it is still being made, start the restore, and
// optionally wait for the server to come back. Shared by the imperative functions for scripts and
// by the restore resources (which wait themselves, so that a timed-out wait is not a new restore).
// It composes the client and the waiting code, so it lives above both.
import type { VpsOrgClient } from "../client/client";
import { BadRequestError, JobFailedError, mayHaveActed, NotFoundError, RestoreRejectedError } from "../client/errors";
import type { Backup, Id, RestoreResponse, Snapshot } from "../client/types";
import { BACKUPS, RESTORE_DEFAULT_WAIT_MS, SNAPSHOTS } from "../kinds";
import { ListCosts } from "../reads/lists";
import { settingsFromEnv } from "../settings";
import { waitForBackup, waitForRestore, waitForSnapshot } from "../wait/jobs";
import { Poller } from "../wait/poller";
import { askPatiently } from "./patience";

/** The message recorded for a restore that an earlier, interrupted run had started. */
const ADOPTED =
  "The server was already restoring, taken as the restore an earlier run of this resource started before its " +
  "provider host stopped: it was awaited, not started again (VPS.org does not say which source it restores).";

/**
 * Servers a restore of this process started or adopted and has not seen finish: such a server's
 * `restoring` is this process's own restore, never one an earlier run left (never adopted twice).
 */
export class RestoresInProgress {
  readonly #servers = new Set<string>();
  #key = (client: VpsOrgClient, serverId: Id) => `${client.accountKey}|${String(serverId)}`;

  started(client: VpsOrgClient, serverId: Id): void {
    this.#servers.add(this.#key(client, serverId));
  }
  /** The wait for a restore of this server ended (either way). */
  ended(client: VpsOrgClient, serverId: Id): void {
    this.#servers.delete(this.#key(client, serverId));
  }
  has(client: VpsOrgClient, serverId: Id): boolean {
    return this.#servers.has(this.#key(client, serverId));
  }
}

/** What starting and awaiting a restore depends on, beside the client. */
export interface RestoreDeps {
  poller: Poller;
  restores: RestoresInProgress;
  /** How long a lost answer is looked into (VPSORG_RECONCILE_MS). */
  reconcileMs: number;
}

export interface RestoreOptions {
  /** Wait until the server has left `restoring`: `true` (30 minutes) or `{ timeoutMs }`. Default: don't wait. */
  wait?: boolean | { timeoutMs?: number };
  /** How long to wait for a source still `in_progress` before restoring from it. */
  sourceTimeoutMs?: number;
  /** The poller to wait in (default: one for this call, with the VPSORG_POLL_* settings). */
  poller?: Poller;
}

export interface StartOptions {
  sourceTimeoutMs?: number;
  /**
   * A server already `restoring` when the POST is refused is taken as this restore, started by an
   * earlier run whose provider host died before the engine recorded it (the resources' create).
   */
  adoptRunning?: boolean;
}

export interface RestoreServer {
  id: Id;
  name: string | null;
  status: string;
}

export interface StartedRestore {
  server: RestoreServer;
  snapshot?: Snapshot;
  backup?: Backup;
  message: string | null;
  startedAt: string;
}

export interface RestoreResult extends StartedRestore {
  /** When the server left `restoring`; null when the call did not wait. */
  finishedAt: string | null;
}

export async function startSnapshotRestore(
  deps: RestoreDeps,
  client: VpsOrgClient,
  snapshotId: Id,
  { sourceTimeoutMs = SNAPSHOTS.defaultWaitMs, adoptRunning = false }: StartOptions = {},
): Promise<StartedRestore> {
  let snapshot = await client.snapshots.get(snapshotId);
  if (!snapshot) throw new RestoreRejectedError(`snapshot ${snapshotId} does not exist in this account.`);
  const serverId = snapshot.server.id;
  snapshot = await readySource("snapshot", snapshot, () =>
    waitForSnapshot(deps.poller, client, serverId, snapshotId, { timeoutMs: sourceTimeoutMs }),
  );
  const startedAt = new Date().toISOString();
  const response = await rejectionExplained(deps, client, serverId, adoptRunning, () =>
    client.snapshots.restore(snapshotId),
  );
  return {
    server: {
      id: serverId,
      name: response.server?.name ?? snapshot.server.name ?? null,
      status: response.server?.status ?? "restoring",
    },
    snapshot,
    message: response.message ?? null,
    startedAt,
  };
}

export async function startBackupRestore(
  deps: RestoreDeps,
  client: VpsOrgClient,
  serverId: Id,
  backupId: Id,
  { sourceTimeoutMs = BACKUPS.defaultWaitMs, adoptRunning = false }: StartOptions = {},
): Promise<StartedRestore> {
  let backup = await client.backups.get(backupId, { serverId });
  if (!backup) throw new RestoreRejectedError(`backup ${backupId} does not exist on server ${serverId}.`);
  backup = await readySource("backup", backup, () =>
    waitForBackup(deps.poller, client, serverId, backupId, { timeoutMs: sourceTimeoutMs }),
  );
  const startedAt = new Date().toISOString();
  const response = await rejectionExplained(deps, client, serverId, adoptRunning, () =>
    client.servers.restore(serverId, { backupId }),
  );
  return {
    server: {
      id: serverId,
      name: response.server?.name ?? backup.server.name ?? null,
      status: response.server?.status ?? "restoring",
    },
    backup,
    message: response.message ?? null,
    startedAt,
  };
}

/**
 * Restores the snapshot's server from the snapshot: ALL current data on the server is overwritten.
 * Waits for a snapshot still `in_progress` first; with `wait`, also until the server is back.
 */
export async function restoreFromSnapshot(client: VpsOrgClient, snapshotId: Id, options: RestoreOptions = {}) {
  const deps = scriptDeps(options);
  const started = await startSnapshotRestore(deps, client, snapshotId, { sourceTimeoutMs: options.sourceTimeoutMs });
  return await finish(deps, client, started, options);
}

/** Restores a server from one of its backups: ALL current data on the server is overwritten. */
export async function restoreFromBackup(
  client: VpsOrgClient,
  serverId: Id,
  backupId: Id,
  options: RestoreOptions = {},
) {
  const deps = scriptDeps(options);
  const started = await startBackupRestore(deps, client, serverId, backupId, {
    sourceTimeoutMs: options.sourceTimeoutMs,
  });
  return await finish(deps, client, started, options);
}

/** A script's call: its own poller (unless given one) and registry, with the VPSORG_* settings. */
function scriptDeps(options: RestoreOptions): RestoreDeps {
  const settings = settingsFromEnv(process.env);
  const poller =
    options.poller ??
    new Poller(new ListCosts(), { poll: settings.poll, progressIntervalMs: settings.progressIntervalMs });
  return { poller, restores: new RestoresInProgress(), reconcileMs: settings.reconcileMs };
}

async function finish(
  deps: RestoreDeps,
  client: VpsOrgClient,
  started: StartedRestore,
  options: RestoreOptions,
): Promise<RestoreResult> {
  if (!options.wait) return { ...started, finishedAt: null };
  const timeoutMs = (typeof options.wait === "object" && options.wait.timeoutMs) || RESTORE_DEFAULT_WAIT_MS;
  const server = await waitForRestore(deps.poller, client, started.server.id, { timeoutMs }).finally(() =>
    deps.restores.ended(client, started.server.id),
  );
  return {
    ...started,
    server: { id: server.id, name: server.name ?? started.server.name, status: server.status },
    finishedAt: new Date().toISOString(),
  };
}

async function readySource<T extends Snapshot | Backup>(kind: string, source: T, wait: () => Promise<T>): Promise<T> {
  if (source.status === "completed") return source;
  if (source.status !== "in_progress") {
    throw new JobFailedError(
      `cannot restore from ${kind} ${source.id}: its status is "${source.status}".`,
      source.status,
    );
  }
  return await wait();
}

/**
 * Starts the restore, never twice. A lost answer is settled by looking at the server: `restoring`
 * means the POST took effect. A 400 means the server is not in a state to be restored: say which
 * server and which state.
 */
async function rejectionExplained(
  deps: RestoreDeps,
  client: VpsOrgClient,
  serverId: Id,
  adoptRunning: boolean,
  start: () => Promise<RestoreResponse>,
): Promise<RestoreResponse> {
  const { restores } = deps;
  try {
    const response = await start();
    restores.started(client, serverId);
    return response;
  } catch (error) {
    if (mayHaveActed(error)) return await settleLostAnswer(deps, client, serverId, error as Error);
    if (error instanceof NotFoundError) {
      throw new RestoreRejectedError(`the restore source was not found: ${error.serverMessage || error.message}`);
    }
    if (!(error instanceof BadRequestError)) throw error;
    const server = await client.servers.get(serverId).catch(() => undefined);
    if (adoptRunning && server?.status === "restoring" && !restores.has(client, serverId)) {
      restores.started(client, serverId);
      return { server: { id: server.id, name: server.name, status: "restoring" }, message: ADOPTED };
    }
    const state = server ? `its status is "${server.status}"` : "its status could not be read";
    const busyHere = restores.has(client, serverId) ? " (another restore of this stack is restoring it)" : "";
    throw new RestoreRejectedError(
      `server ${serverId}${server?.name ? ` (${server.name})` : ""} cannot be restored now: ${state}${busyHere}. ` +
        `The API said: ${(error.serverMessage || "bad request").replace(/\.+$/, "")}. Wait until the server is ` +
        `active, then run again.`,
    );
  }
}

/**
 * The answer to a restore POST was lost: the server says whether it started (`restoring`). It is
 * asked patiently, through an API that may be down for a while; the POST is never sent again.
 */
async function settleLostAnswer(
  deps: RestoreDeps,
  client: VpsOrgClient,
  serverId: Id,
  postError: Error,
): Promise<RestoreResponse> {
  const server = await askPatiently(() => client.servers.get(serverId), {
    budgetMs: deps.reconcileMs,
    giveUp: (error) =>
      new RestoreRejectedError(
        `The answer to the restore of server ${serverId} was lost (${postError.message}) and VPS.org could not be ` +
          `asked whether it started (${error.message}). A restore may be running: check the server's status in the ` +
          `VPS.org panel before running \`pulumi up\` again (while it is "restoring", the next \`up\` waits for it).`,
      ),
  });
  if (server.status === "restoring") {
    deps.restores.started(client, serverId);
    return { server: { id: server.id, name: server.name, status: "restoring" } };
  }
  throw new RestoreRejectedError(
    `VPS.org did not answer the restore of server ${serverId} (${postError.message}), and the server is ` +
      `"${server.status}", not restoring: no restore is running (one that started has already ended). Check the ` +
      `server, then run \`pulumi up\` again.`,
  );
}

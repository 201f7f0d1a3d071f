// Waiting for a backup or snapshot job to finish, and for a server to come back from a restore.
// All of it goes through the shared poller, so waiters on one server share its list requests.

import type { VpsOrgClient } from "../client/client";
import { JobFailedError, WaitTimeoutError } from "../client/errors";
import type { Backup, Id, Server, Snapshot } from "../client/schemas";
import { sharedPoller, type Verdict } from "./poller";

/** Statuses that end a job badly. `failed` is this project's reading; the others are tolerated. */
export const FAILED_JOB_STATUSES = new Set(["failed", "error", "errored", "cancelled", "canceled"]);

/** A waited-for object is declared gone only after this many lists in a row without it. */
const MISSES_BEFORE_GONE = 3;

export interface WaitOptions {
  timeoutMs: number;
}

export type JobKind = "snapshot" | "backup";

export function waitForSnapshot(client: VpsOrgClient, serverId: Id, id: Id, options: WaitOptions): Promise<Snapshot> {
  return waitForJob(client, "snapshot", serverId, id, options) as Promise<Snapshot>;
}

export function waitForBackup(client: VpsOrgClient, serverId: Id, id: Id, options: WaitOptions): Promise<Backup> {
  return waitForJob(client, "backup", serverId, id, options) as Promise<Backup>;
}

/** Resolves with the object once `completed`; rejects with JobFailedError or WaitTimeoutError. */
export function waitForJob(
  client: VpsOrgClient,
  kind: JobKind,
  serverId: Id,
  id: Id,
  { timeoutMs }: WaitOptions,
): Promise<Snapshot | Backup> {
  const fetch =
    kind === "snapshot" ? () => client.snapshots.list({ serverId }) : () => client.backups.list({ serverId });
  let misses = 0;
  let lastStatus = "unknown";
  const judge = (items: Array<Snapshot | Backup>): Verdict<Snapshot | Backup> => {
    const item = items.find((candidate) => String(candidate.id) === String(id));
    if (!item) {
      misses++;
      if (misses < MISSES_BEFORE_GONE) return undefined;
      return { fail: new JobFailedError(`${kind} ${id} of server ${serverId} no longer exists (it was deleted).`) };
    }
    misses = 0;
    lastStatus = item.status;
    if (item.status === "completed") return { done: item };
    if (FAILED_JOB_STATUSES.has(item.status)) {
      return { fail: new JobFailedError(`${kind} ${id} of server ${serverId} ended with status "${item.status}".`) };
    }
    return undefined; // in_progress, or a status the docs do not name: keep waiting
  };
  return sharedPoller().wait(`${client.accountKey}|${kind}s|server=${serverId}`, fetch, judge, {
    timeoutMs,
    onTimeout: () =>
      new WaitTimeoutError(
        `${kind} ${id} of server ${serverId} was still "${lastStatus}" after ${formatDuration(timeoutMs)}.`,
      ),
  });
}

/**
 * Waits for a server to leave `restoring`. `active` and `stopped` end the wait (the vendor
 * stops the server before a restore and does not say whether it starts it again); any other
 * status is a failed restore.
 */
export function waitForRestore(client: VpsOrgClient, serverId: Id, { timeoutMs }: WaitOptions): Promise<Server> {
  let lastStatus = "restoring";
  const judge = (servers: Server[]): Verdict<Server> => {
    const server = servers.find((candidate) => String(candidate.id) === String(serverId));
    if (!server) return { fail: new JobFailedError(`server ${serverId} no longer exists.`) };
    lastStatus = server.status;
    if (server.status === "restoring") return undefined;
    if (server.status === "active" || server.status === "stopped") return { done: server };
    return { fail: new JobFailedError(`the restore of server ${serverId} ended with the server "${server.status}".`) };
  };
  return sharedPoller().wait(`${client.accountKey}|servers`, () => client.servers.list(), judge, {
    timeoutMs,
    onTimeout: () =>
      new WaitTimeoutError(`server ${serverId} was still "${lastStatus}" after ${formatDuration(timeoutMs)}.`),
  });
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 100) / 10}s`;
}

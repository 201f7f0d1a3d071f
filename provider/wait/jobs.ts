// Waiting for a backup or snapshot job to finish, and for a server to come back from a restore.
// All of it goes through the poller (poller.ts), so every wait of an account shares its lists.

import type { VpsOrgClient } from "../client/client";
import { JobFailedError, WaitTimeoutError } from "../client/errors";
import type { Backup, Id, Server, Snapshot } from "../client/types";
import type { ListItem } from "./lists";
import { type Poller, sharedPoller, type Verdict } from "./poller";
import type { WaitProgress } from "./progress";

export type { WaitProgress } from "./progress";

/** Statuses that end a job badly. `failed` is this project's reading; the others are tolerated. */
export const FAILED_JOB_STATUSES = new Set(["failed", "error", "errored", "cancelled", "canceled"]);

/**
 * A waited-for object is declared gone only after this many lists in a row without it: a page that
 * shifted while it was read, or a list served by a lagging replica, must not end a wait.
 */
const MISSES_BEFORE_GONE = 3;

export interface WaitOptions {
  timeoutMs: number;
  /** Names the wait in progress lines (default: "snapshot 802 of server 12345"). */
  label?: string;
  /** Receives progress (about every 30 s of a long wait, and once at its end) instead of stderr. */
  onProgress?: (progress: WaitProgress) => void;
  /** The poller to wait in (default: the process's shared one). */
  poller?: Poller;
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
  { timeoutMs, label, onProgress, poller = sharedPoller() }: WaitOptions,
): Promise<Snapshot | Backup> {
  let misses = 0;
  let lastStatus = "not read yet";
  const judge = (items: ListItem[]): Verdict<Snapshot | Backup> => {
    const item = (items as Array<Snapshot | Backup>).find((candidate) => String(candidate.id) === String(id));
    if (!item) {
      misses++;
      if (misses < MISSES_BEFORE_GONE) return undefined;
      return { fail: new JobFailedError(`${kind} ${id} of server ${serverId} no longer exists (it was deleted).`) };
    }
    misses = 0;
    lastStatus = item.status;
    if (item.status === "completed") return { done: item };
    if (FAILED_JOB_STATUSES.has(item.status)) {
      return {
        fail: new JobFailedError(
          `${kind} ${id} of server ${serverId} ended with status "${item.status}".`,
          item.status,
        ),
      };
    }
    return undefined; // in_progress, or a status the docs do not name: keep waiting
  };
  return poller.watch(client, kind, serverId, judge, {
    timeoutMs,
    label: label ?? `${kind} ${id} of server ${serverId}`,
    status: () => lastStatus,
    onProgress,
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
export function waitForRestore(
  client: VpsOrgClient,
  serverId: Id,
  { timeoutMs, label, onProgress, poller = sharedPoller() }: WaitOptions,
): Promise<Server> {
  let lastStatus = "restoring";
  let misses = 0;
  const judge = (items: ListItem[]): Verdict<Server> => {
    const server = (items as Server[])[0];
    if (!server) {
      misses++;
      if (misses < MISSES_BEFORE_GONE) return undefined;
      return { fail: new JobFailedError(`server ${serverId} no longer exists.`) };
    }
    misses = 0;
    lastStatus = server.status;
    if (server.status === "restoring") return undefined;
    if (server.status === "active" || server.status === "stopped") return { done: server };
    return {
      fail: new JobFailedError(
        `the restore of server ${serverId} ended with the server "${server.status}".`,
        server.status,
      ),
    };
  };
  return poller.watch(client, "server", serverId, judge, {
    timeoutMs,
    label: label ?? `the restore of server ${serverId}`,
    status: () => lastStatus,
    onProgress,
    onTimeout: () =>
      new WaitTimeoutError(`server ${serverId} was still "${lastStatus}" after ${formatDuration(timeoutMs)}.`),
  });
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 100) / 10}s`;
}

// Waiting for a backup or snapshot job to finish, and for a server to come back from a restore.
// All of it goes through a poller (poller.ts), so every wait of an account shares its lists.
import type { VpsOrgClient } from "../client/client";
import { JobFailedError, WaitTimeoutError } from "../client/errors";
import type { Backup, Id, Server, Snapshot } from "../client/types";
import { formatDuration } from "../core/durations";
import { FAILED_JOB_STATUSES, type Job, type JobName, type ListItem, RESTORED_STATUSES } from "../kinds";
import type { Poller, Verdict } from "./poller";
import type { WaitProgress } from "./progress";

export type { WaitProgress } from "./progress";

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
  /** The account's name for progress lines, when it is not the default one (e.g. `account "prod"`). */
  account?: string;
  /** The resource waiting, for an engine that shows lines beside their resource. */
  urn?: string;
}

export function waitForSnapshot(
  poller: Poller,
  client: VpsOrgClient,
  serverId: Id,
  id: Id,
  options: WaitOptions,
): Promise<Snapshot> {
  return waitForJob(poller, client, "snapshot", serverId, id, options) as Promise<Snapshot>;
}

export function waitForBackup(
  poller: Poller,
  client: VpsOrgClient,
  serverId: Id,
  id: Id,
  options: WaitOptions,
): Promise<Backup> {
  return waitForJob(poller, client, "backup", serverId, id, options) as Promise<Backup>;
}

const CANCELLED = "when the update was cancelled";

/** Resolves with the object once `completed`; rejects with JobFailedError or WaitTimeoutError. */
export function waitForJob(
  poller: Poller,
  client: VpsOrgClient,
  kind: JobName,
  serverId: Id,
  id: Id,
  { timeoutMs, label, onProgress, account, urn }: WaitOptions,
): Promise<Job> {
  let misses = 0;
  let lastStatus = "not read yet";
  const judge = (items: ListItem[]): Verdict<Job> => {
    const item = (items as Job[]).find((candidate) => String(candidate.id) === String(id));
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
    account,
    urn,
    onTimeout: (cancelled) =>
      new WaitTimeoutError(
        `${kind} ${id} of server ${serverId} was still "${lastStatus}" ${cancelled ? CANCELLED : `after ${formatDuration(timeoutMs)}`}.`,
      ),
  });
}

/** Waits for a server to leave `restoring`; a status other than RESTORED_STATUSES is a failed restore. */
export function waitForRestore(
  poller: Poller,
  client: VpsOrgClient,
  serverId: Id,
  { timeoutMs, label, onProgress, account, urn }: WaitOptions,
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
    if (RESTORED_STATUSES.has(server.status)) return { done: server };
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
    account,
    urn,
    onTimeout: (cancelled) =>
      new WaitTimeoutError(
        `server ${serverId} was still "${lastStatus}" ${cancelled ? CANCELLED : `after ${formatDuration(timeoutMs)}`}.`,
      ),
  });
}

// What a kind of object is, said once: the resources, histories, waits, reads and lookups all read
// this registry instead of restating a kind's noun, limit, default wait, list or delete.
import type { VpsOrgClient } from "./client/client";
import { NotFoundError } from "./client/errors";
import type { Backup, Id, ListOptions, Server, Snapshot } from "./client/types";
import { backupFields, snapshotFields } from "./core/fields";

/** The provider kinds the serialized shims name in users' states: never rename or remove one. */
export type ProviderKind =
  "snapshot" | "backup" | "snapshotRestore" | "backupRestore" | "snapshotHistory" | "backupHistory";

export type JobName = "snapshot" | "backup";
export type Job = Snapshot | Backup;

/** A snapshot or a backup: the API's asynchronous objects ("jobs" while `in_progress`). */
export interface JobKind<T extends Job = Job> {
  name: JobName;
  /** The server's limit, and what it counts, for the limit's errors. */
  limit: number;
  limitNoun: string;
  countsTowardLimit(item: T): boolean;
  /** How long `up` waits for one to complete when nothing else is said (the vendor: minutes). */
  defaultWaitMs: number;
  /** The server's (or, without one, the account's) objects of this kind. */
  list(client: VpsOrgClient, serverId: Id | undefined, options?: ListOptions): Promise<T[]>;
  /** The DELETE itself; what a 404 proves is decided above (operations/proof.ts). */
  deleteRequest(client: VpsOrgClient, id: Id): Promise<void>;
  /** The object as resources' outputs and lookups' results show it. */
  fields(item: T): Record<string, unknown>;
}

export const SNAPSHOTS: JobKind<Snapshot> = {
  name: "snapshot",
  limit: 5,
  limitNoun: "snapshots",
  countsTowardLimit: () => true,
  defaultWaitMs: 30 * 60_000,
  list: (client, serverId, options) => client.snapshots.list({ serverId }, options),
  deleteRequest: (client, id) => client.snapshots.delete(id),
  fields: snapshotFields,
};

export const BACKUPS: JobKind<Backup> = {
  name: "backup",
  limit: 10,
  limitNoun: "manual backups",
  // Automatic backups come and go with the plan's retention: only manual ones count toward the 10.
  countsTowardLimit: (item) => item.backup_type === "manual",
  defaultWaitMs: 60 * 60_000,
  list: (client, serverId, options) => client.backups.list({ serverId }, options),
  deleteRequest: (client, id) => client.backups.delete(id),
  fields: backupFields,
};

/** Statuses that end a job badly. `failed` is this project's reading; the others are tolerated. */
export const FAILED_JOB_STATUSES: ReadonlySet<string> = new Set([
  "failed",
  "error",
  "errored",
  "cancelled",
  "canceled",
]);

/**
 * Server statuses that end a restore well: the vendor stops the server before a restore and does
 * not say whether it starts it again. Any status but these and `restoring` is a failed restore.
 */
export const RESTORED_STATUSES: ReadonlySet<string> = new Set(["active", "stopped"]);

/** How long `up` waits for a server to leave `restoring` (the vendor says 5 to 15 minutes). */
export const RESTORE_DEFAULT_WAIT_MS = 30 * 60_000;

/** The lists waits and reads are served from: a kind's objects, or the servers themselves. */
export type ListKind = JobName | "server";
export type ListItem = Job | Server;

export interface ListSource {
  /** Reads the list of one server (`serverId`), or the account's (`undefined`). */
  list(client: VpsOrgClient, serverId: string | undefined, options: ListOptions): Promise<ListItem[]>;
  /** The server an item belongs to, as text: a job's `server.id`, a server's own id. */
  ownerOf(item: ListItem): string;
}

export const LISTS: Record<ListKind, ListSource> = {
  snapshot: { list: (c, id, o) => SNAPSHOTS.list(c, id, o), ownerOf: (item) => String((item as Job).server?.id) },
  backup: { list: (c, id, o) => BACKUPS.list(c, id, o), ownerOf: (item) => String((item as Job).server?.id) },
  server: {
    // One server is read by its own GET (a 404 there: not visible); many by the account's pages.
    list: async (c, id, o) => {
      if (id === undefined) return c.servers.list({}, o);
      try {
        return [await c.servers.get(id, o)];
      } catch (error) {
        if (error instanceof NotFoundError) return []; // the API's own 404: this token does not see it
        throw error;
      }
    },
    ownerOf: (item) => String(item.id),
  },
};

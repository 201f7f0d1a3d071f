import type { HttpClient } from "../http";
import { backupSchema, pageSchema } from "../schemas";
import type { Backup, Id, ListOptions } from "../types";

export type BackupType = "manual" | "automatic";

export interface BackupListQuery {
  serverId?: Id;
  backupType?: BackupType;
}

/** `/backups/`: list, create (manual), delete. Restoring from a backup is on `servers`. */
export class Backups {
  constructor(private readonly http: HttpClient) {}

  async list(query: BackupListQuery = {}, options: ListOptions = {}): Promise<Backup[]> {
    return this.http.list(
      "/backups/",
      pageSchema(backupSchema),
      { server_id: query.serverId, backup_type: query.backupType },
      options,
    );
  }

  /** Starts a manual backup. The answer says `in_progress`; `waitForBackup` (pulumi-vpsorg/provider) waits for it. */
  async create(body: { serverId: Id; description?: string | null }): Promise<Backup> {
    return this.http.request("POST", "/backups/", backupSchema, {
      body: { server_id: body.serverId, ...(body.description != null ? { description: body.description } : {}) },
      retry: "unsent-only",
    });
  }

  async delete(id: Id): Promise<void> {
    await this.http.request("DELETE", `/backups/${encodeURIComponent(String(id))}/`, null, { retry: "safe" });
  }

  /**
   * One backup, or undefined. There is no single-backup GET in the documented API: this lists the
   * server's backups (or, without `serverId`, the account's) and finds the id.
   */
  async get(id: Id, options: { serverId?: Id } = {}): Promise<Backup | undefined> {
    if (typeof options !== "object" || options === null) {
      // Before 0.3.0 this was get(serverId, id): refuse that order rather than answer for the wrong id.
      throw new TypeError("backups.get takes (id, { serverId }) since pulumi-vpsorg 0.3.0, not (serverId, id).");
    }
    return (await this.list({ serverId: options.serverId })).find((b) => String(b.id) === String(id));
  }
}

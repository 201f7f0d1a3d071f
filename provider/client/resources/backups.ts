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

  /** Starts a manual backup. The answer says `in_progress`; see `waitFor` in provider/wait. */
  async create(body: { serverId: Id; description?: string | null }): Promise<Backup> {
    return this.http.request("POST", "/backups/", backupSchema, {
      body: { server_id: body.serverId, ...(body.description != null ? { description: body.description } : {}) },
      retry: "unsent-only",
    });
  }

  async delete(id: Id): Promise<void> {
    await this.http.request("DELETE", `/backups/${encodeURIComponent(String(id))}/`, null, { retry: "safe" });
  }

  /** There is no single-backup GET in the documented API: list the server's backups and find the id. */
  async get(serverId: Id, id: Id): Promise<Backup | undefined> {
    return (await this.list({ serverId })).find((b) => String(b.id) === String(id));
  }
}

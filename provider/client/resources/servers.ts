import type { HttpClient } from "../http";
import { pageSchema, restoreResponseSchema, serverSchema } from "../schemas";
import type { Id, ListOptions, RestoreResponse, Server } from "../types";

/** `/servers/`: the parts this provider needs (list, get, restore from a backup). */
export class Servers {
  constructor(private readonly http: HttpClient) {}

  async list(query: { status?: string; location?: string } = {}, options: ListOptions = {}): Promise<Server[]> {
    return await this.http.list(
      "/servers/",
      pageSchema(serverSchema),
      { status: query.status, location: query.location },
      options,
    );
  }

  /** One server (the path is in the vendor's tooling, not on its pages). A 404 means this token does not see it. */
  async get(id: Id, options: ListOptions = {}): Promise<Server> {
    const server = await this.http.request("GET", `/servers/${encodeURIComponent(String(id))}/`, serverSchema, {
      retry: "safe",
      priority: options.priority,
    });
    options.onPage?.();
    return server;
  }

  /** Starts a restore of the server from one of its backups: overwrites all data on it. */
  async restore(id: Id, body: { backupId: Id }): Promise<RestoreResponse> {
    return await this.http.request(
      "POST",
      `/servers/${encodeURIComponent(String(id))}/restore/`,
      restoreResponseSchema,
      {
        body: { backup_id: body.backupId },
        retry: "unsent-only",
      },
    );
  }
}

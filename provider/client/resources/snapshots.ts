import type { HttpClient } from "../http";
import { pageSchema, restoreResponseSchema, snapshotSchema } from "../schemas";
import type { Id, ListOptions, RestoreResponse, Snapshot } from "../types";

/** `/snapshots/`: list, create, restore, delete. */
export class Snapshots {
  constructor(private readonly http: HttpClient) {}

  async list(query: { serverId?: Id } = {}, options: ListOptions = {}): Promise<Snapshot[]> {
    return this.http.list("/snapshots/", pageSchema(snapshotSchema), { server_id: query.serverId }, options);
  }

  async create(body: { serverId: Id; name: string; description?: string | null }): Promise<Snapshot> {
    return this.http.request("POST", "/snapshots/", snapshotSchema, {
      body: {
        server_id: body.serverId,
        name: body.name,
        ...(body.description != null ? { description: body.description } : {}),
      },
      retry: "unsent-only",
    });
  }

  /** Starts a restore of the snapshot's server: overwrites all data on it. */
  async restore(id: Id): Promise<RestoreResponse> {
    return await this.http.request(
      "POST",
      `/snapshots/${encodeURIComponent(String(id))}/restore/`,
      restoreResponseSchema,
      {
        retry: "unsent-only",
      },
    );
  }

  async delete(id: Id): Promise<void> {
    await this.http.request("DELETE", `/snapshots/${encodeURIComponent(String(id))}/`, null, { retry: "safe" });
  }

  /**
   * One snapshot, or undefined. There is no single-snapshot GET in the documented API: this lists the
   * server's snapshots (or, without `serverId`, the account's) and finds the id.
   */
  async get(id: Id, { serverId }: { serverId?: Id } = {}): Promise<Snapshot | undefined> {
    return (await this.list({ serverId })).find((s) => String(s.id) === String(id));
  }
}

// Coalesced reads. `pulumi refresh` sends one `read` per resource at once, and every create looks
// at its server's list before it posts; each of them alone would list a server. Calls that arrive
// within a short window (VPSORG_READ_WINDOW_MS, default 25 ms) share one read per account and kind:
// one list per server asked for, or the account's pages when that is fewer requests (lists.ts).
// Answers are fresh: a batch is read after its window closes, and a call arriving once a batch has
// been sent waits for the next one, so no caller ever gets a list sent before it asked.
import type { VpsOrgClient } from "../client/client";
import type { Backup, Id, Server, Snapshot } from "../client/types";
import type { ListItem, ListKind } from "../kinds";
import { type ListCosts, readLists } from "./lists";

interface Caller {
  resolve(items: ListItem[]): void;
  reject(error: Error): void;
}

interface Batch {
  client: VpsOrgClient;
  callers: Map<string, Caller[]>;
}

/** The batches of one provider process (runtime.ts), with the costs they learn from and teach. */
export class ReadBatcher {
  readonly #open = new Map<string, Batch>();

  constructor(
    private readonly costs: ListCosts,
    /** How long a batch gathers calls before it is read. */
    private readonly windowMs: number,
  ) {}

  /** The server's snapshots or backups, or the server itself (`[]`: this token does not see it). */
  list(client: VpsOrgClient, kind: "snapshot", serverId: Id): Promise<Snapshot[]>;
  list(client: VpsOrgClient, kind: "backup", serverId: Id): Promise<Backup[]>;
  list(client: VpsOrgClient, kind: "server", serverId: Id): Promise<Server[]>;
  list(client: VpsOrgClient, kind: ListKind, serverId: Id): Promise<ListItem[]>;
  list(client: VpsOrgClient, kind: ListKind, serverId: Id): Promise<ListItem[]> {
    const key = `${client.accountKey}|${kind}`;
    let batch = this.#open.get(key);
    if (!batch) {
      const fresh: Batch = { client, callers: new Map() };
      this.#open.set(key, fresh);
      setTimeout(() => void this.#send(key, kind, fresh), this.windowMs);
      batch = fresh;
    }
    const group = String(serverId);
    return new Promise((resolve, reject) => {
      const callers = batch.callers.get(group);
      if (callers) callers.push({ resolve, reject });
      else batch.callers.set(group, [{ resolve, reject }]);
    });
  }

  async #send(key: string, kind: ListKind, batch: Batch) {
    if (this.#open.get(key) === batch) this.#open.delete(key); // from here on, callers wait for the next batch
    const groups = [...batch.callers.keys()];
    try {
      const { byServer } = await readLists(this.costs, batch.client, kind, groups);
      for (const [group, callers] of batch.callers) {
        const items = byServer.get(group) ?? [];
        for (const caller of callers) {
          if (items instanceof Error) caller.reject(items);
          else caller.resolve([...items]);
        }
      }
    } catch (error) {
      for (const callers of batch.callers.values()) for (const caller of callers) caller.reject(error as Error);
    }
  }
}

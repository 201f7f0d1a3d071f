// Coalesced reads. `pulumi refresh` sends one `read` per resource at once, and every create looks
// at its server's list before it posts; each of them alone would list a server. Calls that arrive
// within a short window (VPSORG_READ_WINDOW_MS, default 25 ms) share one read per account and kind:
// one list per server asked for, or the account's pages when that is fewer requests (lists.ts).
// Answers are fresh: a batch is read after its window closes, and a call arriving once a batch has
// been sent waits for the next one, so no caller ever gets a list sent before it asked.
import type { VpsOrgClient } from "../client/client";
import { bounded, numberFromEnv } from "../client/config";
import type { Backup, Snapshot } from "../client/types";
import { readLists } from "./lists";

/** Longest accepted window: a read is a user waiting. */
export const MAX_READ_WINDOW_MS = 1_000;
export const DEFAULT_READ_WINDOW_MS = 25;

interface Caller {
  resolve(items: Snapshot[] | Backup[]): void;
  reject(error: Error): void;
}

interface Batch {
  client: VpsOrgClient;
  callers: Map<string, Caller[]>;
}

const open = new Map<string, Batch>();

/** The window from VPSORG_READ_WINDOW_MS, bounded to 0 ... 1 s. */
export function readWindowMs(env: NodeJS.ProcessEnv = process.env): number {
  return bounded(numberFromEnv(env.VPSORG_READ_WINDOW_MS), 0, MAX_READ_WINDOW_MS, DEFAULT_READ_WINDOW_MS);
}

/** The server's snapshots or backups, read together with every other call of the same window. */
export function listOnServer(client: VpsOrgClient, kind: "snapshot", serverId: number): Promise<Snapshot[]>;
export function listOnServer(client: VpsOrgClient, kind: "backup", serverId: number): Promise<Backup[]>;
export function listOnServer(
  client: VpsOrgClient,
  kind: "snapshot" | "backup",
  serverId: number,
): Promise<Snapshot[] | Backup[]> {
  const key = `${client.accountKey}|${kind}`;
  let batch = open.get(key);
  if (!batch) {
    const fresh: Batch = { client, callers: new Map() };
    open.set(key, fresh);
    setTimeout(() => void send(key, kind, fresh), readWindowMs());
    batch = fresh;
  }
  const group = String(serverId);
  return new Promise((resolve, reject) => {
    const callers = batch.callers.get(group);
    if (callers) callers.push({ resolve, reject });
    else batch.callers.set(group, [{ resolve, reject }]);
  });
}

async function send(key: string, kind: "snapshot" | "backup", batch: Batch) {
  if (open.get(key) === batch) open.delete(key); // from here on, callers wait for the next batch
  const groups = [...batch.callers.keys()];
  try {
    const { byServer } = await readLists(batch.client, kind, groups);
    for (const [group, callers] of batch.callers) {
      const items = byServer.get(group) ?? [];
      for (const caller of callers) {
        if (items instanceof Error) caller.reject(items);
        else caller.resolve([...items] as Snapshot[] | Backup[]);
      }
    }
  } catch (error) {
    for (const callers of batch.callers.values()) for (const caller of callers) caller.reject(error as Error);
  }
}

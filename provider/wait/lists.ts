// Reading the lists that waits and coalesced reads need, at the fewest requests. There is no
// single-item GET, so a snapshot or backup is found in a list: either one list per server
// (`?server_id=`), or the account-wide list (pages of up to 100). Which is cheaper depends on the
// account, so every read is counted in pages and the next plan is made from what was learnt.
import type { VpsOrgClient } from "../client/client";
import type { Backup, Server, Snapshot } from "../client/types";

export type ListKind = "snapshot" | "backup" | "server";
export type ListItem = Snapshot | Backup | Server;
export type ListScope = "account" | "servers";

export interface ListPlan {
  scope: ListScope;
  /** Estimated requests (pages). */
  cost: number;
}

export interface ListResult {
  /** The items of each server asked for (an empty list when it has none), or why it could not be read. */
  byServer: Map<string, ListItem[] | Error>;
  scope: ListScope;
  /** Requests (pages) the read took, failed ones included as one. */
  requests: number;
}

interface CostBook {
  /** Pages the account-wide list took when last read, and when. */
  account?: { pages: number; at: number };
  /** Pages each server's list took when last read (1 when never read). */
  servers: Map<string, number>;
}

/** An account's size changes; an estimate of the account-wide list is trusted this long. */
const ACCOUNT_ESTIMATE_TTL_MS = 10 * 60_000;
/** Bounds on what is remembered, so a long-lived process does not grow without end. */
const MAX_BOOKS = 1_000;
const MAX_SERVERS_PER_BOOK = 10_000;
/** Per-server lists of one read run at most this many at a time (the rate limiter paces them further). */
const PER_SERVER_CONCURRENCY = 8;

const books = new Map<string, CostBook>();

function bookFor(client: VpsOrgClient, kind: ListKind): CostBook {
  const key = `${client.accountKey}|${kind}`;
  let book = books.get(key);
  if (!book) {
    if (books.size >= MAX_BOOKS) books.delete(books.keys().next().value as string);
    book = { servers: new Map() };
    books.set(key, book);
  }
  return book;
}

/** The cheaper way to read these servers' lists. */
export function planLists(client: VpsOrgClient, kind: ListKind, serverIds: readonly string[], now = Date.now()) {
  const book = bookFor(client, kind);
  const known = book.account && now - book.account.at < ACCOUNT_ESTIMATE_TTL_MS ? book.account.pages : undefined;
  // The servers list is account-wide: there is nothing per server to choose.
  if (kind === "server") return { scope: "account", cost: known ?? 1 } satisfies ListPlan;
  const perServer = serverIds.reduce((sum, id) => sum + (book.servers.get(id) ?? 1), 0);
  // Never read (or long ago): assume one page, which tries the account-wide list as soon as two
  // servers are waited on, and learns its real cost from that one read.
  const account = known ?? 1;
  if (account < perServer || (account === perServer && serverIds.length > 1)) {
    return { scope: "account", cost: account } satisfies ListPlan;
  }
  return { scope: "servers", cost: perServer } satisfies ListPlan;
}

/** Reads the lists of these servers (ids as text) by `plan`, learning what it cost. */
export async function readLists(
  client: VpsOrgClient,
  kind: ListKind,
  serverIds: readonly string[],
  plan: ListPlan = planLists(client, kind, serverIds),
): Promise<ListResult> {
  const book = bookFor(client, kind);
  const byServer = new Map<string, ListItem[] | Error>();
  if (plan.scope === "account") {
    let pages = 0;
    try {
      const items = await listOf(client, kind, undefined, () => pages++);
      book.account = { pages: Math.max(1, pages), at: Date.now() };
      const grouped = new Map<string, ListItem[]>();
      for (const item of items) {
        const key = ownerOf(kind, item);
        const group = grouped.get(key);
        if (group) group.push(item);
        else grouped.set(key, [item]);
      }
      for (const id of serverIds) byServer.set(id, grouped.get(id) ?? []);
    } catch (error) {
      for (const id of serverIds) byServer.set(id, error as Error);
    }
    return { byServer, scope: "account", requests: Math.max(1, pages) };
  }
  let requests = 0;
  const queue = [...serverIds];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      let pages = 0;
      try {
        const items = await listOf(client, kind, id, () => pages++);
        if (book.servers.size >= MAX_SERVERS_PER_BOOK) book.servers.clear();
        book.servers.set(id, Math.max(1, pages));
        // A server that ignored `server_id` would answer everything: keep only this server's items.
        byServer.set(
          id,
          items.filter((item) => ownerOf(kind, item) === id),
        );
      } catch (error) {
        byServer.set(id, error as Error);
      }
      requests += Math.max(1, pages);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PER_SERVER_CONCURRENCY, queue.length) }, worker));
  return { byServer, scope: "servers", requests };
}

function listOf(client: VpsOrgClient, kind: ListKind, serverId: string | undefined, onPage: () => void) {
  const query = serverId === undefined ? {} : { serverId };
  // Each of these lists serves many waits or reads: behind a busy rate limiter they go first.
  const options = { onPage, priority: "high" as const };
  if (kind === "snapshot") return client.snapshots.list(query, options);
  if (kind === "backup") return client.backups.list(query, options);
  return client.servers.list({}, options);
}

/** The server an item belongs to, as text: a job's `server.id`, a server's own id. */
function ownerOf(kind: ListKind, item: ListItem): string {
  return kind === "server" ? String(item.id) : String((item as Snapshot | Backup).server?.id);
}

/** Forgets every learnt cost (for tests). */
export function resetListCosts(): void {
  books.clear();
}

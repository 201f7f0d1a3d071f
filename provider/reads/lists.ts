// Reading the lists that waits and coalesced reads need, at the fewest requests. There is no
// single-item GET, so a snapshot or backup is found in a list: either one list per server
// (`?server_id=`), or the account-wide list (pages of up to 100). Which is cheaper depends on the
// account, so every read is counted in pages (ListCosts) and the next plan is made from what was learnt.
import type { VpsOrgClient } from "../client/client";
import { type ListItem, type ListKind, LISTS } from "../kinds";

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

/** What each account's lists cost when last read, per kind: one per provider process (runtime.ts). */
export class ListCosts {
  readonly #books = new Map<string, CostBook>();

  book(accountKey: string, kind: ListKind): CostBook {
    const key = `${accountKey}|${kind}`;
    let book = this.#books.get(key);
    if (!book) {
      if (this.#books.size >= MAX_BOOKS) this.#books.delete(this.#books.keys().next().value as string);
      book = { servers: new Map() };
      this.#books.set(key, book);
    }
    return book;
  }
}

/** The cheaper way to read these servers' lists, by what `costs` learnt of this account. */
export function planLists(
  costs: ListCosts,
  client: VpsOrgClient,
  kind: ListKind,
  serverIds: readonly string[],
  now = Date.now(),
): ListPlan {
  const book = costs.book(client.accountKey, kind);
  const known = book.account && now - book.account.at < ACCOUNT_ESTIMATE_TTL_MS ? book.account.pages : undefined;
  // Servers: one server's own GET is not on the vendor's pages, so it is used only when strictly cheaper.
  return choosePlan(
    known,
    serverIds.map((id) => book.servers.get(id)),
    kind === "server" ? "account" : "servers",
  );
}

/**
 * The rule itself: the account's pages (`accountPages`, undefined when unknown) against the sum of
 * each server's pages (undefined: never read, taken as one). An unknown account is taken as one
 * page, which tries the account-wide list as soon as two servers are asked for, and learns its
 * real cost from that one read. A tie with one server goes to `tie`; with several, to the account.
 */
export function choosePlan(
  accountPages: number | undefined,
  serverPages: ReadonlyArray<number | undefined>,
  tie: ListScope = "servers",
): ListPlan {
  const perServer = serverPages.reduce<number>((sum, pages) => sum + (pages ?? 1), 0);
  const account = accountPages ?? 1;
  if (account < perServer || (account === perServer && (serverPages.length > 1 || tie === "account"))) {
    return { scope: "account", cost: account };
  }
  return { scope: "servers", cost: perServer };
}

/** Reads the lists of these servers (ids as text) by `plan`, noting in `costs` what it took. */
export async function readLists(
  costs: ListCosts,
  client: VpsOrgClient,
  kind: ListKind,
  serverIds: readonly string[],
  plan: ListPlan = planLists(costs, client, kind, serverIds),
): Promise<ListResult> {
  const book = costs.book(client.accountKey, kind);
  const source = LISTS[kind];
  // Each of these lists serves many waits or reads: behind a busy rate limiter they go first.
  const options = (onPage: () => void) => ({ onPage, priority: "high" as const });
  const byServer = new Map<string, ListItem[] | Error>();
  if (plan.scope === "account") {
    let pages = 0;
    try {
      const items = await source.list(
        client,
        undefined,
        options(() => pages++),
      );
      book.account = { pages: Math.max(1, pages), at: Date.now() };
      const grouped = new Map<string, ListItem[]>();
      for (const item of items) {
        const key = source.ownerOf(item);
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
        const items = await source.list(
          client,
          id,
          options(() => pages++),
        );
        if (book.servers.size >= MAX_SERVERS_PER_BOOK) book.servers.clear();
        book.servers.set(id, Math.max(1, pages));
        // A server that ignored `server_id` would answer everything: keep only this server's items.
        byServer.set(
          id,
          items.filter((item) => source.ownerOf(item) === id),
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

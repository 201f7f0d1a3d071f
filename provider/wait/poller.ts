// One poll per account serves every wait in the process. A wait joins its account's hub with the
// list it needs (a server's snapshots or backups, or the servers); each tick of the hub reads, per
// kind, whichever costs fewer requests (the account-wide pages or one list per server with
// waiters, see reads/lists.ts) and shows every waiter its own server's items. When ticks come is
// schedule.ts's; a waiter costs a deadline timer and a few objects, the hub one timer.
import type { VpsOrgClient } from "../client/client";
import { isRetryable } from "../client/errors";
import type { ListItem, ListKind } from "../kinds";
import { type ListCosts, type ListPlan, type ListResult, planLists, readLists } from "../reads/lists";
import { boundedProgressMs, normalizePoll, type PollSettings } from "../settings";
import { type BoardEntry, ProgressBoard, type WaitProgress, type WriteLine } from "./progress";
import { checkByOf, firstCheckDelay, jittered, nextTickAt, pollInterval } from "./schedule";
import { type SafeTimer, safeTimeout } from "./timers";

/** One list read of a tick: which kind, read how, at how many requests (benchmarks, tests). */
export interface PollRead {
  kind: string;
  scope: "account" | "servers";
  requests: number;
  /** Servers with waiters. */
  servers: number;
}

export interface PollerOptions {
  /** The schedule's settings (VPSORG_POLL_*); what is left out takes its default. */
  poll?: Partial<PollSettings>;
  /** A wait running longer than this writes a progress line this often; 0 = never (default 30 s). */
  progressIntervalMs?: number;
  /** What the lists cost, learnt and shared with the coalesced reads (default: a book of its own). */
  costs?: ListCosts;
  /** Where progress lines go, with the resource they are about when known (default: stderr). */
  write?: WriteLine;
  /** Told of every list read of a tick. */
  onRead?: (read: PollRead) => void;
}

/** What a waiter says of one look at its list: done with a value, failed, or keep waiting. */
export type Verdict<R> = { done: R } | { fail: Error } | undefined;

export interface WatchOptions {
  timeoutMs: number;
  /** The error of a wait that ends unfinished: its deadline passed, or (`cancelled`) the engine cancelled it. */
  onTimeout: (cancelled?: boolean) => Error;
  /** What is waited for, for progress lines ("snapshot 802 of server 12345"). */
  label: string;
  /** The status last seen, for progress lines. */
  status: () => string;
  /** Receives progress instead of stderr. */
  onProgress?: (progress: WaitProgress) => void;
  /** The account's name for progress lines, when it is not the default one. */
  account?: string;
  /** The resource waiting, for an engine that shows lines beside their resource (the plugin's). */
  urn?: string;
}

interface Waiter {
  group: string;
  /** Order of joining: a list sent before a waiter joined is not shown to it (it may predate its object). */
  seq: number;
  /** Look at it by then (9/10 of its timeout), whatever the hub's interval; Infinity once a tick included it. */
  checkBy: number;
  judge(items: ListItem[]): Verdict<unknown>;
  settle(outcome: { value: unknown } | { error: Error }): void;
  /** Ends the wait unfinished, as its deadline would. */
  cancel(): void;
}

interface Feed {
  plan(groups: string[]): ListPlan;
  read(groups: string[], plan: ListPlan): Promise<ListResult>;
  waiters: Map<string, Set<Waiter>>;
}

interface Hub {
  key: string;
  feeds: Map<string, Feed>;
  size: number;
  timer: SafeTimer | undefined;
  nextAt: number;
  ticking: boolean;
  /** When the last tick started (undefined before the first). */
  lastTickAt: number | undefined;
}

/** The waits of one provider process (runtime.ts), or of one script's calls. */
export class Poller {
  readonly settings: PollSettings;
  readonly progressIntervalMs: number;
  /** Ticks run, over every account. */
  ticks = 0;
  readonly #costs: ListCosts;
  readonly #write: WriteLine;
  readonly #onRead: (read: PollRead) => void;
  readonly #hubs = new Map<string, Hub>();
  readonly #board: ProgressBoard;
  #seq = 0;

  constructor(costs: ListCosts, options: Omit<PollerOptions, "costs"> = {}) {
    this.settings = normalizePoll(options.poll);
    this.progressIntervalMs = boundedProgressMs(options.progressIntervalMs);
    this.#costs = costs;
    this.#write = options.write ?? ((line) => void process.stderr.write(`${line}\n`));
    this.#onRead = options.onRead ?? (() => {});
    this.#board = new ProgressBoard(this.progressIntervalMs, this.#write);
  }

  /**
   * Waits until `judge` gives a verdict on the items of `serverId` (for kind "server": the server
   * itself, or nothing). Waiters of one account share its hub, whatever client object they hold.
   */
  watch<R>(
    client: VpsOrgClient,
    kind: ListKind,
    serverId: string | number,
    judge: (items: ListItem[]) => Verdict<R>,
    options: WatchOptions,
  ): Promise<R> {
    const hub = this.#hub(client.accountKey);
    let feed = hub.feeds.get(kind);
    if (!feed) {
      // Any client of the account reads the same lists: the first waiter's serves the hub.
      feed = {
        plan: (groups) => planLists(this.#costs, client, kind, groups),
        read: (groups, plan) => readLists(this.#costs, client, kind, groups, plan),
        waiters: new Map(),
      };
      hub.feeds.set(kind, feed);
    }
    return this.#join<R>(hub, feed, kind, String(serverId), judge as (items: ListItem[]) => Verdict<unknown>, options);
  }

  /**
   * Ends every wait in progress as its deadline would (the engine cancelled the update: Ctrl-C):
   * each resource records what it waited for with its id, and the next `up` resumes the wait.
   * Answers how many waits it ended.
   */
  cancelAll(): number {
    const waiters = [...this.#hubs.values()].flatMap((hub) =>
      [...hub.feeds.values()].flatMap((feed) => [...feed.waiters.values()].flatMap((set) => [...set])),
    );
    for (const waiter of waiters) waiter.cancel();
    return waiters.length;
  }

  #hub(key: string): Hub {
    let hub = this.#hubs.get(key);
    if (!hub) {
      hub = { key, feeds: new Map(), size: 0, timer: undefined, nextAt: 0, ticking: false, lastTickAt: undefined };
      this.#hubs.set(key, hub);
    }
    return hub;
  }

  #join<R>(
    hub: Hub,
    feed: Feed,
    kind: ListKind,
    group: string,
    judge: (items: ListItem[]) => Verdict<unknown>,
    options: WatchOptions,
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const now = Date.now();
      const watched: BoardEntry = {
        label: options.label,
        kind,
        server: group,
        hub: hub.key,
        account: options.account,
        urn: options.urn,
        status: options.status,
        startedAt: now,
        onProgress: options.onProgress,
      };
      let settled = false;
      const waiter: Waiter = {
        group,
        seq: ++this.#seq,
        checkBy: checkByOf(now, options.timeoutMs),
        judge,
        settle: (outcome) => {
          if (settled) return;
          settled = true;
          deadline.cancel();
          const set = feed.waiters.get(group);
          set?.delete(waiter);
          if (set?.size === 0) feed.waiters.delete(group);
          hub.size--;
          if (hub.size === 0 && !hub.ticking) this.#retire(hub);
          this.#board.end(watched, "error" in outcome ? { error: outcome.error } : {});
          if ("value" in outcome) resolve(outcome.value as R);
          else reject(outcome.error);
        },
        cancel: () => waiter.settle({ error: options.onTimeout(true) }),
      };
      let set = feed.waiters.get(group);
      if (!set) feed.waiters.set(group, (set = new Set()));
      set.add(waiter);
      hub.size++;
      this.#board.add(watched);
      const deadline = safeTimeout(() => waiter.settle({ error: options.onTimeout() }), options.timeoutMs);
      this.#wake(hub, waiter.checkBy);
    });
  }

  /**
   * A waiter joined: start the hub, or bring its next tick forward if more waiters mean a shorter
   * interval, or if the waiter must be looked at sooner (`checkBy`: every wait is looked at before
   * its deadline, however short its timeout, "10s" with a 19 s first check).
   */
  #wake(hub: Hub, checkBy: number) {
    if (hub.ticking) return; // the tick schedules the next one when it ends (#next counts checkBy)
    const now = Date.now();
    if (!hub.timer) {
      this.#schedule(hub, Math.min(now + firstCheckDelay(this.settings, Math.random()), checkBy));
      return;
    }
    let due = checkBy;
    if (hub.lastTickAt !== undefined) {
      const interval = jittered(this.#interval(hub), this.settings.jitter, Math.random());
      due = Math.min(due, Math.max(now, hub.lastTickAt + interval));
    }
    if (due < hub.nextAt) this.#schedule(hub, due);
  }

  #schedule(hub: Hub, at: number) {
    hub.timer?.cancel();
    hub.nextAt = at;
    hub.timer = safeTimeout(() => void this.#tick(hub), Math.max(0, at - Date.now()));
  }

  /** The interval for this hub now: see pollInterval. */
  #interval(hub: Hub): number {
    let cost = 0;
    for (const feed of hub.feeds.values()) if (feed.waiters.size > 0) cost += feed.plan([...feed.waiters.keys()]).cost;
    return pollInterval(this.settings, hub.size, cost);
  }

  /** The next tick of `hub`, after one planned for `plannedAt` that started at `startedAt`. */
  #next(hub: Hub, plannedAt: number, startedAt: number): number {
    // A waiter that joined while this tick's lists were in flight was not in them: its checkBy counts.
    const checkBys: number[] = [];
    for (const feed of hub.feeds.values()) {
      for (const waiters of feed.waiters.values()) for (const waiter of waiters) checkBys.push(waiter.checkBy);
    }
    const tick = { interval: this.#interval(hub), plannedAt, startedAt, now: Date.now(), random: Math.random() };
    return nextTickAt(this.settings, tick, checkBys);
  }

  async #tick(hub: Hub) {
    hub.timer = undefined;
    hub.ticking = true;
    this.ticks++;
    const startedAt = Date.now();
    const plannedAt = hub.nextAt;
    const seq = ++this.#seq;
    hub.lastTickAt = startedAt;
    try {
      await Promise.all(
        [...hub.feeds.entries()].map(async ([kind, feed]) => {
          if (feed.waiters.size === 0) return;
          const groups = [...feed.waiters.keys()];
          const result = await feed.read(groups, feed.plan(groups)).catch((error: Error): ListResult => ({
            byServer: new Map(groups.map((group) => [group, error])),
            scope: "account",
            requests: 0,
          }));
          this.#onRead({ kind, scope: result.scope, requests: result.requests, servers: groups.length });
          for (const [group, items] of result.byServer) {
            for (const waiter of [...(feed.waiters.get(group) ?? [])]) {
              if (waiter.seq > seq) continue;
              this.#show(waiter, items);
            }
          }
        }),
      );
    } finally {
      hub.ticking = false;
      if (hub.size === 0) this.#retire(hub);
      else this.#schedule(hub, this.#next(hub, plannedAt, startedAt));
    }
  }

  #show(waiter: Waiter, items: ListItem[] | Error) {
    waiter.checkBy = Number.POSITIVE_INFINITY; // looked at, even if the read failed (no tick at once after it)
    if (items instanceof Error) {
      // A passing fault (the client already retried, a 429 included) waits for the next tick;
      // anything else (a revoked token, a 404) will not get better, so the waiter hears of it now.
      if (!isRetryable(items)) waiter.settle({ error: items });
      return;
    }
    let verdict: Verdict<unknown>;
    try {
      verdict = waiter.judge(items);
    } catch (error) {
      verdict = { fail: error as Error };
    }
    if (verdict && "done" in verdict) waiter.settle({ value: verdict.done });
    else if (verdict && "fail" in verdict) waiter.settle({ error: verdict.fail });
  }

  #retire(hub: Hub) {
    hub.timer?.cancel();
    hub.timer = undefined;
    if (this.#hubs.get(hub.key) === hub) this.#hubs.delete(hub.key);
  }
}

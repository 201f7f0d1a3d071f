// One poll per account serves every wait in the process. A wait joins its account's hub with the
// list it needs (a server's snapshots or backups, or the servers); each tick of the hub reads, per
// kind, whichever costs fewer requests (the account-wide pages or one list per server with
// waiters, see lists.ts) and shows every waiter its own server's items.
//
// Schedule. A lone wait is checked at first-check, then every max interval (19, 29, 39 s ... by
// default: StateChangeConf's moments from 19 s on, minus its early checks at 10 and 13 s). With n waiters and a
// tick costing c requests, the hub ticks every max * sqrt(c / n) (the interval that balances
// requests against lag), never more often than one request per min interval on average, never
// less often than the max interval unless the pages alone cost more than that. Every interval is
// jittered (see #firstDelay and #next for how a lone wait keeps its phase). A waiter costs a deadline timer and a few objects; the hub has one timer.
import type { VpsOrgClient } from "../client/client";
import { isRetryable } from "../client/errors";
import { type ListItem, type ListKind, type ListPlan, type ListResult, planLists, readLists } from "./lists";
import { progressLine, type WaitProgress, type WaitState } from "./progress";
import { type FullPollSettings, normalizePollSettings, type PollSettings, pollSettingsFromEnv } from "./settings";
import { type SafeTimer, safeTimeout } from "./timers";

export { type PollRead, type PollSettings, pollSettingsFromEnv } from "./settings";

/** What a waiter says of one look at its list: done with a value, failed, or keep waiting. */
export type Verdict<R> = { done: R } | { fail: Error } | undefined;

export interface WatchOptions {
  timeoutMs: number;
  onTimeout: () => Error;
  /** What is waited for, for progress lines ("snapshot 802 of server 12345"). */
  label: string;
  /** The status last seen, for progress lines. */
  status: () => string;
  /** Receives progress instead of stderr. */
  onProgress?: (progress: WaitProgress) => void;
}

interface Waiter {
  group: string;
  /** Order of joining: a list sent before a waiter joined is not shown to it (it may predate its object). */
  seq: number;
  /** Look at it by then (9/10 of its timeout), whatever the hub's interval; Infinity once a tick included it. */
  checkBy: number;
  judge(items: ListItem[]): Verdict<unknown>;
  settle(outcome: { value: unknown } | { error: Error }): void;
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

interface Watched {
  label: string;
  status: () => string;
  startedAt: number;
  lastLineAt: number;
  printed: boolean;
  onProgress?: (progress: WaitProgress) => void;
}

export class Poller {
  readonly settings: FullPollSettings;
  /** Ticks run, over every account. */
  ticks = 0;
  readonly #hubs = new Map<string, Hub>();
  readonly #watched = new Set<Watched>();
  #progressTimer: SafeTimer | undefined;
  #seq = 0;

  constructor(settings: PollSettings = pollSettingsFromEnv()) {
    this.settings = normalizePollSettings(settings);
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
        plan: (groups) => planLists(client, kind, groups),
        read: (groups, plan) => readLists(client, kind, groups, plan),
        waiters: new Map(),
      };
      hub.feeds.set(kind, feed);
    }
    return this.#join<R>(hub, feed, String(serverId), judge as (items: ListItem[]) => Verdict<unknown>, options);
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
    group: string,
    judge: (items: ListItem[]) => Verdict<unknown>,
    options: WatchOptions,
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const now = Date.now();
      const watched: Watched = {
        label: options.label,
        status: options.status,
        startedAt: now,
        lastLineAt: now,
        printed: false,
        onProgress: options.onProgress,
      };
      let settled = false;
      const waiter: Waiter = {
        group,
        seq: ++this.#seq,
        checkBy: Date.now() + Math.floor(options.timeoutMs * 0.9),
        judge,
        settle: (outcome) => {
          if (settled) return;
          settled = true;
          deadline.cancel();
          const set = feed.waiters.get(group);
          set?.delete(waiter);
          if (set?.size === 0) feed.waiters.delete(group);
          hub.size--;
          this.#watched.delete(watched);
          if (this.#watched.size === 0) {
            this.#progressTimer?.cancel();
            this.#progressTimer = undefined;
          }
          if (hub.size === 0 && !hub.ticking) this.#retire(hub);
          if (watched.printed) {
            const state: WaitState = "value" in outcome ? "done" : "failed";
            this.#emit(watched, state, "error" in outcome ? outcome.error : undefined);
          }
          if ("value" in outcome) resolve(outcome.value as R);
          else reject(outcome.error);
        },
      };
      let set = feed.waiters.get(group);
      if (!set) feed.waiters.set(group, (set = new Set()));
      set.add(waiter);
      hub.size++;
      this.#watched.add(watched);
      const deadline = safeTimeout(() => waiter.settle({ error: options.onTimeout() }), options.timeoutMs);
      this.#wake(hub, waiter.checkBy);
      this.#armProgress();
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
      this.#schedule(hub, Math.min(now + this.#firstDelay(), checkBy));
      return;
    }
    let due = checkBy;
    if (hub.lastTickAt !== undefined) {
      due = Math.min(due, Math.max(now, hub.lastTickAt + this.#jittered(this.#interval(hub))));
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

  /**
   * The first check of an idle hub. Jitter only brings it forward, by at most jitter x the room to
   * the max-interval grid below (0.1 x 1 s by default): a lone wait keeps StateChangeConf's phase
   * (19, 29, 39 s ...) and never falls behind it.
   */
  #firstDelay(): number {
    const { firstCheckMs: first, maxIntervalMs: max, jitter } = this.settings;
    const room = Math.min(first, max - (first % max));
    return Math.max(0, Math.round(first - Math.random() * jitter * room));
  }

  /**
   * The next tick. At the max interval (a lone wait) ticks stay on their grid, without jitter or
   * drift from request latency, so a lone wait is checked exactly every max interval; faster ticks
   * are jittered around their interval.
   */
  #next(hub: Hub, plannedAt: number, startedAt: number): number {
    const interval = this.#interval(hub);
    let at = interval >= this.settings.maxIntervalMs ? plannedAt + interval : startedAt + this.#jittered(interval);
    // A waiter that joined while this tick's lists were in flight was not in them.
    for (const feed of hub.feeds.values()) {
      for (const waiters of feed.waiters.values()) for (const waiter of waiters) at = Math.min(at, waiter.checkBy);
    }
    return Math.max(Date.now(), at);
  }

  #jittered(ms: number): number {
    return Math.max(0, Math.round(ms * (1 + this.settings.jitter * (2 * Math.random() - 1))));
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
          this.settings.onRead({ kind, scope: result.scope, requests: result.requests, servers: groups.length });
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

  /** One timer for every wait's progress lines, running only while something waits. */
  #armProgress() {
    const every = this.settings.progressIntervalMs;
    if (every <= 0 || this.#progressTimer || this.#watched.size === 0) return;
    this.#progressTimer = safeTimeout(
      () => {
        this.#progressTimer = undefined;
        const now = Date.now();
        for (const watched of this.#watched) {
          if (now - watched.lastLineAt < every) continue;
          watched.lastLineAt = now;
          watched.printed = true;
          this.#emit(watched, "waiting");
        }
        this.#armProgress();
      },
      Math.max(10, Math.round(every / 3)),
      { unref: true }, // progress alone never keeps the process alive
    );
  }

  #emit(watched: Watched, state: WaitState, error?: Error) {
    const status = watched.status();
    const elapsedMs = Date.now() - watched.startedAt;
    const line = progressLine(watched.label, status, elapsedMs, state, error);
    if (watched.onProgress) watched.onProgress({ label: watched.label, status, elapsedMs, state, line });
    else this.settings.progressWriter(line);
  }
}

/**
 * The interval between two ticks of one account with `waiters` waiting and a tick costing `cost`
 * requests: max * sqrt(cost / waiters) balances requests against lag (one waiter: the max interval;
 * 50 waiters on one page: max / 7), never below one request per min interval on average, never
 * above the max interval unless the pages alone cost more than that.
 */
export function pollInterval(settings: FullPollSettings, waiters: number, cost: number): number {
  const { minIntervalMs: min, maxIntervalMs: max } = settings;
  const c = Math.max(1, cost);
  return Math.max(c * min, Math.min(max, max * Math.sqrt(c / Math.max(1, waiters))));
}

let shared: Poller | undefined;
/** The process's poller. */
export function sharedPoller(): Poller {
  shared ??= new Poller();
  return shared;
}

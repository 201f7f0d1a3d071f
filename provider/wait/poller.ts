// One poller per process. Every waiter that needs the same list (one server's snapshots, one
// server's backups, the account's servers) joins the same channel, and a channel sends one list
// request per tick for all of them, however many resources are waiting.
import { isRetryable } from "../client/errors";

export interface PollSettings {
  /** First interval between two list requests of a channel. */
  minIntervalMs: number;
  /** The interval grows by half each tick up to this. */
  maxIntervalMs: number;
}

export function pollSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): PollSettings {
  const min = positive(env.VPSORG_POLL_MIN_MS) ?? 1_000;
  const max = positive(env.VPSORG_POLL_MAX_MS) ?? 10_000;
  return { minIntervalMs: min, maxIntervalMs: Math.max(min, max) };
}

/** What a waiter says of one look at the list: done with a value, failed, or keep waiting. */
export type Verdict<R> = { done: R } | { fail: Error } | undefined;

interface Waiter<T> {
  judge(items: T[]): Verdict<unknown>;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Channel<T> {
  fetch: () => Promise<T[]>;
  waiters: Set<Waiter<T>>;
  intervalMs: number;
  timer: NodeJS.Timeout | undefined;
}

export class Poller {
  readonly #channels = new Map<string, Channel<unknown>>();
  /** List requests sent, by channel key: what the benchmarks compare. */
  readonly requests = new Map<string, number>();

  constructor(private readonly settings: PollSettings = pollSettingsFromEnv()) {}

  /**
   * Waits until `judge` returns a verdict for the list that `fetch` returns. Waiters with the
   * same `key` share the channel (and its `fetch`): the key must name the list and the account.
   */
  wait<T, R>(
    key: string,
    fetch: () => Promise<T[]>,
    judge: (items: T[]) => Verdict<R>,
    options: { timeoutMs: number; onTimeout: () => Error },
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let channel = this.#channels.get(key) as Channel<T> | undefined;
      if (!channel) {
        channel = { fetch, waiters: new Set(), intervalMs: this.settings.minIntervalMs, timer: undefined };
        this.#channels.set(key, channel as Channel<unknown>);
      }
      const deadline = setTimeout(() => {
        finish();
        reject(options.onTimeout());
      }, options.timeoutMs);
      const finish = () => {
        clearTimeout(deadline);
        channel.waiters.delete(waiter);
        if (channel.waiters.size === 0) this.#close(key, channel);
      };
      const waiter: Waiter<T> = {
        judge,
        resolve: (value) => {
          finish();
          resolve(value as R);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      };
      channel.waiters.add(waiter);
      if (!channel.timer) this.#schedule(key, channel);
    });
  }

  #schedule<T>(key: string, channel: Channel<T>) {
    channel.timer = setTimeout(() => void this.#tick(key, channel), channel.intervalMs);
  }

  async #tick<T>(key: string, channel: Channel<T>) {
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    try {
      const items = await channel.fetch();
      for (const waiter of [...channel.waiters]) {
        const verdict = waiter.judge(items);
        if (verdict && "done" in verdict) waiter.resolve(verdict.done);
        else if (verdict && "fail" in verdict) waiter.reject(verdict.fail);
      }
    } catch (error) {
      // A passing fault (the client already retried) waits for the next tick; anything else
      // (a revoked token, a 404) will not get better, so every waiter hears of it now.
      if (!isRetryable(error)) for (const waiter of [...channel.waiters]) waiter.reject(error as Error);
    }
    if (channel.waiters.size === 0 || this.#channels.get(key) !== channel) return;
    channel.intervalMs = Math.min(this.settings.maxIntervalMs, Math.round(channel.intervalMs * 1.5));
    this.#schedule(key, channel);
  }

  #close(key: string, channel: Channel<unknown>) {
    if (channel.timer) clearTimeout(channel.timer);
    channel.timer = undefined;
    if (this.#channels.get(key) === channel) this.#channels.delete(key);
  }
}

let shared: Poller | undefined;
/** The process's poller. */
export function sharedPoller(): Poller {
  shared ??= new Poller();
  return shared;
}

function positive(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : undefined;
}

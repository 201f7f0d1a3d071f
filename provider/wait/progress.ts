// Progress lines of long waits. A provider's stdout belongs to the engine protocol, but Pulumi
// (3.146 and later) shows each stderr line of a dynamic provider's host to the user, so stderr is
// where "still waiting" goes. A wait writes nothing for its first interval (30 s by default). While
// a few waits run long, each writes one line per interval and, only then, one when it ends; when
// more do, each account writes one line per interval that counts them instead:
//   vpsorg: 812 snapshots waiting on 200 servers, 188 done, longest 9m12s
// so that a thousand waits read as a few dozen lines, not thousands.
import { formatElapsed } from "../core/durations";
import type { ListKind } from "../kinds";
import { type SafeTimer, safeTimeout } from "./timers";

export type WaitState = "waiting" | "done" | "failed";

/**
 * Where a line for the user goes: beside `urn` when it is about one resource; `passing` when it only
 * says how things stand (a wait's progress), so an engine that can may show it in place and not keep it.
 */
export type WriteLine = (line: string, urn?: string, passing?: boolean) => void;

export interface WaitProgress {
  /** What is waited for, e.g. "snapshot 802 of server 12345". */
  label: string;
  /** The status last seen ("not read yet" before the first look). */
  status: string;
  elapsedMs: number;
  state: WaitState;
  /** The line as it is written to stderr. */
  line: string;
}

/** Up to this many long waits write their own lines; beyond, each account writes one line that counts them. */
export const DETAILED_WAITS = 5;

/** The line of one wait: still waiting, done, or stopped. */
export function formatWaitLine(label: string, status: string, elapsedMs: number, state: WaitState, error?: Error) {
  const elapsed = formatElapsed(elapsedMs);
  if (state === "waiting") return `vpsorg: waiting for ${label}: ${status}, ${elapsed} elapsed`;
  if (state === "done") return `vpsorg: ${label} is ${status} after ${elapsed}`;
  return `vpsorg: stopped waiting for ${label} after ${elapsed}: ${error?.message ?? status}`;
}

const NOUNS: Record<ListKind, [string, string]> = {
  snapshot: ["snapshot", "snapshots"],
  backup: ["backup", "backups"],
  server: ["restore", "restores"],
};

/** "812 snapshots and 2 restores waiting on 200 servers, 188 done, 1 failed, longest 9m12s". */
export function formatSummaryLine(summary: {
  waiting: Partial<Record<ListKind, number>>;
  servers: number;
  done: number;
  failed: number;
  longestMs: number;
  account?: string;
}): string {
  const parts = (Object.entries(summary.waiting) as Array<[ListKind, number]>)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${NOUNS[kind][n === 1 ? 0 : 1]}`);
  const what = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : (parts[0] ?? "nothing");
  const servers = `${summary.servers} server${summary.servers === 1 ? "" : "s"}`;
  const of = summary.account ? ` of ${summary.account}` : "";
  const failed = summary.failed ? `, ${summary.failed} failed` : "";
  return (
    `vpsorg: ${what} waiting on ${servers}${of}, ${summary.done} done${failed}, ` +
    `longest ${formatElapsed(summary.longestMs)}`
  );
}

/** One wait, as the board follows it. */
export interface BoardEntry {
  label: string;
  kind: ListKind;
  /** The server it waits on, as text. */
  server: string;
  /** The account's key: a summary line counts one account's waits. */
  hub: string;
  /** The account's name in messages, when it is not the default one. */
  account?: string;
  /** The resource waiting, when known: its own lines are written beside it. */
  urn?: string;
  status: () => string;
  startedAt: number;
  onProgress?: (progress: WaitProgress) => void;
  /** When its last line was written (its start before any). */
  lastLineAt?: number;
  /** It wrote a line of its own: it writes one when it ends too. */
  printed?: boolean;
}

interface HubTally {
  done: number;
  failed: number;
  lastSummaryAt: number;
}

/** The progress lines of one poller's waits: one timer, running only while something waits. */
export class ProgressBoard {
  readonly #entries = new Set<BoardEntry>();
  readonly #tallies = new Map<string, HubTally>();
  #timer: SafeTimer | undefined;

  constructor(
    /** A wait running longer than this reports this often; 0 = never. */
    private readonly intervalMs: number,
    private readonly write: WriteLine,
  ) {}

  add(entry: BoardEntry): void {
    entry.lastLineAt = entry.startedAt;
    this.#entries.add(entry);
    if (!this.#tallies.has(entry.hub))
      this.#tallies.set(entry.hub, { done: 0, failed: 0, lastSummaryAt: entry.startedAt });
    this.#arm();
  }

  /** The wait ended: its last line if it wrote any, and its account's tally. */
  end(entry: BoardEntry, outcome: { error?: Error }): void {
    if (!this.#entries.delete(entry)) return;
    const tally = this.#tallies.get(entry.hub);
    if (tally) tally[outcome.error ? "failed" : "done"]++;
    if (![...this.#entries].some((other) => other.hub === entry.hub)) this.#tallies.delete(entry.hub);
    if (entry.printed) this.#emit(entry, outcome.error ? "failed" : "done", outcome.error);
    if (this.#entries.size === 0) {
      this.#timer?.cancel();
      this.#timer = undefined;
    }
  }

  #arm() {
    const every = this.intervalMs;
    if (every <= 0 || this.#timer || this.#entries.size === 0) return;
    this.#timer = safeTimeout(
      () => {
        this.#timer = undefined;
        this.#report(Date.now());
        this.#arm();
      },
      Math.max(10, Math.round(every / 3)),
      { unref: true }, // progress alone never keeps the process alive
    );
  }

  #report(now: number) {
    const every = this.intervalMs;
    const due = (entry: BoardEntry) => now - (entry.lastLineAt ?? entry.startedAt) >= every;
    const own = [...this.#entries].filter((entry) => entry.onProgress);
    for (const entry of own.filter(due)) this.#line(entry, now);
    const long = [...this.#entries].filter((entry) => !entry.onProgress && now - entry.startedAt >= every);
    if (long.length <= DETAILED_WAITS) {
      for (const entry of long.filter(due)) this.#line(entry, now);
      return;
    }
    for (const [hub, tally] of this.#tallies) {
      if (now - tally.lastSummaryAt < every) continue;
      const waits = [...this.#entries].filter((entry) => entry.hub === hub && !entry.onProgress);
      if (waits.length === 0) continue;
      tally.lastSummaryAt = now;
      const waiting: Partial<Record<ListKind, number>> = {};
      for (const entry of waits) waiting[entry.kind] = (waiting[entry.kind] ?? 0) + 1;
      this.write(
        formatSummaryLine({
          waiting,
          servers: new Set(waits.map((entry) => entry.server)).size,
          done: tally.done,
          failed: tally.failed,
          longestMs: now - Math.min(...waits.map((entry) => entry.startedAt)),
          account: waits[0].account,
        }),
        undefined,
        true,
      );
    }
  }

  #line(entry: BoardEntry, now: number) {
    entry.lastLineAt = now;
    entry.printed = true;
    this.#emit(entry, "waiting");
  }

  #emit(entry: BoardEntry, state: WaitState, error?: Error) {
    const status = entry.status();
    const elapsedMs = Date.now() - entry.startedAt;
    const line = formatWaitLine(entry.label, status, elapsedMs, state, error);
    if (entry.onProgress) entry.onProgress({ label: entry.label, status, elapsedMs, state, line });
    else this.write(line, entry.urn, state === "waiting");
  }
}

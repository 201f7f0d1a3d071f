// Progress lines of long waits. A dynamic provider's stdout belongs to the engine protocol, but
// Pulumi (3.146 and later) shows each stderr line of the provider host to the user, so stderr is
// where "still waiting" goes. A wait writes nothing for its first interval (30 s by default), then
// one line per interval, and, only if it wrote any, one line when it ends.

export type WaitState = "waiting" | "done" | "failed";

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

export function progressLine(label: string, status: string, elapsedMs: number, state: WaitState, error?: Error) {
  const elapsed = formatElapsed(elapsedMs);
  if (state === "waiting") return `vpsorg: waiting for ${label}: ${status}, ${elapsed} elapsed`;
  if (state === "done") return `vpsorg: ${label} is ${status} after ${elapsed}`;
  return `vpsorg: stopped waiting for ${label} after ${elapsed}: ${error?.message ?? status}`;
}

/** "45s", "2m05s", "1h02m": short enough for a progress line, exact to the second. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h${pad(m)}m`;
  if (m > 0) return `${m}m${pad(s)}s`;
  return `${s}s`;
}

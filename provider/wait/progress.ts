// Progress lines of long waits. A provider's stdout belongs to the engine protocol, but Pulumi
// (3.146 and later) shows each stderr line of a dynamic provider's host to the user, so stderr is
// where "still waiting" goes. A wait writes nothing for its first interval (30 s by default), then
// one line per interval, and, only if it wrote any, one line when it ends.
import { formatElapsed } from "../core/durations";

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

/** The line of one wait: still waiting, done, or stopped. */
export function formatWaitLine(label: string, status: string, elapsedMs: number, state: WaitState, error?: Error) {
  const elapsed = formatElapsed(elapsedMs);
  if (state === "waiting") return `vpsorg: waiting for ${label}: ${status}, ${elapsed} elapsed`;
  if (state === "done") return `vpsorg: ${label} is ${status} after ${elapsed}`;
  return `vpsorg: stopped waiting for ${label} after ${elapsed}: ${error?.message ?? status}`;
}

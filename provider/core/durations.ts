// Durations as users write them and as messages show them. Pure functions, no clock.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The longest wait a duration input may ask for. Jobs take minutes; a day is a generous ceiling. */
export const MAX_WAIT_MS = DAY;

const DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/;

/** "30m", "1h30m", "90s" (the form of Pulumi's customTimeouts) in milliseconds; undefined if unreadable or 0. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === "") return undefined;
  const [, h = "0", m = "0", s = "0"] = match;
  const ms = (Number(h) * 3600 + Number(m) * 60 + Number(s)) * SECOND;
  return ms > 0 ? ms : undefined;
}

/** Ten years: far beyond any real retention, and far below where a date's arithmetic misbehaves. */
export const MAX_AGE_DAYS = 3650;
const AGE = /^(\d+(?:\.\d+)?)(d|h|m)$/;

/** A history's `maxAge`: "30d", "12h", "90m" in milliseconds; undefined if unreadable, 0 or beyond MAX_AGE_DAYS. */
export function parseAge(text: string): number | undefined {
  const match = AGE.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * { d: DAY, h: HOUR, m: MINUTE }[match[2] as "d" | "h" | "m"];
  return ms > 0 && ms <= MAX_AGE_DAYS * DAY ? ms : undefined;
}

/** A timeout as the user would write it: "2h", "30m", "1.5s". */
export function formatDuration(ms: number): string {
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  return `${Math.round(ms / 100) / 10}s`;
}

/** "45s", "2m05s", "1h02m": short enough for a progress line, exact to the second. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / SECOND));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h}h${pad(m)}m`;
  if (m > 0) return `${m}m${pad(s)}s`;
  return `${s}s`;
}

// Timers that never overflow. Node's setTimeout keeps delays in a signed 32-bit field: anything
// above 2^31-1 ms (about 24.8 days) is replaced by 1 ms and fires at once. A wait deadline set from
// user input ("1000h") must not end the wait immediately, so long delays run as a chain of chunks.

/** The longest delay Node's setTimeout keeps as given. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SafeTimer {
  cancel(): void;
}

/**
 * Calls `fn` once after `ms` (any length; Infinity or NaN never fires). `unref`: the timer does not
 * keep the process alive. `chunkMs` exists for tests of the chunking; callers leave it alone.
 */
export function safeTimeout(
  fn: () => void,
  ms: number,
  { chunkMs = MAX_TIMER_MS, unref = false }: { chunkMs?: number; unref?: boolean } = {},
): SafeTimer {
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  if (!Number.isFinite(ms)) return { cancel: () => {} };
  const chunk = Math.max(1, Math.min(chunkMs, MAX_TIMER_MS));
  const arm = (remaining: number) => {
    if (cancelled) return;
    if (remaining <= chunk) {
      handle = setTimeout(fn, Math.max(0, remaining));
    } else {
      handle = setTimeout(() => arm(remaining - chunk), chunk);
    }
    if (unref) handle.unref();
  };
  arm(ms);
  return {
    cancel: () => {
      cancelled = true;
      if (handle) clearTimeout(handle);
    },
  };
}

/** A promise that resolves after `ms`, however long. */
export function safeSleep(ms: number): Promise<void> {
  return new Promise((resolve) => void safeTimeout(resolve, ms));
}

// Asking until the answer is known. After a POST whose answer was lost, the only way to learn
// whether it took effect is to read, and the API may be down for a while: keep asking, with a
// growing pause, for as long as the budget (VPSORG_RECONCILE_MS) allows.
import { isRetryable } from "../client/errors";
import { safeSleep } from "../wait/timers";

/** The pause before the n-th repeat (from 0): 1 s, 2 s, 4 s ... at most 10 s. */
export const patienceDelayMs = (attempt: number) => Math.min(10_000, 1_000 * 2 ** attempt);

/**
 * Runs `ask` until it answers or fails for good. Passing faults (429, 5xx, no answer) are asked
 * again after patienceDelayMs while `budgetMs` lasts; then `giveUp` says what is known.
 */
export async function askPatiently<T>(
  ask: () => Promise<T>,
  options: { budgetMs: number; onRetry?: (error: Error, delayMs: number) => void; giveUp: (error: Error) => Error },
): Promise<T> {
  const deadline = Date.now() + options.budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const delay = patienceDelayMs(attempt);
      if (Date.now() + delay > deadline) throw options.giveUp(error as Error);
      options.onRetry?.(error as Error, delay);
      await safeSleep(delay);
    }
  }
}

// Asking until the answer is known. After a POST whose answer was lost, the only way to learn
// whether it took effect is to read, and the API may be down for a while: keep asking, with a
// growing pause, for as long as the budget allows.
import { isRetryable } from "../client/errors";
import { safeSleep } from "./timers";

/** How long a lost answer is reconciled before giving up (env VPSORG_RECONCILE_MS, at most 1 hour). */
export function reconcileBudgetMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.VPSORG_RECONCILE_MS);
  return env.VPSORG_RECONCILE_MS && Number.isFinite(n) && n >= 0 ? Math.min(n, 3_600_000) : 120_000;
}

/**
 * Runs `ask` until it answers or fails for good. Passing faults (429, 5xx, no answer) are asked
 * again after 1 s, 2 s, 4 s ... 10 s while the budget lasts; then `giveUp` says what is known.
 */
export async function askPatiently<T>(
  ask: () => Promise<T>,
  options: { budgetMs?: number; onRetry?: (error: Error, delayMs: number) => void; giveUp: (error: Error) => Error },
): Promise<T> {
  const deadline = Date.now() + (options.budgetMs ?? reconcileBudgetMs());
  for (let attempt = 0; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const delay = Math.min(10_000, 1_000 * 2 ** attempt);
      if (Date.now() + delay > deadline) throw options.giveUp(error as Error);
      options.onRetry?.(error as Error, delay);
      await safeSleep(delay);
    }
  }
}

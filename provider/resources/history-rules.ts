// The rules of a history's rotation, as pure functions of its items, its inputs and the time:
// which items `keep` and `maxAge` let go, and which of them make room on a full server.
import type { Item } from "./history-kinds";

const time = (item: Item) => Date.parse(item.createdAt ?? "") || 0;

/** Newest first: by creation time, then by id. */
export const newestFirst = (items: readonly Item[]) =>
  [...items].sort((a, b) => time(b) - time(a) || Number(b.id) - Number(a.id) || 0);

/**
 * What rotation deletes from `items`: everything beyond `keep`, and, except the newest, what is
 * older than `maxAgeMs`. Ages count from the later of `now` (this machine's clock) and the newest
 * item's creation, so a local clock behind VPS.org's does not keep expired items. `newer`: items
 * about to be taken, which will be newer than all of these.
 */
export function surplus(
  items: readonly Item[],
  keep: number,
  maxAgeMs: number | undefined,
  { newer = 0, now }: { newer?: number; now: number },
): Item[] {
  const sorted = newestFirst(items);
  const clock = Math.max(now, ...sorted.map(time));
  return sorted.filter((item, index) => {
    const rank = index + newer;
    const expired = maxAgeMs !== undefined && item.createdAt != null && clock - time(item) > maxAgeMs;
    return rank >= keep || (rank > 0 && expired);
  });
}

/**
 * Before a new item on a server holding `count` of its `limit`: how many slots must be freed, and
 * which of the history's own items may go for it, oldest first. They are the ones `keep` and
 * `maxAge` would delete anyway once the new item exists (with keep 3: all but the 2 newest).
 */
export function roomToMake(
  items: readonly Item[],
  { count, limit, keep, maxAgeMs, now }: { count: number; limit: number; keep: number; maxAgeMs?: number; now: number },
): { needed: number; freeable: Item[] } {
  if (count < limit) return { needed: 0, freeable: [] };
  return { needed: count - limit + 1, freeable: surplus(items, keep, maxAgeMs, { newer: 1, now }).reverse() };
}

// Which items a history lets go: beyond `keep`, older than `maxAge` (never the newest), and which of
// them make room on a full server. Pure functions of the items, the inputs and the time.
import { newestFirst, roomToMake, surplus } from "../../provider/resources/history-rules";

const DAY = 86_400_000;
const NOW = Date.parse("2026-06-01T00:00:00Z");
const item = (id: number, daysOld: number) => ({
  id,
  name: null,
  createdAt: new Date(NOW - daysOld * DAY).toISOString(),
  trigger: `v${id}`,
  sizeMb: null,
});
const ids = (items: Array<{ id: number | string }>) => items.map((i) => i.id);

test("newest first, by creation time, then by id", () => {
  const same = [item(1, 5), item(3, 1), item(2, 1)];
  expect(ids(newestFirst(same))).toEqual([3, 2, 1]);
});

test("keep: everything beyond the newest `keep` goes, oldest last", () => {
  const items = [item(1, 4), item(2, 3), item(3, 2), item(4, 1)];
  expect(ids(surplus(items, 3, undefined, { now: NOW }))).toEqual([1]);
  expect(ids(surplus(items, 1, undefined, { now: NOW }))).toEqual([3, 2, 1]);
  expect(surplus(items, 5, undefined, { now: NOW })).toEqual([]);
});

test("maxAge: older items go, but never the newest, however old", () => {
  const items = [item(1, 40), item(2, 35), item(3, 10)];
  expect(ids(surplus(items, 5, 30 * DAY, { now: NOW }))).toEqual([2, 1]);
  expect(ids(surplus([item(1, 400)], 5, 30 * DAY, { now: NOW }))).toEqual([]); // the newest stays
  expect(ids(surplus([item(1, 400), item(2, 300)], 5, 30 * DAY, { now: NOW }))).toEqual([1]);
});

test("ages count from the later of the clock and the newest item (a clock behind VPS.org's keeps nothing extra)", () => {
  const items = [item(1, 40), item(2, 5)];
  const clockBehind = NOW - 20 * DAY; // the newest item looks 15 days in the future
  expect(ids(surplus(items, 5, 30 * DAY, { now: clockBehind }))).toEqual([1]);
});

test("items about to be taken count as newer than all of these", () => {
  const items = [item(1, 3), item(2, 2), item(3, 1)];
  expect(ids(surplus(items, 3, undefined, { newer: 1, now: NOW }))).toEqual([1]);
  expect(ids(surplus(items, 1, undefined, { newer: 1, now: NOW }))).toEqual([3, 2, 1]);
});

test("room on a full server: as many slots as are missing, from the history's own items, oldest first", () => {
  const items = [item(1, 3), item(2, 2), item(3, 1)];
  expect(roomToMake(items, { count: 4, limit: 5, keep: 3, now: NOW })).toEqual({ needed: 0, freeable: [] });
  const full = roomToMake(items, { count: 5, limit: 5, keep: 3, now: NOW });
  expect(full.needed).toBe(1);
  expect(ids(full.freeable)).toEqual([1]); // keep 3: the new one and the 2 newest stay
  const over = roomToMake(items, { count: 6, limit: 5, keep: 1, now: NOW });
  expect(over.needed).toBe(2);
  expect(ids(over.freeable)).toEqual([1, 2, 3]);
  expect(roomToMake(items, { count: 5, limit: 5, keep: 4, now: NOW }).freeable).toEqual([]); // nothing it may free
});

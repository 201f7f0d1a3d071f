// The life of a SnapshotHistory or BackupHistory: on a new trigger, take a new item (making room
// among its own items first if the server is full), wait until it is completed, then delete its
// own items beyond `keep` or older than `maxAge`. It only ever deletes objects it made: the ones in
// its state, and ones carrying its marker that a killed run made and no resource of the state holds.
import type { VpsOrgClient } from "../client/client";
import {
  ApiConnectionError,
  BadRequestError,
  JobFailedError,
  NotFoundError,
  ServerError,
  UnexpectedResponseError,
  WaitTimeoutError,
} from "../client/errors";
import { waitForJob } from "../wait/jobs";
import { claim, noteOwned } from "./claims";
import { clientFor, isUnknown, type ProviderSettings, ResourceInitError, sameText } from "./common";
import {
  backupHistorySpec,
  belongsTo,
  DEFAULT_KEEP,
  type HistorySpec,
  historyPrefix,
  type Item,
  itemKey,
  type Job,
  parseAge,
  snapshotHistorySpec,
  triggerFromDescription,
} from "./history-kinds";
import { markerOf } from "./identity";
import { checkInputs, parseDuration } from "./inputs";

type Props = Record<string, unknown>;

/** Job statuses that end badly (as the waiter reads them): such an object of ours only holds a slot. */
const FAILED = new Set(["failed", "error", "errored", "cancelled", "canceled"]);

/** An item posted but not yet completed: recorded so that a timed-out wait resumes on the next `up`. */
interface Pending {
  id: number | string;
  trigger: string | null;
  key: string | null;
}

interface HistoryState {
  /** Completed items, newest first. */
  items: Item[];
  pending: Pending[];
  /** The trigger of the last item taken; a different `trigger` input takes a new one. */
  lastTrigger: string | null;
}

const time = (item: Item) => Date.parse(item.createdAt ?? "") || 0;
const newestFirst = (items: Item[]) => [...items].sort((a, b) => time(b) - time(a) || Number(b.id) - Number(a.id) || 0);
const keepOf = (props: Props) => (typeof props.keep === "number" ? props.keep : DEFAULT_KEEP);
const maxAgeOf = (props: Props) => (typeof props.maxAge === "string" ? parseAge(props.maxAge) : undefined);

function stateOf(props: Props): HistoryState {
  return {
    items: Array.isArray(props.items) ? (props.items as Item[]) : [],
    pending: Array.isArray(props.pending) ? (props.pending as Pending[]) : [],
    lastTrigger: typeof props.lastTrigger === "string" ? props.lastTrigger : null,
  };
}

const heldIds = (s: HistoryState) => [...s.items, ...s.pending].map((item) => item.id);

/**
 * What rotation deletes from `items` (newest first): everything beyond `keep`, and, except the
 * newest, what is older than `maxAge`. Ages count from the later of this machine's clock and the
 * newest item's creation, so a local clock behind VPS.org's does not keep expired items.
 */
export function surplus(items: Item[], keep: number, maxAgeMs: number | undefined, { newer = 0 } = {}): Item[] {
  const sorted = newestFirst(items);
  const now = Math.max(Date.now(), ...sorted.map(time));
  return sorted.filter((item, index) => {
    const rank = index + newer; // `newer`: items about to be taken, which will be newer than all of these
    const expired = maxAgeMs !== undefined && item.createdAt != null && now - time(item) > maxAgeMs;
    return rank >= keep || (rank > 0 && expired);
  });
}

export function historyResource(spec: HistorySpec) {
  const noun = spec.kind;
  const timeoutOf = (props: Props) =>
    (typeof props.waitTimeout === "string" && parseDuration(props.waitTimeout)) || spec.defaultTimeoutMs;
  const output = (inputs: Props, s: HistoryState): Props => {
    const items = newestFirst(s.items);
    return { ...inputs, items, latest: items[0] ?? null, pending: s.pending, lastTrigger: s.lastTrigger };
  };

  async function remove(client: VpsOrgClient, id: number | string) {
    try {
      await spec.remove(client, id);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error; // already gone is done
    }
  }

  /** Brings the recorded state up to date with VPS.org, and takes in what a killed run of this history made. */
  async function reconcile(client: VpsOrgClient, inputs: Props, s: HistoryState, objects: Job[], current: Pending) {
    const byId = new Map(objects.map((object) => [String(object.id), object]));
    const items = s.items.flatMap((item) => {
      const object = byId.get(String(item.id));
      return object ? [spec.itemOf(object, item.trigger)] : []; // gone: deleted outside Pulumi
    });
    const pending = s.pending.filter((p) => byId.has(String(p.id)));
    const held = new Set([...items, ...pending].map((item) => String(item.id)));
    const prefix = historyPrefix(inputs);
    for (const object of objects) {
      if (held.has(String(object.id)) || !belongsTo(prefix, object) || !claim(noun, object.id)) continue;
      const key = markerOf(object.description) ?? null;
      // The current trigger's item is known in full; another one's trigger is read back from its description.
      const trigger = key === current.key ? current.trigger : triggerFromDescription(object.description);
      if (FAILED.has(object.status))
        await remove(client, object.id); // ours, failed, holding a slot
      else pending.push({ id: object.id, trigger, key });
    }
    // Pending items already completed need no wait.
    const done = pending.filter((p) => byId.get(String(p.id))?.status === "completed");
    s.items = [...items, ...done.map((p) => spec.itemOf(byId.get(String(p.id))!, p.trigger))];
    s.pending = pending.filter((p) => !done.includes(p));
    return done;
  }

  /** Waits for every pending item; completed ones join the items. Throws the first failure, after all settle. */
  async function waitPending(client: VpsOrgClient, inputs: Props, s: HistoryState, key: string): Promise<Pending[]> {
    const serverId = Number(inputs.serverId);
    const waiting = [...s.pending];
    const results = await Promise.allSettled(
      waiting.map((p) => waitForJob(client, noun, serverId, p.id, { timeoutMs: timeoutOf(inputs) })),
    );
    const finished: Pending[] = [];
    const problems: string[] = [];
    for (const [index, result] of results.entries()) {
      const p = waiting[index];
      if (result.status === "fulfilled") {
        s.items.push(spec.itemOf(result.value, p.trigger));
        finished.push(p);
        continue;
      }
      const error = result.reason as Error;
      if (error instanceof JobFailedError) {
        if (!/no longer exists/.test(error.message)) await remove(client, p.id);
        s.pending = s.pending.filter((other) => other !== p);
        const retry = p.key === key ? ` The next \`pulumi up\` takes a new one for ${JSON.stringify(p.trigger)}.` : "";
        problems.push(`${error.message} The failed ${noun} was deleted; no kept ${noun} was deleted.${retry}`);
      } else if (error instanceof WaitTimeoutError) {
        problems.push(
          `${error.message} It is recorded; the next \`pulumi up\` waits for it again (raise waitTimeout if it needs longer).`,
        );
      } else {
        problems.push(`${error.message} It is recorded with its id; run \`pulumi up\` again.`);
      }
    }
    s.pending = s.pending.filter((p) => !finished.includes(p));
    if (problems.length > 0) throw new Error(problems.join(" "));
    return finished;
  }

  /** Frees slots among this history's own items when the server is full and `keep` allows; else the quota error. */
  async function makeRoom(client: VpsOrgClient, inputs: Props, s: HistoryState, objects: Job[]) {
    const serverId = Number(inputs.serverId);
    const count = objects.filter(spec.countsTowardLimit).length;
    if (count < spec.limit) return;
    const needed = count - spec.limit + 1;
    // After the new item, the kept ones are it and the `keep - 1` newest before it; maxAge applies to all the others.
    const keep = keepOf(inputs);
    const freeable = surplus(s.items, keep, maxAgeOf(inputs), { newer: 1 }).reverse(); // oldest first
    if (freeable.length < needed) {
      const mine = s.items.length;
      throw new Error(
        `server ${serverId} already has ${count} ${spec.limitNoun}; VPS.org allows at most ${spec.limit} per server. ` +
          `This ${spec.title} holds ${mine} of them and keeps ${keep} (the new one and ${keep - 1} before it), so it ` +
          `can free ${freeable.length} of the ${needed} needed. Lower keep, or delete ${spec.limitNoun} it does not ` +
          `manage (in VPS.org, or by removing their resources from the stack); it never deletes what it did not create.`,
      );
    }
    for (const item of freeable.slice(0, needed)) {
      await remove(client, item.id);
      s.items = s.items.filter((other) => other !== item);
    }
  }

  /** POST once; an answer lost in transit is matched by the item's marker. */
  async function post(client: VpsOrgClient, inputs: Props, trigger: string, key: string, before: Job[]) {
    const serverId = Number(inputs.serverId);
    try {
      return await spec.post(client, inputs, trigger, key);
    } catch (error) {
      if (error instanceof BadRequestError) {
        throw new Error(`VPS.org refused the ${noun} on server ${serverId}: ${error.serverMessage || error.message}`);
      }
      const ambiguous =
        (error instanceof ApiConnectionError && error.mayHaveReachedServer) ||
        error instanceof ServerError ||
        error instanceof UnexpectedResponseError;
      if (!ambiguous) throw error;
      const known = new Set(before.map((object) => String(object.id)));
      const list = await spec.list(client, serverId).catch(() => undefined);
      const made = list?.find((object) => !known.has(String(object.id)) && markerOf(object.description) === key);
      if (made) return made;
      // The list answered without it: it was not made, and saying it "may exist" would mislead.
      if (list) {
        throw new Error(
          `VPS.org did not answer the request to create a ${noun} on server ${serverId} (${(error as Error).message}), ` +
            `and none was made: nothing is left behind. Run \`pulumi up\` again.`,
        );
      }
      throw new Error(
        `${(error as Error).message}. The ${noun} may exist all the same; the next \`pulumi up\` finds it by its marker and keeps it.`,
      );
    }
  }

  /** One `up` of the history: reconcile, finish pending items, take a new one if the trigger is new, rotate. */
  async function sync(client: VpsOrgClient, id: string, inputs: Props, s: HistoryState, creating: boolean) {
    const serverId = Number(inputs.serverId);
    const trigger = String(inputs.trigger);
    const key = itemKey(inputs, trigger, s.lastTrigger);
    const mark = (finished: Pending[]) => {
      if (finished.some((p) => p.key === key)) s.lastTrigger = trigger;
    };
    try {
      mark(await reconcile(client, inputs, s, await spec.list(client, serverId), { id: "", trigger, key }));
      mark(await waitPending(client, inputs, s, key));
      if (s.lastTrigger !== trigger) {
        const objects = await spec.list(client, serverId);
        await makeRoom(client, inputs, s, objects);
        const made = await post(client, inputs, trigger, key, objects);
        claim(noun, made.id);
        s.pending.push({ id: made.id, trigger, key }); // recorded by any failure from here on
        mark(await waitPending(client, inputs, s, key));
      }
      for (const item of surplus(s.items, keepOf(inputs), maxAgeOf(inputs))) {
        await remove(client, item.id);
        s.items = s.items.filter((other) => other !== item);
      }
      return output(inputs, s);
    } catch (error) {
      const message = (error as Error).message;
      if (!creating || s.items.length > 0 || s.pending.length > 0) {
        throw new ResourceInitError(message, id, output(inputs, s));
      }
      throw error;
    }
  }

  return {
    async check(_olds: Props, news: Props) {
      return { inputs: { ...news }, failures: checkInputs(spec.inputs, news) };
    },

    async diff(_id: string, olds: Props, news: Props) {
      const s = stateOf(olds);
      for (const id of heldIds(s)) noteOwned(noun, id);
      const replaces = isUnknown(news.serverId) || String(olds.serverId) !== String(news.serverId) ? ["serverId"] : [];
      const inputsChanged = ["keep", "waitTimeout", "namePrefix", "maxAge"].some(
        (key) => isUnknown(news[key]) || String(olds[key] ?? "") !== String(news[key] ?? ""),
      );
      const changes =
        replaces.length > 0 ||
        inputsChanged ||
        isUnknown(news.description) ||
        !sameText(olds.description, news.description) ||
        isUnknown(news.trigger) ||
        news.trigger !== s.lastTrigger ||
        s.pending.length > 0 ||
        surplus(s.items, keepOf(news), maxAgeOf(news)).length > 0; // what `up` will delete: keep or maxAge
      return { changes, replaces, deleteBeforeReplace: false };
    },

    async create(inputs: Props, settings: ProviderSettings | undefined) {
      const id = `${noun}-history-${Number(inputs.serverId)}-${historyPrefix(inputs)}`;
      const outs = await sync(clientFor(settings), id, inputs, stateOf({}), true);
      return { id, outs };
    },

    /** Refresh: items deleted outside Pulumi leave the list; the history itself stays. */
    async read(id: string, props: Props, settings: ProviderSettings | undefined) {
      const s = stateOf(props);
      for (const held of heldIds(s)) noteOwned(noun, held);
      const objects = await spec.list(clientFor(settings), Number(props.serverId));
      const byId = new Map(objects.map((object) => [String(object.id), object]));
      s.items = s.items.flatMap((item) => {
        const object = byId.get(String(item.id));
        return object ? [spec.itemOf(object, item.trigger)] : [];
      });
      s.pending = s.pending.filter((p) => byId.has(String(p.id)));
      return { id, props: output(props, s) };
    },

    async update(id: string, olds: Props, news: Props, settings: ProviderSettings | undefined) {
      const s = stateOf(olds);
      for (const held of heldIds(s)) noteOwned(noun, held);
      return { outs: await sync(clientFor(settings), id, news, s, false) };
    },

    /** Destroy deletes every item the history holds (the engine skips this with `retainOnDelete`). */
    async delete(_id: string, props: Props, settings: ProviderSettings | undefined) {
      const client = clientFor(settings);
      const held = heldIds(stateOf(props));
      for (const id of held) noteOwned(noun, id); // never adoptable by a create later in this run
      for (const id of held) await remove(client, id);
    },
  };
}

export const snapshotHistoryResource = historyResource(snapshotHistorySpec);
export const backupHistoryResource = historyResource(backupHistorySpec);

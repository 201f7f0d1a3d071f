// The life of a SnapshotHistory or BackupHistory: on a new trigger, take a new item (making room
// among its own items first if the server is full), wait until it is completed, then delete its
// own items beyond `keep` or older than `maxAge`. It only ever deletes objects it made: the ones in
// its state, failed leftovers carrying its marker, and the one item a killed run of this very
// trigger made (adopted by its item key, as Snapshot and Backup adopt theirs: job-create.ts).
import { randomUUID } from "node:crypto";
import type { VpsOrgClient } from "../client/client";
import { BadRequestError, JobFailedError, WaitTimeoutError } from "../client/errors";
import { FAILED_JOB_STATUSES, waitForJob } from "../wait/jobs";
import { claim, heldByReplacement, noteOwned } from "./claims";
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
} from "./history-kinds";
import { checkInputs, waitTimeoutOf } from "./inputs";
import { type CreateSpec, findOrPost, takeMine } from "./job-create";
import { progressLine, WAITS_AGAIN } from "./messages";

type Props = Record<string, unknown>;

/** An item posted but not yet completed: recorded so that a timed-out wait resumes on the next `up`. */
interface Pending {
  id: number | string;
  trigger: string | null;
  key: string | null;
  /** Names the object in claims.ts together with its id (absent in states recorded before it was kept). */
  createdAt?: string | null;
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
const pendingOf = (o: Job, trigger: string, key: string) => ({ id: o.id, trigger, key, createdAt: o.created_at });

function stateOf(props: Props): HistoryState {
  return {
    items: Array.isArray(props.items) ? (props.items as Item[]) : [],
    pending: Array.isArray(props.pending) ? (props.pending as Pending[]) : [],
    lastTrigger: typeof props.lastTrigger === "string" ? props.lastTrigger : null,
  };
}

const heldOf = (s: HistoryState) => [...s.items, ...s.pending];

/**
 * What rotation deletes from `items` (newest first): everything beyond `keep`, and, except the
 * newest, what is older than `maxAge`. Ages count from the later of this machine's clock and the
 * newest item's creation, so a local clock behind VPS.org's does not keep expired items.
 */
function surplus(items: Item[], keep: number, maxAgeMs: number | undefined, { newer = 0 } = {}): Item[] {
  const sorted = newestFirst(items);
  const now = Math.max(Date.now(), ...sorted.map(time));
  return sorted.filter((item, index) => {
    const rank = index + newer; // `newer`: items about to be taken, which will be newer than all of these
    const expired = maxAgeMs !== undefined && item.createdAt != null && now - time(item) > maxAgeMs;
    return rank >= keep || (rank > 0 && expired);
  });
}

function historyResource(spec: HistorySpec) {
  const noun = spec.kind;
  const output = (inputs: Props, s: HistoryState, generation: unknown): Props => {
    const items = newestFirst(s.items);
    const { pending, lastTrigger } = s;
    return { ...inputs, items, latest: items[0] ?? null, pending, lastTrigger, __generation: generation ?? null };
  };
  /** The engine showed these ids: no create of this process adopts them. */
  const noteHeld = (s: HistoryState) => heldOf(s).forEach((item) => noteOwned(noun, item.id, item.createdAt));
  /** How a new item of `trigger` is found (by its marker `key`) or posted, for job-create.ts. */
  const createSpec = (inputs: Props, trigger: string, key: string): CreateSpec<Job> => ({
    kind: noun,
    list: spec.list,
    post: (client) => spec.post(client, inputs, trigger, key),
    remove: spec.remove,
  });

  /** Drops the recorded items and pending ones that VPS.org no longer has (deleted outside Pulumi). */
  function dropVanished(s: HistoryState, objects: Job[]): Map<string, Job> {
    const byId = new Map(objects.map((object) => [String(object.id), object]));
    s.items = s.items.flatMap((item) => {
      const object = byId.get(String(item.id));
      return object ? [spec.itemOf(object, item.trigger)] : [];
    });
    s.pending = s.pending.filter((p) => byId.has(String(p.id)));
    return byId;
  }

  /**
   * Brings the state up to date with VPS.org. Of the objects carrying this history's marker that it
   * does not hold, it deletes the failed ones (leftovers of a killed run, holding a slot) and adopts
   * only the current trigger's item (`key`): one a killed run posted for this very release. Others
   * are not its own: a history re-created after `retainOnDelete` or `pulumi state delete` leaves them.
   */
  async function reconcile(client: VpsOrgClient, inputs: Props, s: HistoryState, key: string, generation: string) {
    const objects = await spec.list(client, Number(inputs.serverId));
    const byId = dropVanished(s, objects);
    const held = new Set(heldOf(s).map((item) => String(item.id)));
    const mark = historyPrefix(inputs);
    const isLeftover = (o: Job) => !held.has(String(o.id)) && belongsTo(mark, o) && FAILED_JOB_STATUSES.has(o.status);
    for (const o of objects.filter(isLeftover)) if (claim(noun, o.id, o.created_at)) await spec.remove(client, o.id);
    const trigger = String(inputs.trigger);
    if (s.lastTrigger !== trigger && !s.pending.some((p) => p.key === key)) {
      const mine = await takeMine(client, createSpec(inputs, trigger, key), objects, key, generation);
      if (mine) s.pending.push(pendingOf(mine, trigger, key));
    }
    // Pending items already completed need no wait.
    const done = s.pending.filter((p) => byId.get(String(p.id))?.status === "completed");
    s.items.push(...done.map((p) => spec.itemOf(byId.get(String(p.id))!, p.trigger)));
    s.pending = s.pending.filter((p) => !done.includes(p));
    return done;
  }

  /** Waits for every pending item; completed ones join the items. Throws the first failure, after all settle. */
  async function waitPending(client: VpsOrgClient, inputs: Props, s: HistoryState, key: string): Promise<Pending[]> {
    const serverId = Number(inputs.serverId);
    const waiting = [...s.pending];
    const timeoutMs = waitTimeoutOf(inputs, spec.defaultTimeoutMs);
    const results = await Promise.allSettled(
      waiting.map((p) => waitForJob(client, noun, serverId, p.id, { timeoutMs })),
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
        await spec.remove(client, p.id);
        s.pending = s.pending.filter((other) => other !== p);
        const retry = p.key === key ? ` The next \`pulumi up\` takes a new one for ${JSON.stringify(p.trigger)}.` : "";
        problems.push(`${error.message} The failed ${noun} was deleted; no kept ${noun} was deleted.${retry}`);
      } else if (error instanceof WaitTimeoutError) {
        problems.push(`${error.message} ${WAITS_AGAIN}`);
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
      throw new Error(
        `server ${serverId} already has ${count} ${spec.limitNoun}; VPS.org allows at most ${spec.limit} per server. ` +
          `This ${spec.title} holds ${s.items.length} of them and keeps ${keep} (the new one and ${keep - 1} before it), ` +
          `so it can free ${freeable.length} of the ${needed} needed. Lower keep, or delete ${spec.limitNoun} it does ` +
          `not manage (in VPS.org, or by removing their resources from the stack); it never deletes what it did not create.`,
      );
    }
    for (const item of freeable.slice(0, needed)) {
      await spec.remove(client, item.id);
      s.items = s.items.filter((other) => other !== item);
    }
  }

  /**
   * Posts the new item exactly once (job-create.ts): a lost answer is reconciled patiently by the
   * item's marker. Its first look is `objects`, the list makeRoom just read, so no second request.
   */
  async function postOnce(client: VpsOrgClient, inputs: Props, key: string, generation: string, objects: Job[]) {
    const serverId = Number(inputs.serverId);
    try {
      return await findOrPost(
        client,
        createSpec(inputs, String(inputs.trigger), key),
        serverId,
        key,
        generation,
        objects,
      );
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      throw new Error(`VPS.org refused the ${noun} on server ${serverId}: ${error.serverMessage || error.message}`);
    }
  }

  /** One `up` of the history: reconcile, finish pending items, take a new one if the trigger is new, rotate. */
  async function sync(client: VpsOrgClient, id: string, inputs: Props, s: HistoryState, generation: string) {
    const serverId = Number(inputs.serverId);
    const trigger = String(inputs.trigger);
    const key = itemKey(inputs, trigger, s.lastTrigger);
    const settle = (finished: Pending[]) => {
      if (finished.some((p) => p.key === key)) s.lastTrigger = trigger;
    };
    const recorded = heldOf(s).length > 0; // the state holds the history, whatever happens next
    try {
      settle(await reconcile(client, inputs, s, key, generation));
      settle(await waitPending(client, inputs, s, key));
      if (s.lastTrigger !== trigger) {
        const objects = await spec.list(client, serverId); // after the waits: the slots as they are now
        await makeRoom(client, inputs, s, objects);
        const made = await postOnce(client, inputs, key, generation, objects);
        s.pending.push(pendingOf(made, trigger, key)); // recorded by any failure from here on
        settle(await waitPending(client, inputs, s, key));
      }
      for (const item of surplus(s.items, keepOf(inputs), maxAgeOf(inputs))) {
        await spec.remove(client, item.id);
        s.items = s.items.filter((other) => other !== item);
      }
      return output(inputs, s, generation);
    } catch (error) {
      if (recorded || heldOf(s).length > 0)
        throw new ResourceInitError((error as Error).message, id, output(inputs, s, generation));
      throw error;
    }
  }

  return {
    async check(_olds: Props, news: Props) {
      return { inputs: { ...news }, failures: checkInputs(spec.inputs, news) };
    },

    async diff(_id: string, olds: Props, news: Props) {
      const s = stateOf(olds);
      noteHeld(s);
      const differs = (key: string) => isUnknown(news[key]) || String(olds[key] ?? "") !== String(news[key] ?? "");
      const replaces = ["serverId", "account"].filter(differs);
      const inputsChanged = ["keep", "waitTimeout", "namePrefix", "maxAge"].some(differs);
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
      const client = clientFor(settings, inputs.account);
      return { id, outs: await sync(client, id, inputs, stateOf({}), randomUUID()) };
    },

    /** Refresh: items deleted outside Pulumi leave the list; the history itself stays. */
    async read(id: string, props: Props, settings: ProviderSettings | undefined) {
      const s = stateOf(props);
      noteHeld(s);
      dropVanished(s, await spec.list(clientFor(settings, props.account), Number(props.serverId)));
      return { id, props: output(props, s, props.__generation) };
    },

    async update(id: string, olds: Props, news: Props, settings: ProviderSettings | undefined) {
      const s = stateOf(olds);
      noteHeld(s);
      // A history recorded before generations existed gets one now, for its later delete.
      const generation = typeof olds.__generation === "string" ? olds.__generation : randomUUID();
      return { outs: await sync(clientFor(settings, news.account), id, news, s, generation) };
    },

    /**
     * Destroy deletes every item the history holds (the engine skips this with `retainOnDelete`),
     * except one its replacement adopted: `pulumi up --replace` with unchanged inputs.
     */
    async delete(_id: string, props: Props, settings: ProviderSettings | undefined) {
      const s = stateOf(props);
      noteHeld(s); // never adoptable by a create later in this run
      const client = clientFor(settings, props.account);
      for (const item of heldOf(s)) {
        if (heldByReplacement(noun, item.id, item.createdAt, props.__generation)) {
          progressLine(`${noun} ${item.id} is kept: the ${spec.title} that replaces this one adopted it.`);
          continue;
        }
        await spec.remove(client, item.id);
      }
    },
  };
}

export const snapshotHistoryResource = historyResource(snapshotHistorySpec);
export const backupHistoryResource = historyResource(backupHistorySpec);

// The life of a SnapshotHistory or BackupHistory: on a new trigger, take a new item (making room
// among its own items first if the server is full), wait until it is completed, then delete its
// own items beyond `keep` or older than `maxAge`. It only ever deletes objects it made: the ones in
// its state, failed leftovers carrying its marker, and the one item a killed run of this very
// trigger made (adopted by its item key, as Snapshot and Backup adopt theirs: job-create.ts).
// An item missing from the server's list leaves the state only with proof (operations/proof.ts).
import { randomUUID } from "node:crypto";
import { BadRequestError, JobFailedError, WaitTimeoutError } from "../client/errors";
import type { Identity } from "../core/markers";
import { explain, ProviderError, WAITS_AGAIN } from "../core/messages";
import { parseAge } from "../core/durations";
import { FAILED_JOB_STATUSES, type Job } from "../kinds";
import { proveGone } from "../operations/proof";
import { type Placement, removeObject } from "../operations/removal";
import { waitForJob } from "../wait/jobs";
import { type Call, say, waitOf, type Props, proofOf, type ResourceProvider } from "./call";
import { isUnknown, ResourceInitError, sameText } from "./engine";
import {
  backupHistorySpec,
  belongsTo,
  DEFAULT_KEEP,
  type HistorySpec,
  historyPrefix,
  type Item,
  itemKey,
  snapshotHistorySpec,
} from "./history-kinds";
import { newestFirst, roomToMake, surplus } from "./history-rules";
import { checkInputs, waitTimeoutOf } from "./inputs";
import { type CreateSpec, findOrPost, takeMine } from "./job-create";
import { stampOf } from "./job-resource";

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

const keepOf = (props: Props) => (typeof props.keep === "number" ? props.keep : DEFAULT_KEEP);
const maxAgeOf = (props: Props) => (typeof props.maxAge === "string" ? parseAge(props.maxAge) : undefined);
const pendingOf = (o: Job, trigger: string, key: string) => ({ id: o.id, trigger, key, createdAt: o.created_at });
/** What the rotation of these inputs would delete from `items` now. */
const rotated = (items: Item[], props: Props) => surplus(items, keepOf(props), maxAgeOf(props), { now: Date.now() });

function stateOf(props: Props): HistoryState {
  return {
    items: Array.isArray(props.items) ? (props.items as Item[]) : [],
    pending: Array.isArray(props.pending) ? (props.pending as Pending[]) : [],
    lastTrigger: typeof props.lastTrigger === "string" ? props.lastTrigger : null,
  };
}

const heldOf = (s: HistoryState) => [...s.items, ...s.pending];

function historyResource(spec: HistorySpec): ResourceProvider {
  const { kind } = spec;
  const noun = kind.name;
  const output = (inputs: Props, s: HistoryState, generation: unknown): Props => {
    const items = newestFirst(s.items);
    const { pending, lastTrigger } = s;
    return { ...inputs, items, latest: items[0] ?? null, pending, lastTrigger, __generation: generation ?? null };
  };
  const placement = (props: Props): Placement => ({
    serverId: Number(props.serverId),
    serverCreatedAt: props.__serverCreatedAt as string | null | undefined,
  });
  const list = (call: Call, props: Props) =>
    call.runtime.reads.list(call.account.client, noun, Number(props.serverId)) as Promise<Job[]>;
  const remove = (call: Call, props: Props, id: Job["id"]) => removeObject(proofOf(call), kind, id, placement(props));
  /** How a new item of `trigger` is found (by its marker `key`) or posted, for job-create.ts. */
  const createSpec = (call: Call, inputs: Props, trigger: string, key: string): CreateSpec<Job> => ({
    kind,
    serverId: Number(inputs.serverId),
    list: () => list(call, inputs),
    post: () => spec.post(call.account.client, inputs, call.identity, trigger, key),
    remove: (item) => remove(call, inputs, item.id),
  });

  /**
   * Drops the recorded items and pending ones that VPS.org no longer has (deleted outside Pulumi),
   * once proof.ts says their server is visible and the same; otherwise fails and drops nothing.
   */
  async function dropVanished(call: Call, props: Props, s: HistoryState, objects: Job[]): Promise<Map<string, Job>> {
    const byId = new Map(objects.map((object) => [String(object.id), object]));
    const vanished = heldOf(s).filter((item) => !byId.has(String(item.id)));
    if (vanished.length > 0) {
      const what = `${noun}${vanished.length > 1 ? "s" : ""} ${vanished.map((v) => v.id).join(", ")} of this ${spec.title}`;
      const { serverId, serverCreatedAt } = placement(props);
      await proveGone(proofOf(call), what, serverId, serverCreatedAt);
    }
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
  async function reconcile(call: Call, inputs: Props, s: HistoryState, key: string, generation: string) {
    const objects = await list(call, inputs);
    const byId = await dropVanished(call, inputs, s, objects);
    const held = new Set(heldOf(s).map((item) => String(item.id)));
    const mark = historyPrefix(call.identity, Number(inputs.serverId));
    const isLeftover = (o: Job) => !held.has(String(o.id)) && belongsTo(mark, o) && FAILED_JOB_STATUSES.has(o.status);
    for (const o of objects.filter(isLeftover)) {
      if (call.runtime.claims.take({ kind: noun, id: o.id, createdAt: o.created_at })) await remove(call, inputs, o.id);
    }
    const trigger = String(inputs.trigger);
    if (s.lastTrigger !== trigger && !s.pending.some((p) => p.key === key)) {
      const mine = await takeMine(call, createSpec(call, inputs, trigger, key), objects, key, generation);
      if (mine) s.pending.push(pendingOf(mine, trigger, key));
    }
    // Pending items already completed need no wait.
    const done = s.pending.filter((p) => byId.get(String(p.id))?.status === "completed");
    s.items.push(...done.map((p) => spec.itemOf(byId.get(String(p.id))!, p.trigger)));
    s.pending = s.pending.filter((p) => !done.includes(p));
    return done;
  }

  /** Waits for every pending item; completed ones join the items. Throws the first failure, after all settle. */
  async function waitPending(call: Call, inputs: Props, s: HistoryState, key: string): Promise<Pending[]> {
    const serverId = Number(inputs.serverId);
    const waiting = [...s.pending];
    const timeoutMs = waitTimeoutOf(inputs, kind.defaultWaitMs);
    const { poller } = call.runtime;
    const results = await Promise.allSettled(
      waiting.map((p) => waitForJob(poller, call.account.client, noun, serverId, p.id, { timeoutMs, ...waitOf(call) })),
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
        await remove(call, inputs, p.id);
        s.pending = s.pending.filter((other) => other !== p);
        const retry = p.key === key ? ` The next \`pulumi up\` takes a new one for ${JSON.stringify(p.trigger)}.` : "";
        problems.push(`${error.message} The failed ${noun} was deleted; no kept ${noun} was deleted.${retry}`);
      } else if (error instanceof WaitTimeoutError) {
        problems.push(`${error.message} ${WAITS_AGAIN}`);
      } else {
        const said = explain(error, { source: call.account.source, serverId });
        problems.push(`${said} It is recorded with its id; run \`pulumi up\` again.`);
      }
    }
    s.pending = s.pending.filter((p) => !finished.includes(p));
    if (problems.length > 0) throw new ProviderError(problems.join(" "));
    return finished;
  }

  /** Frees slots among this history's own items when the server is full and `keep` allows; else the quota error. */
  async function makeRoom(call: Call, inputs: Props, s: HistoryState, objects: Job[]) {
    const serverId = Number(inputs.serverId);
    const count = objects.filter((o) => kind.countsTowardLimit(o)).length;
    const keep = keepOf(inputs);
    const { needed, freeable } = roomToMake(s.items, {
      count,
      limit: kind.limit,
      keep,
      maxAgeMs: maxAgeOf(inputs),
      now: Date.now(),
    });
    if (freeable.length < needed) {
      throw new ProviderError(
        `server ${serverId} already has ${count} ${kind.limitNoun}; VPS.org allows at most ${kind.limit} per server. ` +
          `This ${spec.title} holds ${s.items.length} of them and keeps ${keep} (the new one and ${keep - 1} before it), ` +
          `so it can free ${freeable.length} of the ${needed} needed. Lower keep, or delete ${kind.limitNoun} it does ` +
          `not manage (in VPS.org, or by removing their resources from the stack); it never deletes what it did not create.`,
      );
    }
    for (const item of freeable.slice(0, needed)) {
      await remove(call, inputs, item.id);
      s.items = s.items.filter((other) => other !== item);
    }
  }

  /**
   * Posts the new item exactly once (job-create.ts): a lost answer is reconciled patiently by the
   * item's marker. Its first look is `objects`, the list makeRoom just read, so no second request.
   */
  async function postOnce(call: Call, inputs: Props, key: string, generation: string, objects: Job[]) {
    try {
      return await findOrPost(call, createSpec(call, inputs, String(inputs.trigger), key), key, generation, objects);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      const said = (error.serverMessage || error.message).replace(/[.\s]+$/, "");
      throw new ProviderError(`VPS.org refused the ${noun} on server ${Number(inputs.serverId)}: ${said}.`);
    }
  }

  /** One `up` of the history: reconcile, finish pending items, take a new one if the trigger is new, rotate. */
  async function sync(call: Call, id: string, inputs: Props, s: HistoryState, generation: string) {
    const trigger = String(inputs.trigger);
    const key = itemKey(call.identity, Number(inputs.serverId), trigger, s.lastTrigger);
    const settle = (finished: Pending[]) => {
      if (finished.some((p) => p.key === key)) s.lastTrigger = trigger;
    };
    const recorded = heldOf(s).length > 0; // the state holds the history, whatever happens next
    try {
      settle(await reconcile(call, inputs, s, key, generation));
      settle(await waitPending(call, inputs, s, key));
      if (s.lastTrigger !== trigger) {
        const objects = await list(call, inputs); // after the waits: the slots as they are now
        await makeRoom(call, inputs, s, objects);
        const made = await postOnce(call, inputs, key, generation, objects);
        s.pending.push(pendingOf(made, trigger, key)); // recorded by any failure from here on
        settle(await waitPending(call, inputs, s, key));
      }
      for (const item of rotated(s.items, inputs)) {
        await remove(call, inputs, item.id);
        s.items = s.items.filter((other) => other !== item);
      }
      return output(inputs, s, generation);
    } catch (error) {
      if (recorded || heldOf(s).length > 0)
        throw new ResourceInitError((error as Error).message, id, output(inputs, s, generation));
      throw error;
    }
  }

  /** The history's id: its server and the first part of its marker. */
  const idOf = (identity: Identity, serverId: number) =>
    `${noun}-history-${serverId}-${historyPrefix(identity, serverId)}`;

  return {
    inputs: Object.keys(spec.inputs.shape),
    held: (_id, props) =>
      heldOf(stateOf(props)).map((item) => ({ kind: noun, id: item.id, createdAt: item.createdAt })),

    async check(_olds, news) {
      return { inputs: { ...news }, failures: checkInputs(spec.inputs, news) };
    },

    async diff(_id, olds, news) {
      const s = stateOf(olds);
      const differs = (key: string) => isUnknown(news[key]) || String(olds[key] ?? "") !== String(news[key] ?? "");
      const replaces = ["serverId", "account"].filter(differs);
      const updates = [
        ...["keep", "waitTimeout", "namePrefix", "maxAge"].filter(differs),
        ...(isUnknown(news.description) || !sameText(olds.description, news.description) ? ["description"] : []),
        ...(isUnknown(news.trigger) || news.trigger !== s.lastTrigger ? ["trigger"] : []),
        // items to wait for, or to delete (keep or maxAge)
        ...(s.pending.length > 0 || rotated(s.items, news).length > 0 ? ["items"] : []),
      ];
      return { changes: replaces.length + updates.length > 0, replaces, updates, deleteBeforeReplace: false };
    },

    async create(news, call) {
      const id = idOf(call.identity, Number(news.serverId));
      const inputs = { ...news, ...(await stampOf(call, Number(news.serverId))) };
      return { id, outs: await sync(call, id, inputs, stateOf({}), randomUUID()) };
    },

    /** Refresh: items deleted outside Pulumi leave the list (with proof); the history itself stays. */
    async read(id, props, call) {
      const s = stateOf(props);
      await dropVanished(call, props, s, await list(call, props));
      const stamp = props.__serverCreatedAt === undefined ? await stampOf(call, Number(props.serverId)) : {};
      return { id, props: { ...output(props, s, props.__generation), ...stamp } };
    },

    async update(id, olds, news, call) {
      const s = stateOf(olds);
      // A history recorded before generations existed gets one now, for its later delete.
      const generation = typeof olds.__generation === "string" ? olds.__generation : randomUUID();
      const inputs =
        olds.__serverCreatedAt !== undefined ? { ...news, __serverCreatedAt: olds.__serverCreatedAt } : news;
      return { outs: await sync(call, id, inputs, s, generation) };
    },

    /**
     * Destroy deletes every item the history holds (the engine skips this with `retainOnDelete`),
     * except one its replacement adopted: `pulumi up --replace` with unchanged inputs.
     */
    async delete(_id, props, call) {
      for (const item of heldOf(stateOf(props))) {
        const object = { kind: noun, id: item.id, createdAt: item.createdAt };
        if (call.runtime.claims.heldByReplacement(object, props.__generation)) {
          say(call, `vpsorg: ${noun} ${item.id} is kept: the ${spec.title} that replaces this one adopted it.`);
          continue;
        }
        await remove(call, props, item.id);
      }
    },
  };
}

export const snapshotHistoryResource = historyResource(snapshotHistorySpec);
export const backupHistoryResource = historyResource(backupHistorySpec);

// The life of a Backup or a Snapshot resource: post, wait until `completed`, record; resume a
// wait that timed out; replace a failed one; refresh; delete. The two differ only in their spec.
import type { VpsOrgClient } from "../client/client";
import { BadRequestError, JobFailedError, WaitTimeoutError } from "../client/errors";
import type { Backup, Snapshot } from "../client/types";
import { type JobKind, waitForJob } from "../wait/jobs";
import type { z } from "zod";
import { randomUUID } from "node:crypto";
import { heldByReplacement, noteOwned } from "./claims";
import { clientFor, isUnknown, type ProviderSettings, ResourceInitError, sameText } from "./common";
import { ownerKey, withMarker } from "./identity";
import { checkInputs, waitTimeoutOf } from "./inputs";
import { findOrPost } from "./job-create";
import { progressLine, WAITS_AGAIN } from "./messages";

type Job = Snapshot | Backup;
export type Props = Record<string, unknown>;

export interface JobSpec<T extends Job> {
  kind: JobKind;
  /** The inputs users may set, with their rules. */
  inputs: z.ZodObject;
  /** Per-server limit and what it counts, for the limit error. */
  limit: number;
  limitNoun: string;
  defaultTimeoutMs: number;
  /** Kind-specific defaults (a snapshot's name). */
  checkMore(olds: Props, news: Props): Props;
  /** Inputs whose change means a new object. */
  replaceKeys: readonly string[];
  /** Inputs whose change means a new object: with the URN, they make the object's marker. */
  identityKeys: readonly string[];
  /** Posts the object with `description` (the user's, with the marker) as its description. */
  post(client: VpsOrgClient, inputs: Props, description: string): Promise<T>;
  list(client: VpsOrgClient, serverId: number): Promise<T[]>;
  /** Deletes; an object already gone counts as deleted. */
  remove(client: VpsOrgClient, id: T["id"]): Promise<void>;
  countsTowardLimit(item: T): boolean;
  /** Why an object cannot be adopted with these inputs, if it cannot. */
  adoptProblem(item: T, inputs: Props): string | undefined;
  outputs(item: T): Props;
}

export function jobResource<T extends Job>(spec: JobSpec<T>) {
  const noun = spec.kind;
  const timeoutOf = (props: Props) => waitTimeoutOf(props, spec.defaultTimeoutMs);
  const record = (inputs: Props, item: T): Props => ({ ...inputs, ...spec.outputs(item) });
  /** The outputs of a create carry its generation; later records keep the one they had. */
  const keep = (olds: Props, outs: Props): Props => ({ ...outs, __generation: olds.__generation ?? null });

  /**
   * Waits for the object; any failure once it exists still records it, so nothing is orphaned.
   * `recorded`: the state already holds the object (an update resuming a wait).
   */
  async function waitAndRecord(client: VpsOrgClient, inputs: Props, item: T, { recorded = false } = {}) {
    const id = String(item.id);
    try {
      const done = (await waitForJob(client, noun, Number(inputs.serverId), item.id, {
        timeoutMs: timeoutOf(inputs),
      })) as T;
      return { id, outs: record(inputs, done) };
    } catch (error) {
      if (error instanceof JobFailedError && error.status !== undefined) {
        const removed = await spec.remove(client, item.id).then(
          () => true,
          () => false,
        );
        const failed = record(inputs, { ...item, status: "failed" });
        if (removed && !recorded) {
          throw new Error(`${error.message} The failed ${noun} was deleted; nothing was recorded.`);
        }
        // The state holds it (or it is still there): recorded as failed, the next `up` replaces it.
        throw new ResourceInitError(
          `${error.message} ${removed ? `The failed ${noun} was deleted` : "It could not be deleted yet"}; ` +
            `the next \`pulumi up\` makes a new one.`,
          id,
          failed,
        );
      }
      const hint =
        error instanceof WaitTimeoutError
          ? ` ${WAITS_AGAIN}`
          : ` It is recorded with its id, so nothing is left behind; run \`pulumi up\` again.`;
      throw new ResourceInitError(`${(error as Error).message}${hint}`, id, record(inputs, item));
    }
  }

  /** A BadRequest on create: if the server is at its limit, say so and say what to do. */
  async function explainRefusal(client: VpsOrgClient, inputs: Props, error: BadRequestError): Promise<Error> {
    const serverId = Number(inputs.serverId);
    const items = await spec.list(client, serverId).catch(() => undefined);
    const count = items?.filter(spec.countsTowardLimit).length;
    if (count === undefined || count < spec.limit) {
      return new Error(`VPS.org refused the ${noun} on server ${serverId}: ${error.serverMessage || error.message}`);
    }
    return new Error(
      `server ${serverId} already has ${count} ${spec.limitNoun}; VPS.org allows at most ${spec.limit} per server. ` +
        `Delete one you no longer need (remove its resource from the stack, or delete it in VPS.org), or, if this ` +
        `${noun} replaces another, set \`deleteBeforeReplace: true\` in the resource's options so the old one goes first. ` +
        `(VPS.org said: ${error.serverMessage || error.message})`,
    );
  }

  /** This resource's object: one adopted by its marker, or a new one posted exactly once. */
  async function createOnce(client: VpsOrgClient, inputs: Props, generation: string): Promise<T> {
    const serverId = Number(inputs.serverId);
    const key = ownerKey(inputs, [noun, ...spec.identityKeys.map((k) => inputs[k])]);
    const createSpec = {
      kind: noun,
      list: spec.list,
      remove: spec.remove,
      post: (c: VpsOrgClient) => spec.post(c, inputs, withMarker(inputs.description, key)),
    };
    try {
      return await findOrPost(client, createSpec, serverId, key, generation);
    } catch (error) {
      if (error instanceof BadRequestError) throw await explainRefusal(client, inputs, error);
      throw error;
    }
  }

  async function adopt(client: VpsOrgClient, inputs: Props) {
    const serverId = Number(inputs.serverId);
    const item = (await spec.list(client, serverId)).find((c) => String(c.id) === String(inputs.adoptId));
    if (!item) throw new Error(`adoptId: ${noun} ${inputs.adoptId} does not exist on server ${serverId}.`);
    const problem = spec.adoptProblem(item, inputs);
    if (problem) throw new Error(`adoptId: ${problem}`);
    return item;
  }

  return {
    async check(olds: Props, news: Props) {
      const failures = checkInputs(spec.inputs, news);
      const inputs = spec.checkMore(olds, news);
      return { inputs, failures };
    },

    async diff(id: string, olds: Props, news: Props) {
      noteOwned(noun, id, olds.createdAt); // in the state: never to be adopted by a create, even one with the same marker
      const adopted = olds.adoptId != null;
      const replaces = spec.replaceKeys.filter((key) => {
        if (isUnknown(news[key])) return true;
        if (adopted && news[key] === undefined && key !== "adoptId") return false; // "whatever it is"
        return key === "description"
          ? !sameText(olds[key], news[key])
          : String(olds[key] ?? "") !== String(news[key] ?? "");
      });
      if (olds.status === "failed") replaces.push("status");
      const changes = replaces.length > 0 || olds.waitTimeout !== news.waitTimeout || olds.status !== "completed";
      return { changes, replaces, deleteBeforeReplace: false };
    },

    async create(news: Props, settings: ProviderSettings | undefined) {
      const client = clientFor(settings, news.account);
      const generation = randomUUID();
      const inputs = { ...news, __generation: generation };
      const item = news.adoptId != null ? await adopt(client, inputs) : await createOnce(client, inputs, generation);
      return await waitAndRecord(client, inputs, item);
    },

    async read(id: string, props: Props, settings: ProviderSettings | undefined) {
      noteOwned(noun, id, props.createdAt);
      const client = clientFor(settings, props.account);
      const item = (await spec.list(client, Number(props.serverId))).find((c) => String(c.id) === id);
      if (!item) return { id: "", props: {} }; // gone: refresh drops it from the state
      return { id, props: record(props, item) };
    },

    /** Only the wait timeout changes in place; also resumes a wait that timed out during create. */
    async update(id: string, olds: Props, news: Props, settings: ProviderSettings | undefined) {
      noteOwned(noun, id, olds.createdAt);
      const client = clientFor(settings, news.account);
      const item = (await spec.list(client, Number(news.serverId))).find((c) => String(c.id) === id);
      if (!item) {
        throw new Error(
          `${noun} ${id} of server ${news.serverId} no longer exists; run \`pulumi refresh\` to drop it.`,
        );
      }
      if (item.status === "completed") return { outs: keep(olds, record(news, item)) };
      const { outs } = await waitAndRecord(client, keep(olds, news), item, { recorded: true });
      return { outs };
    },

    async delete(id: string, props: Props, settings: ProviderSettings | undefined) {
      noteOwned(noun, id, props.createdAt);
      if (heldByReplacement(noun, id, props.createdAt, props.__generation)) {
        // `pulumi up --replace` with unchanged inputs: the replacement adopted this very object.
        progressLine(
          `${noun} ${id} is kept: its replacement (same inputs) adopted it. Change an input, such as the ` +
            `description, to take a new ${noun}.`,
        );
        return;
      }
      const client = clientFor(settings, props.account);
      await spec.remove(client, id);
    },
  };
}

export type JobResourceProvider = ReturnType<typeof jobResource>;

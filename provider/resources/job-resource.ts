// The life of a Backup or a Snapshot resource: post, wait until `completed`, record; resume a
// wait that timed out; replace a failed one; refresh; delete. The two differ only in their spec.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { BadRequestError, JobFailedError, WaitTimeoutError } from "../client/errors";
import type { VpsOrgClient } from "../client/client";
import type { Identity } from "../core/markers";
import { ownerKey, withMarker } from "../core/markers";
import { explain, ProviderError, tokenOf, WAITS_AGAIN } from "../core/messages";
import type { Job, JobKind } from "../kinds";
import { proveGone, serverStamp, visibleServer } from "../operations/proof";
import { removeObject } from "../operations/removal";
import { waitForJob } from "../wait/jobs";
import { type Call, say, waitOf, type Props, proofOf, type ResourceProvider } from "./call";
import { isUnknown, ResourceInitError, sameText } from "./engine";
import { checkInputs, waitTimeoutOf } from "./inputs";
import { findOrPost } from "./job-create";

export type { Props } from "./call";

export interface JobSpec<T extends Job> {
  kind: JobKind<T>;
  /** The inputs users may set, with their rules. */
  inputs: z.ZodObject;
  /** Kind-specific defaults (a snapshot's name). */
  checkMore(olds: Props, news: Props, identity: Identity): Props;
  /** Inputs whose change means a new object. */
  replaceKeys: readonly string[];
  /** Inputs whose change means a new object: with the identity, they make the object's marker. */
  identityKeys: readonly string[];
  /** Posts the object with `description` (the user's, with the marker) as its description. */
  post(client: VpsOrgClient, inputs: Props, description: string): Promise<T>;
  /** Why an object cannot be adopted with these inputs, if it cannot. */
  adoptProblem(item: T, inputs: Props): string | undefined;
}

/**
 * Outputs that are the provider's, not the user's: the generation of the create (claims.ts) and
 * the creation time of the object's server (proof.ts), both kept from one record to the next.
 */
const kept = (olds: Props) => ({
  __generation: olds.__generation ?? null,
  ...(olds.__serverCreatedAt !== undefined ? { __serverCreatedAt: olds.__serverCreatedAt } : {}),
});

/**
 * What the object's server is, to record with the object (a later "gone" needs to know it is the same
 * server): read with other calls of the same window. Nothing when it cannot be read now: the next
 * refresh records it, and a failed read must not fail a create that has posted.
 */
export async function stampOf(call: Call, serverId: number): Promise<{ __serverCreatedAt?: string | null }> {
  try {
    return { __serverCreatedAt: serverStamp(await visibleServer(proofOf(call), serverId)) };
  } catch {
    return {};
  }
}

export function jobResource<T extends Job>(spec: JobSpec<T>): ResourceProvider {
  const { kind } = spec;
  const noun = kind.name;
  const timeoutOf = (props: Props) => waitTimeoutOf(props, kind.defaultWaitMs);
  const record = (inputs: Props, item: T): Props => ({ ...inputs, ...kind.fields(item) });
  const list = (call: Call, serverId: number) =>
    call.runtime.reads.list(call.account.client, noun, serverId) as Promise<T[]>;
  const placement = (props: Props) => ({
    serverId: Number(props.serverId),
    serverCreatedAt: props.__serverCreatedAt as string | null | undefined,
  });
  const remove = (call: Call, id: T["id"], props: Props) => removeObject(proofOf(call), kind, id, placement(props));

  /**
   * Waits for the object; any failure once it exists still records it, so nothing is orphaned.
   * `recorded`: the state already holds the object (an update resuming a wait).
   */
  async function waitAndRecord(call: Call, inputs: Props, item: T, { recorded = false } = {}) {
    const id = String(item.id);
    const { runtime, account } = call;
    try {
      const done = (await waitForJob(runtime.poller, account.client, noun, Number(inputs.serverId), item.id, {
        timeoutMs: timeoutOf(inputs),
        ...waitOf(call),
      })) as T;
      return { id, outs: record(inputs, done) };
    } catch (error) {
      if (error instanceof JobFailedError && error.status !== undefined) {
        const removed = await remove(call, item.id, inputs).then(
          () => true,
          () => false,
        );
        const failed = record(inputs, { ...item, status: "failed" });
        if (removed && !recorded) {
          throw new ProviderError(`${error.message} The failed ${noun} was deleted; nothing was recorded.`);
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
      const said = explain(error, { source: account.source, serverId: Number(inputs.serverId) });
      throw new ResourceInitError(`${said}${hint}`, id, record(inputs, item));
    }
  }

  /** A BadRequest on create: if the server is at its limit, say so and say what to do. */
  async function explainRefusal(call: Call, inputs: Props, error: BadRequestError): Promise<Error> {
    const serverId = Number(inputs.serverId);
    const items = await list(call, serverId).catch(() => undefined);
    const count = items?.filter((item) => kind.countsTowardLimit(item)).length;
    const said = (error.serverMessage || error.message).replace(/[.\s]+$/, "");
    if (count === undefined || count < kind.limit) {
      return new ProviderError(`VPS.org refused the ${noun} on server ${serverId}: ${said}.`);
    }
    return new ProviderError(
      `server ${serverId} already has ${count} ${kind.limitNoun}; VPS.org allows at most ${kind.limit} per server. ` +
        `Delete one you no longer need (remove its resource from the stack, or delete it in VPS.org), or, if this ` +
        `${noun} replaces another, set \`deleteBeforeReplace: true\` in the resource's options so the old one goes first. ` +
        `(VPS.org said: ${said}.)`,
    );
  }

  /** This resource's object: one adopted by its marker, or a new one posted exactly once. */
  async function createOnce(call: Call, inputs: Props, generation: string): Promise<T> {
    const serverId = Number(inputs.serverId);
    const key = ownerKey(call.identity, [noun, ...spec.identityKeys.map((k) => inputs[k])]);
    try {
      return await findOrPost(
        call,
        {
          kind,
          serverId,
          list: () => list(call, serverId),
          post: () => spec.post(call.account.client, inputs, withMarker(inputs.description, key)),
          remove: (item) => remove(call, item.id, inputs),
        },
        key,
        generation,
      );
    } catch (error) {
      if (error instanceof BadRequestError) throw await explainRefusal(call, inputs, error);
      throw error;
    }
  }

  async function adopt(call: Call, inputs: Props) {
    const serverId = Number(inputs.serverId);
    const item = (await list(call, serverId)).find((c) => String(c.id) === String(inputs.adoptId));
    if (!item) {
      // Missing from the list of a server this token cannot see proves nothing: say that instead.
      await proveGone(proofOf(call), `${noun} ${inputs.adoptId}`, serverId, undefined);
      throw new ProviderError(`adoptId: ${noun} ${inputs.adoptId} does not exist on server ${serverId}.`);
    }
    const problem = spec.adoptProblem(item, inputs);
    if (problem) throw new ProviderError(`adoptId: ${problem}`);
    return item;
  }

  return {
    async imports(id, call) {
      const item = (await kind.list(call.account.client, undefined)).find((c) => String(c.id) === id);
      if (!item) {
        throw new ProviderError(
          `${noun} ${id} is not in the account of ${tokenOf(call.account.source)}: check the id, and the token and API URL.`,
        );
      }
      const problem = spec.adoptProblem(item, {});
      if (problem) throw new ProviderError(problem);
      return { serverId: Number(item.server.id) };
    },

    inputs: Object.keys(spec.inputs.shape),
    held: (id, props) => [{ kind: noun, id, createdAt: props.createdAt }],

    async check(olds, news, identity) {
      const failures = checkInputs(spec.inputs, news);
      const inputs = spec.checkMore(olds, news, identity);
      return { inputs, failures };
    },

    async diff(_id, olds, news) {
      const adopted = olds.adoptId != null;
      const replaces = spec.replaceKeys.filter((key) => {
        if (isUnknown(news[key])) return true;
        if (adopted && news[key] === undefined && key !== "adoptId") return false; // "whatever it is"
        return key === "description"
          ? !sameText(olds[key], news[key])
          : String(olds[key] ?? "") !== String(news[key] ?? "");
      });
      if (olds.status === "failed") replaces.push("status");
      const updates = [
        ...(olds.waitTimeout !== news.waitTimeout ? ["waitTimeout"] : []),
        ...(olds.status !== "completed" && olds.status !== "failed" ? ["status"] : []), // a wait to resume
      ];
      return { changes: replaces.length + updates.length > 0, replaces, updates, deleteBeforeReplace: false };
    },

    async create(news, call) {
      const generation = randomUUID();
      const stamping = stampOf(call, Number(news.serverId));
      const item = news.adoptId != null ? await adopt(call, news) : await createOnce(call, news, generation);
      const inputs = { ...news, __generation: generation, ...(await stamping) };
      return await waitAndRecord(call, inputs, item);
    },

    async read(id, props, call) {
      const serverId = Number(props.serverId);
      const item = (await list(call, serverId)).find((c) => String(c.id) === id);
      if (!item) {
        await proveGone(proofOf(call), `${noun} ${id}`, serverId, placement(props).serverCreatedAt);
        return { id: "", props: {} }; // gone, with proof: refresh drops it from the state
      }
      // A state from before the server's creation time was recorded gains it now.
      const stamp = props.__serverCreatedAt === undefined ? await stampOf(call, serverId) : {};
      return { id, props: { ...record(props, item), ...stamp } };
    },

    /** Only the wait timeout changes in place; also resumes a wait that timed out during create. */
    async update(id, olds, news, call) {
      const serverId = Number(news.serverId);
      const item = (await list(call, serverId)).find((c) => String(c.id) === id);
      if (!item) {
        await proveGone(proofOf(call), `${noun} ${id}`, serverId, placement(olds).serverCreatedAt);
        throw new ProviderError(
          `${noun} ${id} of server ${news.serverId} no longer exists; run \`pulumi refresh\` to drop it.`,
        );
      }
      const inputs = { ...news, ...kept(olds) };
      if (item.status === "completed") return { outs: record(inputs, item) };
      const { outs } = await waitAndRecord(call, inputs, item, { recorded: true });
      return { outs };
    },

    async delete(id, props, call) {
      const object = { kind: noun, id, createdAt: props.createdAt };
      if (call.runtime.claims.heldByReplacement(object, props.__generation)) {
        // `pulumi up --replace` with unchanged inputs: the replacement adopted this very object.
        say(
          call,
          `vpsorg: ${noun} ${id} is kept: its replacement (same inputs) adopted it. Change an input, such as the ` +
            `description, to take a new ${noun}.`,
        );
        return;
      }
      await remove(call, id, props);
    },
  };
}

// Creating a snapshot or backup exactly once. Before posting, the server's list is read: an object
// carrying this resource's marker that no resource of the state holds was started by an earlier run
// whose provider host died before the engine learnt its id, and it is adopted instead of posting a
// second one. A POST is never sent twice: if its answer is lost, the list is read again (patiently,
// through an API that may be down for a while) until it says whether the object was made.
import { mayHaveActed, NotFoundError } from "../client/errors";
import { explain, ProviderError, serverNotVisible } from "../core/messages";
import { markerOf } from "../core/markers";
import type { Job, JobKind } from "../kinds";
import { askPatiently } from "../operations/patience";
import { type Call, say } from "./call";

export interface CreateSpec<T extends Job> {
  kind: JobKind<T>;
  serverId: number;
  /** The server's objects of this kind (a coalesced read). */
  list(): Promise<T[]>;
  /** Posts the object with the marker in its description. */
  post(): Promise<T>;
  /** Deletes a failed leftover of ours (it holds one of the server's slots). */
  remove(item: T): Promise<void>;
}

/**
 * The object of ours among `items`: it carries `key`, and no resource holds it. A failed one is our
 * leftover (its run died before it could delete it) and is deleted; an unfinished or completed one
 * is taken and returned.
 */
export async function takeMine<T extends Job>(
  call: Call,
  spec: CreateSpec<T>,
  items: T[],
  key: string,
  generation: string,
): Promise<T | undefined> {
  const { claims } = call.runtime;
  const ref = (item: T) => ({ kind: spec.kind.name, id: item.id, createdAt: item.created_at });
  // An object the engine has shown this process belongs to a resource of the state: never adopted,
  // even when its marker is this resource's (claims.ts). Nor is one another create has taken.
  const mine = items.filter((item) => markerOf(item.description) === key && !claims.isHeld(ref(item)));
  const byNewest = [...mine].sort((a, b) => Number(b.id) - Number(a.id) || 0);
  for (const item of byNewest) {
    if (!claims.take(ref(item))) continue;
    if (item.status === "in_progress" || item.status === "completed") {
      say(call, `vpsorg: ${spec.kind.name} ${item.id} (${item.status}) was started by an earlier run: adopting it.`);
      claims.adoptedByMarker(ref(item), generation);
      return item;
    }
    await spec.remove(item);
  }
  return undefined;
}

/**
 * Finds ours, or posts once. `seen`: the server's list when the caller has just read it. Throws
 * the POST's own error when VPS.org refused it.
 */
export async function findOrPost<T extends Job>(
  call: Call,
  spec: CreateSpec<T>,
  key: string,
  generation: string,
  seen?: T[],
): Promise<T> {
  const adopted = await takeMine(call, spec, seen ?? (await spec.list()), key, generation);
  if (adopted) return adopted;
  try {
    const made = await spec.post();
    call.runtime.claims.take({ kind: spec.kind.name, id: made.id, createdAt: made.created_at });
    return made;
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new ProviderError(serverNotVisible(spec.serverId, call.account.source));
    }
    if (!mayHaveActed(error)) throw error;
    return await reconcile(call, spec, key, generation, error as Error);
  }
}

async function reconcile<T extends Job>(
  call: Call,
  spec: CreateSpec<T>,
  key: string,
  generation: string,
  postError: Error,
): Promise<T> {
  const { name } = spec.kind;
  const { serverId } = spec;
  const context = { source: call.account.source, serverId };
  const look = async () => takeMine(call, spec, await spec.list(), key, generation);
  const found = await askPatiently(look, {
    budgetMs: call.runtime.settings.reconcileMs,
    onRetry: (error, delayMs) =>
      say(
        call,
        `vpsorg: the answer to creating a ${name} on server ${serverId} was lost; asking VPS.org again in ` +
          `${Math.round(delayMs / 1000)} s (${explain(error, context)})`,
      ),
    giveUp: (error) =>
      new ProviderError(
        `The answer to creating a ${name} on server ${serverId} was lost (${explain(postError, context)}), and ` +
          `VPS.org could not be asked whether it was made (${explain(error, context)}). A ${name} may exist: the ` +
          `next \`pulumi up\` finds it by its marker [pulumi:${key}] and adopts it, so nothing is made twice.`,
      ),
  });
  if (found) return found;
  throw new ProviderError(
    `VPS.org did not answer the request to create a ${name} on server ${serverId} ` +
      `(${explain(postError, context).replace(/\.$/, "")}), and none was made: nothing is left behind. ` +
      `Run \`pulumi up\` again.`,
  );
}

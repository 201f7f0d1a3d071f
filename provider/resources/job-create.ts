// Creating a snapshot or backup exactly once. Before posting, the server's list is read: an object
// carrying this resource's marker that no resource of the state holds was started by an earlier run
// whose provider host died before the engine learnt its id, and it is adopted instead of posting a
// second one. A POST is never sent twice: if its answer is lost, the list is read again (patiently,
// through an API that may be down for a while) until it says whether the object was made.
import type { VpsOrgClient } from "../client/client";
import { mayHaveActed } from "../client/errors";
import type { Backup, Snapshot } from "../client/types";
import { askPatiently } from "../wait/patience";
import { claim, isOwned, noteAdoptedByMarker } from "./claims";
import { markerOf } from "./identity";
import { progressLine } from "./messages";

type Job = Snapshot | Backup;

export interface CreateSpec<T extends Job> {
  kind: "snapshot" | "backup";
  list(client: VpsOrgClient, serverId: number): Promise<T[]>;
  /** Posts with the marker in the description. */
  post(client: VpsOrgClient): Promise<T>;
  /** Deletes; an object already gone counts as deleted. */
  remove(client: VpsOrgClient, id: T["id"]): Promise<void>;
}

/**
 * The object of ours among `items`: it carries `key` and no resource holds it. A failed one is our
 * leftover (its run died before it could delete it) and is deleted, since it holds one of the
 * server's slots; an unfinished or completed one is claimed and returned.
 */
export async function takeMine<T extends Job>(
  client: VpsOrgClient,
  spec: CreateSpec<T>,
  items: T[],
  key: string,
  generation: string,
): Promise<T | undefined> {
  const mine = items.filter(
    (item) => markerOf(item.description) === key && !isOwned(spec.kind, item.id, item.created_at),
  );
  const byNewest = [...mine].sort((a, b) => Number(b.id) - Number(a.id) || 0);
  for (const item of byNewest) {
    if (item.status === "in_progress" || item.status === "completed") {
      if (claim(spec.kind, item.id, item.created_at)) {
        progressLine(`${spec.kind} ${item.id} (${item.status}) was started by an earlier run: adopting it.`);
        noteAdoptedByMarker(spec.kind, item.id, item.created_at, generation);
        return item;
      }
    } else if (claim(spec.kind, item.id, item.created_at)) {
      await spec.remove(client, item.id);
    }
  }
  return undefined;
}

/** Finds ours, or posts once. Throws the POST's own error when VPS.org refused it. */
export async function findOrPost<T extends Job>(
  client: VpsOrgClient,
  spec: CreateSpec<T>,
  serverId: number,
  key: string,
  generation: string,
  seen?: T[],
): Promise<T> {
  const adopted = await takeMine(client, spec, seen ?? (await spec.list(client, serverId)), key, generation);
  if (adopted) return adopted;
  try {
    const made = await spec.post(client);
    claim(spec.kind, made.id, made.created_at);
    return made;
  } catch (error) {
    if (!mayHaveActed(error)) throw error;
    return await reconcile(client, spec, serverId, key, generation, error as Error);
  }
}

async function reconcile<T extends Job>(
  client: VpsOrgClient,
  spec: CreateSpec<T>,
  serverId: number,
  key: string,
  generation: string,
  postError: Error,
): Promise<T> {
  const look = async () => takeMine(client, spec, await spec.list(client, serverId), key, generation);
  const found = await askPatiently(look, {
    onRetry: (error, delayMs) =>
      progressLine(
        `the answer to creating a ${spec.kind} on server ${serverId} was lost; asking VPS.org again in ` +
          `${Math.round(delayMs / 1000)} s (${error.message})`,
      ),
    giveUp: (error) =>
      new Error(
        `The answer to creating a ${spec.kind} on server ${serverId} was lost (${postError.message}), and VPS.org ` +
          `could not be asked whether it was made (${error.message}). A ${spec.kind} may exist: the next ` +
          `\`pulumi up\` finds it by its marker [pulumi:${key}] and adopts it, so nothing is made twice.`,
      ),
  });
  if (found) return found;
  throw new Error(
    `VPS.org did not answer the request to create a ${spec.kind} on server ${serverId} (${postError.message}), ` +
      `and none was made: nothing is left behind. Run \`pulumi up\` again.`,
  );
}

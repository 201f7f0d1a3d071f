// Deleting a snapshot or backup. A DELETE answered with the API's own 404 means "done" only with the
// proof of proof.ts: the token sees the object's server, and it is the server the object was made on.
import { NotFoundError } from "../client/errors";
import type { Id } from "../client/types";
import type { JobKind } from "../kinds";
import { type ProofContext, proveGone } from "./proof";

/** Where an object lives, as the state recorded it. */
export interface Placement {
  serverId: Id;
  /** The server's creation time recorded with the object (undefined in states from before it was). */
  serverCreatedAt: string | null | undefined;
}

/** Deletes the object; one already gone counts as deleted once proof.ts says it is. */
export async function removeObject(ctx: ProofContext, kind: JobKind, id: Id, where: Placement): Promise<void> {
  try {
    await kind.deleteRequest(ctx.client, id);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    await proveGone(ctx, `${kind.name} ${id}`, where.serverId, where.serverCreatedAt);
  }
}

// Proof before "gone". An object missing from its server's list, or a DELETE answered 404, proves
// nothing by itself: a token of another account sees neither the server nor its objects, and an API
// URL of another environment may hold a server of the same id with other objects. So an object is
// taken as gone (dropped by refresh, its delete done) only when its server is visible to the token in
// use AND is the server it was made on: the same `created_at`, recorded when the object was made.
// (States written before that was recorded fall back to visibility alone.) Otherwise the call fails
// with one error saying which server, which account, where the token came from and what to check.
//
// The one exception is the user's own word: a server listed in `vpsorg:deletedServers` was deleted
// for real, so its objects went with it and may be dropped though the server cannot be seen.
import type { VpsOrgClient } from "../client/client";
import type { Id, Server } from "../client/types";
import type { CredentialSource } from "../core/accounts";
import { checkOwner, ProviderError, tokenOf } from "../core/messages";
import type { ReadBatcher } from "../reads/batcher";

/** The account a call acts for, as much as proving needs. */
export interface ProofContext {
  client: VpsOrgClient;
  reads: ReadBatcher;
  source: CredentialSource;
  /** Servers the user declared deleted (`vpsorg:deletedServers`). */
  deletedServers: ReadonlySet<string>;
}

/** The server as the token sees it (read with every other call of the same window), or undefined. */
export async function visibleServer(ctx: ProofContext, serverId: Id): Promise<Server | undefined> {
  const [server] = await ctx.reads.list(ctx.client, "server", serverId);
  return server && String(server.id) === String(serverId) ? server : undefined;
}

/** What to record of a server when an object is made on it: its creation time (null when the API gives none). */
export const serverStamp = (server: Server | undefined): string | null => server?.created_at ?? null;

/**
 * The verdict on a server whose object went missing: "same" (visible, and the server it was made
 * on: the object is gone), "deleted" (not visible, and the user said it was deleted), or an error
 * that names what is wrong. `recorded`: its creation time as recorded at create; undefined in a
 * state from before it was recorded, null when the API gave none.
 */
export function judgeServer(
  serverId: Id,
  server: Server | undefined,
  recorded: string | null | undefined,
  deletedServers: ReadonlySet<string>,
): "same" | "deleted" | { problem: "not visible" | "another server"; seenCreatedAt?: string | null } {
  if (!server) return deletedServers.has(String(serverId)) ? "deleted" : { problem: "not visible" };
  if (recorded && server.created_at && server.created_at !== recorded) {
    return { problem: "another server", seenCreatedAt: server.created_at };
  }
  return "same";
}

/**
 * Proves that `what` (e.g. "snapshot 802", missing from the list or answered 404) is gone: returns
 * when it is, throws a ProviderError saying why it cannot be told otherwise.
 */
export async function proveGone(
  ctx: ProofContext,
  what: string,
  serverId: Id,
  recorded: string | null | undefined,
): Promise<void> {
  const verdict = judgeServer(serverId, await visibleServer(ctx, serverId), recorded, ctx.deletedServers);
  if (verdict === "same" || verdict === "deleted") return;
  throw new ProviderError(noProof(ctx.source, `whether ${what} still exists`, what, serverId, verdict, recorded));
}

/**
 * `server` (read by the caller) if it is the one recorded; else the same error as proveGone. For
 * calls that go on with the server, so a deleted one is no answer either.
 */
export function requireSameServer(
  source: CredentialSource,
  question: string,
  what: string,
  serverId: Id,
  server: Server | undefined,
  recorded: string | null | undefined,
): Server {
  const verdict = judgeServer(serverId, server, recorded, new Set());
  if (verdict === "same" && server) return server;
  const problem = verdict === "same" || verdict === "deleted" ? { problem: "not visible" as const } : verdict;
  throw new ProviderError(noProof(source, question, what, serverId, problem, recorded));
}

/** "Cannot tell <question>: <why>. Nothing was dropped ... <what to check, and the way out>." */
function noProof(
  source: CredentialSource,
  question: string,
  what: string,
  serverId: Id,
  verdict: { problem: "not visible" | "another server"; seenCreatedAt?: string | null },
  recorded: string | null | undefined,
): string {
  const kept = `Nothing was dropped from the state and nothing was taken as deleted.`;
  if (verdict.problem === "another server") {
    return (
      `Cannot tell ${question}: server ${serverId} at ${source.baseUrl} was created at ` +
      `${verdict.seenCreatedAt}, but the one ${what} was made on was created at ${recorded}: the API URL ` +
      `(${source.url}) points at another environment, or ${tokenOf(source)} is another account's. ${kept}`
    );
  }
  return (
    `Cannot tell ${question}: server ${serverId} is not visible to ${tokenOf(source)} at ${source.baseUrl}, ` +
    `and a token of another account, or the API URL of another environment, sees neither a server nor its ` +
    `objects. ${kept} Please ${checkOwner(serverId, source)} If server ${serverId} was deleted for real, its ` +
    `objects went with it: add it to vpsorg:deletedServers (\`pulumi config set --path 'vpsorg:deletedServers[0]' ` +
    `${serverId}\`) and run again, or remove the resource from the state with \`pulumi state delete <urn>\`.`
  );
}

// What one call of a resource's method depends on besides its inputs, and the interface every
// resource implements. The engine adapters (dynamic.ts for the dynamic providers, plugin/ for the
// resource plugin) build the Call; a resource never reads the environment, the stack config or any
// state of the process except through it.
import type { VpsOrgClient } from "../client/client";
import type { CredentialSource } from "../core/accounts";
import type { Identity } from "../core/markers";
import type { ObjectRef } from "../operations/claims";
import type { ProofContext } from "../operations/proof";
import type { Runtime } from "../runtime";

export type Props = Record<string, unknown>;

/** The account a call acts for. */
export interface Account {
  /** Its name (`vpsorg:accounts.<name>`); undefined for the default account. */
  name: string | undefined;
  client: VpsOrgClient;
  /** Where its token and URL came from (for messages; never the token). */
  source: CredentialSource;
  /** Servers the user declared deleted (`vpsorg:deletedServers`). */
  deletedServers: ReadonlySet<string>;
}

/** One call of a resource's create, read, update or delete. */
export interface Call {
  runtime: Runtime;
  account: Account;
  /** Names the resource across processes (its URN), for the markers of what it creates. */
  identity: Identity;
}

/** How progress lines name the call's account: only a named one is named (`account "prod"`). */
export const accountLabel = (call: Call) => (call.account.name ? call.account.source.account : undefined);

/** What a wait of this call says of itself: its account, and its resource. */
export const waitOf = (call: Call) => ({ account: accountLabel(call), urn: call.identity.urn });

/** Writes one line about this call's resource. */
export const say = (call: Call, line: string) => call.runtime.write(line, call.identity.urn);

/** The proof context of a call (operations/proof.ts). */
export const proofOf = (call: Call): ProofContext => ({
  client: call.account.client,
  reads: call.runtime.reads,
  source: call.account.source,
  deletedServers: call.account.deletedServers,
});

export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * What `up` would do to a resource: `replaces` are the keys whose change makes a new object,
 * `updates` the keys changed in place, inputs or not (a wait to resume shows as `status`), so that
 * the plugin's detailed diff names every reason; `changes` is false when neither holds anything.
 */
export interface DiffVerdict {
  changes: boolean;
  replaces: string[];
  updates: string[];
  deleteBeforeReplace: boolean;
}

/** A resource, as the engine adapters drive it. check and diff send no request. */
export interface ResourceProvider {
  /** The names of the inputs a user may set (the plugin's schema and its Read's inputs). */
  readonly inputs: readonly string[];
  check(olds: Props, news: Props, identity: Identity): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(id: string, olds: Props, news: Props): Promise<DiffVerdict>;
  create(inputs: Props, call: Call): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props, call: Call): Promise<{ id: string; props: Props }>;
  update(id: string, olds: Props, news: Props, call: Call): Promise<{ outs: Props }>;
  delete(id: string, props: Props, call: Call): Promise<void>;
  /**
   * `pulumi import` by id alone (a resource plugin's Read with no properties): the props to read it
   * with, found in the account, under the same rules as `adoptId`. Absent: the kind holds no one
   * object to import.
   */
  imports?(id: string, call: Call): Promise<Props>;
  /**
   * The objects a resource's recorded properties hold. The adapters tell the runtime's claims of
   * them before every diff, read, update and delete: what the engine has shown is never adopted.
   */
  held(id: string, props: Props): ObjectRef[];
}

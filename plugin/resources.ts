// The resource RPCs of the plugin (Check, Diff, Create, Read, Update, Delete), each the same call of
// the same resource (provider/resources) as a dynamic provider makes, through the shared adapter.
// What differs is only what the engine says: the URN and name come with every request (the
// resource's identity), customTimeouts arrive as a timeout, and a preview asks Create and Update
// what they would answer, without a request.
import type { Identity } from "../provider/core/markers";
import { UNKNOWN } from "../provider/resources/engine";
import type { ProviderKind } from "../provider/kinds";
import { JOB_KINDS } from "../provider/kinds";
import { type Adapted, callFor, type EngineRequest } from "../provider/adapter";
import { RESOURCES } from "../provider/resources";
import type { Runtime } from "../provider/runtime";
import type { ProviderSettings } from "../provider/core/accounts";
import type { Props } from "./values";

/** The schema's resource tokens and the provider kinds they are. */
export const TOKENS: Record<string, ProviderKind> = {
  "vpsorg:index:Snapshot": "snapshot",
  "vpsorg:index:Backup": "backup",
  "vpsorg:index:SnapshotHistory": "snapshotHistory",
  "vpsorg:index:BackupHistory": "backupHistory",
  "vpsorg:index:SnapshotRestore": "snapshotRestore",
  "vpsorg:index:BackupRestore": "backupRestore",
};

/** The outputs each kind adds to its inputs: unknown in a preview's answer. */
const OUTPUTS: Record<ProviderKind, readonly string[]> = {
  snapshot: ["serverName", "status", "sizeMb", "createdAt"],
  backup: ["serverName", "backupType", "status", "sizeMb", "createdAt", "expiresAt"],
  snapshotHistory: ["items", "latest", "lastTrigger"],
  backupHistory: ["items", "latest", "lastTrigger"],
  snapshotRestore: [
    "serverId",
    "serverName",
    "serverStatus",
    "snapshotName",
    "message",
    "startedAt",
    "finishedAt",
    "outcome",
    "failure",
  ],
  backupRestore: [
    "serverName",
    "serverStatus",
    "backupType",
    "backupCreatedAt",
    "message",
    "startedAt",
    "finishedAt",
    "outcome",
    "failure",
  ],
};

/** The kind of a resource type token; an unknown token is an error naming it. */
export function kindOf(type: string): ProviderKind {
  const kind = TOKENS[type];
  if (!kind) throw new Error(`vpsorg has no resource type ${type} (known: ${Object.keys(TOKENS).join(", ")}).`);
  return kind;
}

/** `urn:pulumi:stack::project::type::name`: the name is its last part. */
export function identityOf(urn: string, name: string): Identity {
  return { urn, resourceName: name || urn.split("::").pop() };
}

/** Pulumi's customTimeouts arrive in seconds; the resources read them as `__createTimeout`. */
const withTimeout = (props: Props, seconds: number): Props =>
  seconds > 0 ? { ...props, __createTimeout: `${seconds}s` } : props;
/** What the engine should not keep of a call's props: the timeout of this one call. */
const stored = ({ __createTimeout: _t, ...props }: Props): Props => props;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export interface ResourceCalls {
  check(type: string, urn: string, name: string, olds: Props, news: Props): ReturnType<Adapted["check"]>;
  diff(
    type: string,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean; diffs: Array<[string, boolean]> }>;
  create(
    type: string,
    urn: string,
    name: string,
    inputs: Props,
    timeout: number,
    preview: boolean,
  ): Promise<{ id: string; outs: Props }>;
  read(
    type: string,
    urn: string,
    name: string,
    id: string,
    props: Props,
  ): Promise<{ id: string; props: Props; inputs: Props }>;
  update(
    type: string,
    urn: string,
    name: string,
    id: string,
    olds: Props,
    news: Props,
    timeout: number,
    preview: boolean,
  ): Promise<{ outs: Props }>;
  delete(type: string, urn: string, name: string, id: string, props: Props): Promise<void>;
}

/** The resource RPCs on one runtime, with the settings Configure last gave. */
export function resourceCalls(
  runtime: Runtime,
  adapters: Record<ProviderKind, Adapted>,
  settings: () => ProviderSettings | undefined,
): ResourceCalls {
  const request = (urn: string, name: string): EngineRequest => ({
    settings: settings(),
    identity: identityOf(urn, name),
  });
  const inputsOf = (kind: ProviderKind, props: Props) =>
    Object.fromEntries(
      RESOURCES[kind].inputs.filter((key) => props[key] !== undefined).map((key) => [key, props[key]]),
    );

  /**
   * `pulumi import` reads with an id alone: a snapshot's or backup's server is found in the
   * account's list. A history or a restore holds no one object to import.
   */
  async function imported(kind: ProviderKind, id: string, urn: string, name: string): Promise<Props> {
    const job = kind === "snapshot" || kind === "backup" ? JOB_KINDS[kind] : undefined;
    if (!job) throw new Error(`a ${kind} cannot be imported: it is not one VPS.org object. Declare it instead.`);
    const call = callFor(runtime, request(urn, name), {});
    const found = (await job.list(call.account.client, undefined)).find((item) => String(item.id) === id);
    if (!found) throw new Error(`${job.name} ${id} is not in the account of ${call.account.source.account}.`);
    return { serverId: Number(found.server.id) };
  }

  return {
    check: (type, urn, name, olds, news) => adapters[kindOf(type)].check(olds, news, identityOf(urn, name)),

    async diff(type, id, olds, news) {
      const kind = kindOf(type);
      const verdict = await adapters[kind].diff(id, olds, news);
      const changed = RESOURCES[kind].inputs.filter((key) => !same(olds[key], news[key]));
      const keys = [...new Set([...changed, ...verdict.replaces])];
      return { ...verdict, diffs: keys.map((key) => [key, verdict.replaces.includes(key)]) };
    },

    async create(type, urn, name, inputs, timeout, preview) {
      const kind = kindOf(type);
      if (preview) {
        // What `up` would record, no request sent: the inputs, and outputs not known yet.
        return { id: "", outs: { ...inputs, ...Object.fromEntries(OUTPUTS[kind].map((key) => [key, UNKNOWN])) } };
      }
      const { id, outs } = await adapters[kind].create(withTimeout(inputs, timeout), request(urn, name));
      return { id, outs: stored(outs) };
    },

    async read(type, urn, name, id, props) {
      const kind = kindOf(type);
      const given = Object.keys(props).length > 0 ? props : await imported(kind, id, urn, name);
      const answer = await adapters[kind].read(id, given, request(urn, name));
      return { id: answer.id, props: stored(answer.props), inputs: inputsOf(kind, answer.props) };
    },

    async update(type, urn, name, id, olds, news, timeout, preview) {
      const kind = kindOf(type);
      if (preview) return { outs: { ...olds, ...news } };
      const { outs } = await adapters[kind].update(id, olds, withTimeout(news, timeout), request(urn, name));
      return { outs: stored(outs) };
    },

    delete: (type, urn, name, id, props) => adapters[kindOf(type)].delete(id, props, request(urn, name)),
  };
}

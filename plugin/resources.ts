// The resource RPCs of the plugin (Check, Diff, Create, Read, Update, Delete), each the same call of
// the same resource (provider/resources) as a dynamic provider makes, through the shared adapter.
// What differs is only what the engine says: the URN and name come with every request (the
// resource's identity), the provider instance is the process's own, customTimeouts arrive as a
// timeout, and a preview asks Create and Update what they would answer, without a request.
import type { Identity } from "../provider/core/markers";
import { UNKNOWN } from "../provider/resources/engine";
import type { ProviderKind } from "../provider/kinds";
import { type Adapted, type EngineRequest } from "../provider/adapter";
import { RESOURCES } from "../provider/resources";
import type { ProviderSettings } from "../provider/core/accounts";
import { packageSchema } from "./schema";
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

/** The outputs each kind adds to its inputs, as the schema declares them: unknown in a preview. */
const OUTPUTS = (() => {
  const resources = packageSchema().resources as Record<string, { inputProperties: Props; properties: Props }>;
  const entries = Object.entries(TOKENS).map(([token, kind]) => {
    const { inputProperties, properties } = resources[token];
    return [kind, Object.keys(properties).filter((key) => !(key in inputProperties))];
  });
  return Object.fromEntries(entries) as Record<ProviderKind, string[]>;
})();

/**
 * Outputs made from an input, beside the output of the same name (which the engine keeps secret
 * itself): a secret trigger stays secret in the items named after it.
 */
const DERIVED: Partial<Record<ProviderKind, Record<string, string[]>>> = {
  snapshotHistory: {
    trigger: ["lastTrigger", "items", "latest"],
    description: ["items", "latest"],
    namePrefix: ["items", "latest"],
  },
  backupHistory: { trigger: ["lastTrigger", "items", "latest"], description: ["items", "latest"] },
};

/** The outputs to keep secret when `secretInputs` were: the same keys, and what is made from them. */
export function secretOutputs(type: string, secretInputs: Iterable<string>): Set<string> {
  const derived = DERIVED[kindOf(type)] ?? {};
  return new Set([...secretInputs].flatMap((key) => [key, ...(derived[key] ?? [])]));
}

/** The kind of a resource type token; an unknown token is an error naming it. */
export function kindOf(type: string): ProviderKind {
  const kind = TOKENS[type];
  if (!kind) throw new Error(`vpsorg has no resource type ${type} (known: ${Object.keys(TOKENS).join(", ")}).`);
  return kind;
}

/** `urn:pulumi:stack::project::type::name`: the name is its last part. */
export function identityOf(urn: string, name: string, provider?: string): Identity {
  return { urn, resourceName: name || urn.split("::").pop(), ...(provider ? { provider } : {}) };
}

/** Pulumi's customTimeouts arrive in seconds; the resources read them as `__createTimeout`. */
const withTimeout = (props: Props, seconds: number): Props =>
  seconds > 0 ? { ...props, __createTimeout: `${seconds}s` } : props;
/** What the engine should not keep of a call's props: the timeout of this one call. */
export const stored = ({ __createTimeout: _t, ...props }: Props): Props => props;

export interface DiffAnswer {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Every key that changes, whether it replaces, and whether it is an input. */
  diffs: Array<{ key: string; replace: boolean; input: boolean }>;
}

export interface ResourceCalls {
  check(type: string, urn: string, name: string, olds: Props, news: Props): ReturnType<Adapted["check"]>;
  diff(type: string, id: string, olds: Props, news: Props): Promise<DiffAnswer>;
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

/** What the service knows of the provider: Configure's settings and the provider's URN. */
export interface ProviderState {
  /** The settings to send requests with; throws while the configuration is not known yet. */
  settings(): ProviderSettings | undefined;
  provider(): string | undefined;
}

/** The resource RPCs on one runtime's adapters. */
export function resourceCalls(adapters: Record<ProviderKind, Adapted>, state: ProviderState): ResourceCalls {
  const identity = (urn: string, name: string) => identityOf(urn, name, state.provider());
  const request = (urn: string, name: string): EngineRequest => ({
    settings: state.settings(),
    identity: identity(urn, name),
  });
  const inputsOf = (kind: ProviderKind, props: Props) =>
    Object.fromEntries(
      RESOURCES[kind].inputs.filter((key) => props[key] !== undefined).map((key) => [key, props[key]]),
    );

  return {
    check: (type, urn, name, olds, news) => adapters[kindOf(type)].check(olds, news, identity(urn, name)),

    async diff(type, id, olds, news) {
      const kind = kindOf(type);
      const { changes, replaces, updates, deleteBeforeReplace } = await adapters[kind].diff(id, olds, news);
      const input = (key: string) => RESOURCES[kind].inputs.includes(key);
      const diffs = [
        ...replaces.map((key) => ({ key, replace: true, input: input(key) })),
        ...updates.filter((key) => !replaces.includes(key)).map((key) => ({ key, replace: false, input: input(key) })),
      ];
      return { changes, replaces, deleteBeforeReplace, diffs };
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
      const answer =
        Object.keys(props).length > 0
          ? await adapters[kind].read(id, props, request(urn, name))
          : await adapters[kind].import(id, request(urn, name)); // `pulumi import`: the id alone
      return { id: answer.id, props: stored(answer.props), inputs: inputsOf(kind, answer.props) };
    },

    async update(type, urn, name, id, olds, news, timeout, preview) {
      const kind = kindOf(type);
      if (preview) {
        // An update may change every output but those of a snapshot or backup that is done (its
        // object stays): the others are unknown until `up`, so a preview never shows stale items.
        const settled = (kind === "snapshot" || kind === "backup") && olds.status === "completed";
        const unknown = settled ? [] : OUTPUTS[kind];
        return { outs: { ...olds, ...news, ...Object.fromEntries(unknown.map((key) => [key, UNKNOWN])) } };
      }
      const { outs } = await adapters[kind].update(id, olds, withTimeout(news, timeout), request(urn, name));
      return { outs: stored(outs) };
    },

    delete: (type, urn, name, id, props) => adapters[kindOf(type)].delete(id, props, request(urn, name)),
  };
}

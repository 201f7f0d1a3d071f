// The dynamic providers: what the shim stored in users' states calls (`providers[kind].check(olds,
// news)`, `.create(inputs, settings)`, ...), turned into calls of the resources with a Call built
// from this process's runtime. Here, for every resource alike: the engine's ids are noted before
// diff, read, update and delete (so no create of this process adopts them), each call's account is
// resolved from its props and the stack config, and every error leaves as one clean sentence.
import { type ProviderSettings, readStackConfig, requireToken, resolveAccount } from "./core/accounts";
import type { Identity } from "./core/markers";
import { clean } from "./core/messages";
import type { ProviderKind } from "./kinds";
import { type Call, type Props, type ResourceProvider } from "./resources/call";
import type { Runtime } from "./runtime";

/**
 * What the shim calls on `providers[kind]`, declared here rather than inferred from the resources,
 * so that this module's declarations import no schema library (its typings do not compile under
 * Pulumi's template tsconfig, see types.ts in client/). The shim passes `settings` (from its
 * `configure`) to every method that sends requests.
 */
export interface DynamicProviderMethods {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Props, settings: ProviderSettings | undefined): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props, settings: ProviderSettings | undefined): Promise<{ id: string; props: Props }>;
  update(id: string, olds: Props, news: Props, settings: ProviderSettings | undefined): Promise<{ outs: Props }>;
  delete(id: string, props: Props, settings: ProviderSettings | undefined): Promise<void>;
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/** A dynamic resource's identity: the sdk classes pass it as inputs, since its host is never told the URN. */
export const identityOf = (props: Props): Identity => ({
  urn: text(props.__urn),
  org: text(props.__org),
  resourceName: text(props.__resourceName),
});

/** The Call of one method: the runtime, the account the props name, the resource's identity. */
export function callFor(runtime: Runtime, settings: ProviderSettings | undefined, props: Props): Call {
  const resolved = resolveAccount(settings, props.account, runtime.env);
  const client = runtime.clientFor({
    token: requireToken(resolved),
    baseUrl: resolved.baseUrl,
    allowInsecureHttp: settings?.allowInsecureHttp === true || runtime.settings.allowInsecureHttp,
  });
  return {
    runtime,
    account: {
      name: resolved.name,
      client,
      source: resolved.source,
      deletedServers: new Set(settings?.deletedServers ?? []),
    },
    identity: identityOf(props),
  };
}

/** The stack config as the shim's `configure` hands it; a bad URL fails here, before any request. */
export function readSettings(runtime: Runtime, config: Parameters<typeof readStackConfig>[0]): ProviderSettings {
  try {
    return readStackConfig(config, runtime.env);
  } catch (error) {
    throw clean(error);
  }
}

function dynamicProvider(resource: ResourceProvider, runtime: Runtime): DynamicProviderMethods {
  /** Runs one method; any error leaves clean, naming the credential of the props' account. */
  const guard = async <T>(settings: ProviderSettings | undefined, props: Props, run: () => Promise<T>) => {
    try {
      return await run();
    } catch (error) {
      throw clean(error, { source: resolveAccount(settings, props.account, runtime.env).source });
    }
  };
  /** The engine shows these objects as the state's: no create of this process may adopt them. */
  const shown = (id: string, props: Props) => {
    for (const object of resource.held(id, props)) runtime.claims.shownByEngine(object);
  };
  return {
    check: (olds, news) => guard(undefined, news, () => resource.check(olds, news, identityOf(news))),
    diff: (id, olds, news) =>
      guard(undefined, news, async () => {
        shown(id, olds);
        return await resource.diff(id, olds, news);
      }),
    create: (inputs, settings) =>
      guard(settings, inputs, () => resource.create(inputs, callFor(runtime, settings, inputs))),
    read: (id, props, settings) =>
      guard(settings, props, async () => {
        shown(id, props);
        return await resource.read(id, props, callFor(runtime, settings, props));
      }),
    update: (id, olds, news, settings) =>
      guard(settings, news, async () => {
        shown(id, olds);
        return await resource.update(id, olds, news, callFor(runtime, settings, news));
      }),
    delete: (id, props, settings) =>
      guard(settings, props, async () => {
        shown(id, props);
        return await resource.delete(id, props, callFor(runtime, settings, props));
      }),
  };
}

/** Every kind's dynamic provider, on one runtime. */
export function dynamicProviders(
  runtime: Runtime,
  resources: Record<ProviderKind, ResourceProvider>,
): Record<ProviderKind, DynamicProviderMethods> {
  const entries = Object.entries(resources).map(([kind, resource]) => [kind, dynamicProvider(resource, runtime)]);
  return Object.fromEntries(entries) as Record<ProviderKind, DynamicProviderMethods>;
}

// What every engine adapter does around a resource's methods, said once for the dynamic providers
// (dynamic.ts) and the resource plugin (plugin/): the engine's ids are noted before diff, read,
// update and delete (so no create of the process adopts them), each call's account is resolved
// from its props and the provider's settings, and every error leaves as one clean sentence naming
// the credential that was used.
import { type ProviderSettings, requireToken, resolveAccount } from "./core/accounts";
import type { Identity } from "./core/markers";
import { clean } from "./core/messages";
import type { Call, Props, ResourceProvider } from "./resources/call";
import type { Runtime } from "./runtime";

/** What an engine request says beside the resource's properties. */
export interface EngineRequest {
  /** The provider's settings (stack config): undefined where the engine gave none. */
  settings: ProviderSettings | undefined;
  /** The resource's identity: from its URN in the plugin, from its inputs in a dynamic provider. */
  identity: Identity;
}

/** The Call of one method: the runtime, the account the props name, the resource's identity. */
export function callFor(runtime: Runtime, request: EngineRequest, props: Props): Call {
  const { settings, identity } = request;
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
    identity,
  };
}

export type Adapted = ReturnType<typeof adapt>;

/** One resource's methods as an engine adapter calls them. */
export function adapt(resource: ResourceProvider, runtime: Runtime) {
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
    check: (olds: Props, news: Props, identity: Identity) =>
      guard(undefined, news, () => resource.check(olds, news, identity)),
    diff: (id: string, olds: Props, news: Props) =>
      guard(undefined, news, async () => {
        shown(id, olds);
        return await resource.diff(id, olds, news);
      }),
    create: (inputs: Props, request: EngineRequest) =>
      guard(request.settings, inputs, () => resource.create(inputs, callFor(runtime, request, inputs))),
    read: (id: string, props: Props, request: EngineRequest) =>
      guard(request.settings, props, async () => {
        shown(id, props);
        return await resource.read(id, props, callFor(runtime, request, props));
      }),
    update: (id: string, olds: Props, news: Props, request: EngineRequest) =>
      guard(request.settings, news, async () => {
        shown(id, olds);
        return await resource.update(id, olds, news, callFor(runtime, request, news));
      }),
    /** `pulumi import` by id alone: the props found, then a read with them, as refresh reads. */
    import: (id: string, request: EngineRequest) =>
      guard(request.settings, {}, async () => {
        if (!resource.imports) throw new Error("it is not one VPS.org object: declare it in the program instead.");
        const call = callFor(runtime, request, {});
        const props = await resource.imports(id, call);
        shown(id, props);
        return await resource.read(id, props, call);
      }),
    delete: (id: string, props: Props, request: EngineRequest) =>
      guard(request.settings, props, async () => {
        shown(id, props);
        return await resource.delete(id, props, callFor(runtime, request, props));
      }),
  };
}

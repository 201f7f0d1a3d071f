// The dynamic providers: what the shim stored in users' states calls (`providers[kind].check(olds,
// news)`, `.create(inputs, settings)`, ...), turned into calls of the resources through the shared
// adapter (adapter.ts). A dynamic resource's host is never told the URN, so its identity comes from
// the inputs the sdk classes add (`__urn`, `__org`, `__resourceName`).
import { adapt } from "./adapter";
import { type ProviderSettings, readStackConfig } from "./core/accounts";
import type { Identity } from "./core/markers";
import { clean } from "./core/messages";
import type { ProviderKind } from "./kinds";
import type { Props, ResourceProvider } from "./resources/call";
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

/** The stack config as the shim's `configure` hands it; a bad URL fails here, before any request. */
export function readSettings(runtime: Runtime, config: Parameters<typeof readStackConfig>[0]): ProviderSettings {
  try {
    return readStackConfig(config, runtime.env);
  } catch (error) {
    throw clean(error);
  }
}

function dynamicProvider(resource: ResourceProvider, runtime: Runtime): DynamicProviderMethods {
  const adapted = adapt(resource, runtime);
  const request = (settings: ProviderSettings | undefined, props: Props) => ({ settings, identity: identityOf(props) });
  return {
    check: (olds, news) => adapted.check(olds, news, identityOf(news)),
    diff: async (id, olds, news) => {
      const { changes, replaces, deleteBeforeReplace } = await adapted.diff(id, olds, news);
      return { changes, replaces, deleteBeforeReplace }; // what a dynamic provider's DiffResult holds
    },
    create: (inputs, settings) => adapted.create(inputs, request(settings, inputs)),
    read: (id, props, settings) => adapted.read(id, props, request(settings, props)),
    update: (id, olds, news, settings) => adapted.update(id, olds, news, request(settings, news)),
    delete: (id, props, settings) => adapted.delete(id, props, request(settings, props)),
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

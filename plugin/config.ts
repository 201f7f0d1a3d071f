// The provider's configuration as the engine hands it to the plugin: the stack's `vpsorg:*` config
// (or an explicit `new vpsorg.Provider(...)`), secrets already unwrapped (values.ts). The same
// reading as the dynamic providers' (provider/core/accounts.ts): keys, fallbacks and URL checks.
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import { type ProviderSettings, readStackConfig } from "../provider/core/accounts";
import { isUnknown } from "../provider/resources/engine";
import { fromStruct, type Props } from "./values";

/** The configuration keys the schema declares (`vpsorg:<key>`), compared by DiffConfig. */
export const CONFIG_KEYS = ["apiToken", "apiUrl", "accounts", "allowInsecureHttp", "deletedServers"] as const;

/** Reads the configuration; a URL a token must not be sent to is an error naming its key. */
export function settingsOf(config: Props, env: NodeJS.ProcessEnv): ProviderSettings {
  // Structured values (accounts, deletedServers) arrive as objects or as their JSON text: both are read.
  const get = (key: string) => {
    const value = config[key.replace(/^vpsorg:/, "")];
    return value === null || value === undefined ? undefined : (value as string);
  };
  return readStackConfig({ get }, env);
}

/** Which configuration key a configuration error is about, for CheckConfig's failures. */
export function keyOf(message: string): string {
  const key = /\((vpsorg:[^)]+)\)/.exec(message)?.[1];
  return key ? key.replace(/^vpsorg:/, "").split(".")[0] : "apiUrl";
}

/**
 * The provider instance, from its URN (`...::pulumi:providers:vpsorg::<name>`): an explicit
 * provider's name, or "default" for the default provider of any version (its name carries the
 * version, which must not change what the resources' markers are).
 */
export function providerOf(urn: string | undefined): string | undefined {
  const name = urn?.split("::").pop();
  if (!name) return undefined;
  return /^default(_|$)/.test(name) ? "default" : name;
}

/** Holds anything not known until `up` (another resource's output): the keys that do. */
function unknownIn(config: Props): string[] {
  const holds = (value: unknown): boolean =>
    isUnknown(value) || (typeof value === "object" && value !== null && Object.values(value).some(holds));
  return Object.keys(config).filter((key) => holds(config[key]));
}

/** The configuration without the values not known yet (they are checked when they are known). */
function known(config: Props): Props {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.filter((v) => !isUnknown(v)).map(strip);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => !isUnknown(v))
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  return strip(config) as Props;
}

/**
 * The configuration of a Configure request: `args`, as engines since 3.x send it; from an engine that
 * sends only the legacy `variables` map (`vpsorg:config:apiToken` → text), the same keys from there.
 */
function configOf(request: pb.ConfigureRequest): Props {
  const args = fromStruct(request.getArgs());
  if (Object.keys(args).length > 0 || request.getVariablesMap().getLength() === 0) return args;
  const config: Props = {};
  for (const [key, value] of request.getVariablesMap().entries()) {
    const name = /^vpsorg:(?:config:)?(.+)$/.exec(key)?.[1];
    if (name) config[name] = value;
  }
  return config;
}

/** What one plugin process knows of its provider: its settings, once configured, and which it is. */
export class ProviderConfig {
  #settings: ProviderSettings | undefined;
  #unknown: string[] = [];
  #urn: string | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** CheckConfig: what is wrong with the known values, by key; the provider's URN noted. */
  check(urn: string, news: Props): Array<{ property: string; reason: string }> {
    this.#urn ??= urn || undefined;
    try {
      settingsOf(known(news), this.env);
      return [];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return [{ property: keyOf(message), reason: message }];
    }
  }

  /** Configure: the settings every later request uses. */
  configure(request: pb.ConfigureRequest): void {
    this.#urn = request.getUrn() || this.#urn;
    const config = configOf(request);
    this.#unknown = unknownIn(config);
    this.#settings = settingsOf(known(config), this.env);
  }

  /** The settings to send requests with; an error while some are not known (a preview's). */
  settings(): ProviderSettings | undefined {
    if (this.#unknown.length > 0) {
      throw new Error(
        `the provider's ${this.#unknown.join(", ")} will only be known during \`pulumi up\`; nothing can be asked of VPS.org before.`,
      );
    }
    return this.#settings;
  }

  /** The provider instance ("default", or an explicit provider's name), for the resources' markers. */
  provider(): string | undefined {
    return providerOf(this.#urn);
  }
}

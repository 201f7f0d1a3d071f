// The provider's configuration as the engine hands it to the plugin: the stack's `vpsorg:*` config
// (or an explicit `new vpsorg.Provider(...)`), secrets already unwrapped (values.ts). The same
// reading as the dynamic providers' (provider/core/accounts.ts): keys, fallbacks and URL checks.
import { type ProviderSettings, readStackConfig } from "../provider/core/accounts";
import type { Props } from "./values";

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

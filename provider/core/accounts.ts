// Accounts and their credentials: what the stack config and the environment say, where each call's
// token and URL come from, and how to name that source in a message (names only, never a value).
// Shared by the sdk (the Account class, lookups) and the providers; it loads no HTTP client.
import { apiUrlProblem, DEFAULT_API_URL } from "../client/config";
import { ConfigurationError } from "../client/errors";
import { isTrue } from "../settings";

/** An account's name: it names `vpsorg:accounts.<name>` in the stack config and VPS_API_TOKEN_<NAME>. */
export const ACCOUNT_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** ACCOUNT_NAME in words, for the errors of `new Account(...)` and of `check`. */
export const ACCOUNT_NAME_RULE =
  "1 to 64 letters, digits, hyphens or underscores (it names vpsorg:accounts.<name> in the stack config)";

/** Stack config as the dynamic-provider host hands it to `configure`. */
export interface ConfigLike {
  get(key: string): string | undefined;
}

/** One account's credentials; absent values fall back to the environment. */
export interface AccountSettings {
  apiToken?: string;
  apiUrl?: string;
}

/** The stack's `vpsorg:*` config, read in `configure`; kept in memory only, never serialized. */
export interface ProviderSettings extends AccountSettings {
  /** Named accounts from the stack config `vpsorg:accounts` (`{ prod: { apiToken, apiUrl } }`). */
  accounts?: Record<string, AccountSettings>;
  /** `vpsorg:allowInsecureHttp`: send tokens over plain http to other machines. */
  allowInsecureHttp?: boolean;
  /**
   * `vpsorg:deletedServers`: servers the user says were deleted for real. Their objects may be dropped
   * from the state (refresh) or taken as deleted (destroy) without the proof that a visible server gives.
   */
  deletedServers?: string[];
}

/** Where one call's credentials came from, for messages: names of keys and variables, never values. */
export interface CredentialSource {
  /** "the default account" or `account "prod"`. */
  account: string;
  /** e.g. "stack config vpsorg:apiToken" or "the VPS_API_TOKEN environment variable". */
  token: string;
  /** How to set a token there. */
  howToSet: string;
  /** e.g. "vpsorg:apiUrl or VPS_API_URL". */
  url: string;
  /** The URL the calls go to. */
  baseUrl: string;
}

/**
 * Reads the stack's `vpsorg:*` config. Any URL a token would be sent to (the config's, or the
 * environment's VPS_API_URL*) is checked here, so that a bad one fails before any request.
 */
export function readStackConfig(
  config: ConfigLike | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const get = (key: string): unknown => {
    try {
      return config?.get(key);
    } catch {
      return undefined; // no stack config at all: the environment variables still apply
    }
  };
  const settings: ProviderSettings = {
    apiToken: text(get("vpsorg:apiToken")),
    apiUrl: text(get("vpsorg:apiUrl")),
    accounts: accounts(get),
    allowInsecureHttp: isTrue(get("vpsorg:allowInsecureHttp")) || isTrue(env.VPSORG_ALLOW_INSECURE_HTTP),
    deletedServers: serverIds(get("vpsorg:deletedServers")),
  };
  const urls: Array<[string, string | undefined]> = [
    ["vpsorg:apiUrl", settings.apiUrl],
    ...Object.entries(settings.accounts ?? {}).map(([name, a]): [string, string | undefined] => [
      `vpsorg:accounts.${name}.apiUrl`,
      a.apiUrl,
    ]),
    ...Object.keys(env)
      .filter((key) => /^VPS_API_URL(_[A-Z0-9_]+)?$/.test(key))
      .map((key): [string, string | undefined] => [key, text(env[key])]),
  ];
  for (const [where, url] of urls) {
    const problem = url === undefined ? undefined : apiUrlProblem(url, settings.allowInsecureHttp);
    if (problem) throw new ConfigurationError(`${problem} (${where}).`);
  }
  return settings;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Structured config arrives as JSON text or as a value; anything unreadable is undefined. */
function structured(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** `vpsorg:accounts`: `{ prod: { apiToken, apiUrl } }`; anything else is ignored. */
function accounts(get: (key: string) => unknown): Record<string, AccountSettings> | undefined {
  const value = structured(get("vpsorg:accounts"));
  if (!value || typeof value !== "object") return undefined;
  return Object.fromEntries(
    Object.entries(value as Record<string, Record<string, unknown>>).map(([name, entry]) => [
      name,
      { apiToken: text(entry?.apiToken), apiUrl: text(entry?.apiUrl) },
    ]),
  );
}

/** `[12345, 67890]`, `"12345,67890"` or `12345`: server ids as text. */
export function serverIds(value: unknown): string[] {
  const parsed = structured(value);
  const list = Array.isArray(parsed) ? parsed : typeof parsed === "string" ? parsed.split(",") : [parsed];
  return list.map((id) => String(id ?? "").trim()).filter((id) => /^\d+$/.test(id));
}

/** The environment variable suffix of an account: `prod-eu` reads VPS_API_TOKEN_PROD_EU. */
const envSuffix = (account: string) => account.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/** The account's name, or undefined for the default account. */
export const namedAccount = (account: unknown) => (typeof account === "string" && account !== "" ? account : undefined);

export interface ResolvedAccount {
  name: string | undefined;
  token: string | undefined;
  baseUrl: string | undefined;
  source: CredentialSource;
}

/**
 * Where one call's credentials come from. The default account: stack config vpsorg:apiToken /
 * vpsorg:apiUrl, then VPS_API_TOKEN / VPS_API_URL. A named account: vpsorg:accounts.<name>.apiToken /
 * .apiUrl, then VPS_API_TOKEN_<NAME> / VPS_API_URL_<NAME>, and for the URL the default account's.
 * `given` (a lookup's own apiToken/apiUrl) comes before all of them.
 */
export function resolveAccount(
  settings: ProviderSettings | undefined,
  account: unknown,
  env: NodeJS.ProcessEnv,
  given: { token?: string; baseUrl?: string } = {},
): ResolvedAccount {
  const named = namedAccount(account);
  const own = named ? settings?.accounts?.[named] : settings;
  const tokenKey = named ? `vpsorg:accounts.${named}.apiToken` : "vpsorg:apiToken";
  const urlKey = named ? `vpsorg:accounts.${named}.apiUrl` : "vpsorg:apiUrl";
  const tokenEnv = named ? `VPS_API_TOKEN_${envSuffix(named)}` : "VPS_API_TOKEN";
  const urlEnv = named ? `VPS_API_URL_${envSuffix(named)}` : "VPS_API_URL";
  // A named account without a URL of its own uses the default account's (one emulator, two tokens).
  const baseUrl = given.baseUrl ?? own?.apiUrl ?? text(env[urlEnv]) ?? settings?.apiUrl ?? text(env.VPS_API_URL);
  const token = given.token ?? own?.apiToken ?? text(env[tokenEnv]);
  const tokenFrom = given.token
    ? "the apiToken option"
    : own?.apiToken
      ? `stack config ${tokenKey}`
      : `the ${tokenEnv} environment variable`;
  return {
    name: named,
    token,
    baseUrl,
    source: {
      account: named ? `account "${named}"` : "the default account",
      token: tokenFrom,
      howToSet:
        `run \`pulumi config set --secret ${named ? "--path " : ""}${tokenKey} <token>\` ` +
        `or set the ${tokenEnv} environment variable`,
      url: `${urlKey} or ${urlEnv}`,
      baseUrl: (baseUrl ?? DEFAULT_API_URL).replace(/\/+$/, ""),
    },
  };
}

/** The token of a resolved account; a missing one is one clear error saying how to set it. */
export function requireToken(resolved: ResolvedAccount): string {
  if (resolved.token) return resolved.token;
  const which = resolved.name ? ` for account "${resolved.name}"` : "";
  throw new ConfigurationError(`No VPS.org API token${which}: ${resolved.source.howToSet}.`);
}

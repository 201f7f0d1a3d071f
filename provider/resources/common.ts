// What every dynamic provider here shares: settings from `configure`, the client they make,
// the partial-failure error the engine understands, input checks and durations.
import { VpsOrgClient } from "../client/client";
import { ConfigurationError, NotFoundError } from "../client/errors";
import { stderrLogger } from "../client/redact";
import type { CredentialSource } from "./messages";

/** Stack config as the dynamic-provider host hands it to `configure`. */
export interface ConfigLike {
  get(key: string): string | undefined;
}

/** One account's credentials; absent values fall back to the environment. */
export interface AccountSettings {
  apiToken?: string;
  apiUrl?: string;
}

/** Read once per provider process in `configure`; kept in memory only, never serialized. */
export interface ProviderSettings extends AccountSettings {
  /** Named accounts from the stack config `vpsorg:accounts` (`{ prod: { apiToken, apiUrl } }`). */
  accounts?: Record<string, AccountSettings>;
}

export function readSettings(config: ConfigLike | undefined): ProviderSettings {
  const get = (key: string): unknown => {
    try {
      return config?.get(key);
    } catch {
      return undefined; // no stack config at all: the environment variables still apply
    }
  };
  return { apiToken: text(get("vpsorg:apiToken")), apiUrl: text(get("vpsorg:apiUrl")), accounts: accounts(get) };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** `vpsorg:accounts` arrives as JSON text (structured config) or as an object; anything else is ignored. */
function accounts(get: (key: string) => unknown): Record<string, AccountSettings> | undefined {
  let value = get("vpsorg:accounts");
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!value || typeof value !== "object") return undefined;
  return Object.fromEntries(
    Object.entries(value as Record<string, Record<string, unknown>>).map(([name, entry]) => [
      name,
      { apiToken: text(entry?.apiToken), apiUrl: text(entry?.apiUrl) },
    ]),
  );
}

/** The environment variable suffix of an account: `prod-eu` reads VPS_API_TOKEN_PROD_EU. */
const envSuffix = (account: string) => account.toUpperCase().replace(/[^A-Z0-9]/g, "_");

interface Resolved {
  token: string | undefined;
  baseUrl: string | undefined;
  source: CredentialSource;
}

/**
 * Where one call's credentials come from. The default account: stack config vpsorg:apiToken /
 * vpsorg:apiUrl, then VPS_API_TOKEN / VPS_API_URL. A named account: vpsorg:accounts.<name>.apiToken /
 * .apiUrl, then VPS_API_TOKEN_<NAME> / VPS_API_URL_<NAME>, and for the URL the default account's.
 */
export function resolveAccount(
  settings: ProviderSettings | undefined,
  account?: unknown,
  env: NodeJS.ProcessEnv = process.env,
): Resolved {
  const named = typeof account === "string" && account !== "" ? account : undefined;
  const own = named ? settings?.accounts?.[named] : settings;
  const tokenKey = named ? `vpsorg:accounts.${named}.apiToken` : "vpsorg:apiToken";
  const urlKey = named ? `vpsorg:accounts.${named}.apiUrl` : "vpsorg:apiUrl";
  const tokenEnv = named ? `VPS_API_TOKEN_${envSuffix(named)}` : "VPS_API_TOKEN";
  const urlEnv = named ? `VPS_API_URL_${envSuffix(named)}` : "VPS_API_URL";
  // A named account without a URL of its own uses the default account's (one emulator, two tokens).
  const baseUrl = own?.apiUrl ?? text(env[urlEnv]) ?? settings?.apiUrl ?? text(env.VPS_API_URL);
  return {
    token: own?.apiToken ?? text(env[tokenEnv]),
    baseUrl,
    source: {
      token: own?.apiToken ? `stack config ${tokenKey}` : `the ${tokenEnv} environment variable`,
      howToSet:
        `run \`pulumi config set --secret ${named ? "--path " : ""}${tokenKey} <token>\` ` +
        `or set the ${tokenEnv} environment variable`,
      url: `${urlKey} (or ${urlEnv})`,
      baseUrl,
    },
  };
}

/**
 * The token and URL for one call (the default account, or a named one), `given` ones first (a
 * lookup's apiToken/apiUrl); a missing token is one clear error.
 */
export function credentialsFor(
  settings: ProviderSettings | undefined,
  account?: unknown,
  given: { token?: string; baseUrl?: string } = {},
): { token: string; baseUrl?: string } {
  const resolved = resolveAccount(settings, account);
  const token = given.token ?? resolved.token;
  if (!token) {
    const which = typeof account === "string" && account ? ` for account "${account}"` : "";
    throw new ConfigurationError(`No VPS.org API token${which}: ${resolved.source.howToSet}.`);
  }
  return { token, baseUrl: given.baseUrl ?? resolved.baseUrl };
}

/** The client for one provider call. */
export function clientFor(settings: ProviderSettings | undefined, account?: unknown): VpsOrgClient {
  return new VpsOrgClient({ ...credentialsFor(settings, account), logger: stderrLogger() });
}

/**
 * The engine's "created, but not ready" answer: it records the resource with this id and these
 * properties, and calls `update` on the next `pulumi up`. `properties` must carry the inputs
 * (and with them `__provider`) or a later delete could not load the provider.
 */
export class ResourceInitError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[] = [message],
  ) {
    super(message);
  }
}

/** The engine's placeholder for a value not known until an earlier resource is created. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const isUnknown = (value: unknown) => value === UNKNOWN;

/**
 * Undefined, null and "" are one thing to the API (no description); so are texts that differ only in
 * surrounding white space, which the marker's separator swallows.
 */
export const sameText = (a: unknown, b: unknown) => String(a ?? "").trim() === String(b ?? "").trim();

/** A delete that finds the object already gone (deleted in the panel, or by an earlier run) is done. */
export async function unlessGone(deleting: Promise<void>): Promise<void> {
  try {
    await deleting;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** An account's name: it names `vpsorg:accounts.<name>` in the stack config and VPS_API_TOKEN_<NAME>. */
export const ACCOUNT_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** ACCOUNT_NAME in words, for the errors of `new Account(...)` and of `check`. */
export const ACCOUNT_NAME_RULE =
  "1 to 64 letters, digits, hyphens or underscores (it names vpsorg:accounts.<name> in the stack config)";

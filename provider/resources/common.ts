// What every dynamic provider here shares: settings from `configure`, the client they make,
// the partial-failure error the engine understands, input checks and durations.
import { VpsOrgClient } from "../client/client";
import { stderrLogger } from "../client/redact";

/** Stack config as the dynamic-provider host hands it to `configure`. */
export interface ConfigLike {
  get(key: string): string | undefined;
}

/** Read once per provider process in `configure`; kept in memory only, never serialized. */
export interface ProviderSettings {
  apiToken?: string;
  apiUrl?: string;
}

export function readSettings(config: ConfigLike | undefined): ProviderSettings {
  const get = (key: string) => {
    try {
      const value = config?.get(key);
      return typeof value === "string" && value !== "" ? value : undefined;
    } catch {
      return undefined; // no stack config at all: the environment variables still apply
    }
  };
  return { apiToken: get("vpsorg:apiToken"), apiUrl: get("vpsorg:apiUrl") };
}

/** A client for this call: stack config first, then VPS_API_TOKEN / VPS_API_URL. */
export function clientFor(settings: ProviderSettings | undefined): VpsOrgClient {
  return new VpsOrgClient({ token: settings?.apiToken, baseUrl: settings?.apiUrl, logger: stderrLogger() });
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

/** Undefined, null and "" are one thing to the API (no description). */
export const sameText = (a: unknown, b: unknown) => (a ?? "") === (b ?? "");

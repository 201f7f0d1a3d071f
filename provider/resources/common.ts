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

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Why a value is not a server-style id: a positive whole number. */
export function idProblem(property: string, value: unknown, example: string): string | undefined {
  if (typeof value === "string") {
    return `${property} must be a number (e.g. ${example}), not the string ${JSON.stringify(value)}.`;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return `${property} must be a number (e.g. ${example}), got ${describe(value)}.`;
  }
  if (!Number.isInteger(value) || value <= 0) {
    return `${property} must be a positive whole number (e.g. ${example}), got ${value}.`;
  }
  return undefined;
}

export function stringProblem(property: string, value: unknown): string | undefined {
  return typeof value === "string" ? undefined : `${property} must be a string, got ${describe(value)}.`;
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Properties a user passed that the resource does not know (a typo in JavaScript, say). */
export function unknownProperties(news: Record<string, unknown>, known: readonly string[]): CheckFailure[] {
  return Object.keys(news)
    .filter((key) => !key.startsWith("__") && !known.includes(key) && news[key] !== undefined)
    .map((key) => ({
      property: key,
      reason: `${key} is not a property of this resource (known: ${known.join(", ")}).`,
    }));
}

const DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/;

/** "30m", "1h30m", "90s" (the form of Pulumi's customTimeouts) in milliseconds; undefined if unreadable. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === "") return undefined;
  const [, h = "0", m = "0", s = "0"] = match;
  const ms = (Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000;
  return ms > 0 ? ms : undefined;
}

export function durationProblem(property: string, value: unknown): string | undefined {
  if (typeof value !== "string") return `${property} must be a duration string such as "30m", got ${describe(value)}.`;
  if (parseDuration(value) === undefined) {
    return `${property} must be a duration such as "45s", "30m" or "1h30m", got ${JSON.stringify(value)}.`;
  }
  return undefined;
}

/** Undefined, null and "" are one thing to the API (no description). */
export const sameText = (a: unknown, b: unknown) => (a ?? "") === (b ?? "");

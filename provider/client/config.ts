// Where the client's settings come from: explicit options first, then the vendor's own
// environment variables (VPS_API_TOKEN, VPS_API_URL), then the documented default URL.
import { ConfigurationError } from "./errors";

export const DEFAULT_API_URL = "https://admin.vps.org/api/v1";

/** Clamps a setting into its documented range; a missing or non-numeric value takes the default. */
export function bounded(value: number | undefined, lo: number, hi: number, fallback: number): number {
  return value === undefined || !Number.isFinite(value) ? fallback : Math.min(hi, Math.max(lo, value));
}

/** A number from an environment variable; unset, blank or not a number is undefined. */
export function numberFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export interface ConnectionSettings {
  token: string;
  baseUrl: string;
}

export function resolveConnection(
  explicit: { token?: string | null; baseUrl?: string | null } = {},
  env: NodeJS.ProcessEnv = process.env,
): ConnectionSettings {
  const token = nonEmpty(explicit.token) ?? nonEmpty(env.VPS_API_TOKEN);
  if (!token) {
    throw new ConfigurationError(
      "No VPS.org API token: run `pulumi config set --secret vpsorg:apiToken <token>` " +
        "or set the VPS_API_TOKEN environment variable.",
    );
  }
  const baseUrl = (nonEmpty(explicit.baseUrl) ?? nonEmpty(env.VPS_API_URL) ?? DEFAULT_API_URL).replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`The VPS.org API URL "${baseUrl}" is not a valid URL (vpsorg:apiUrl or VPS_API_URL).`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ConfigurationError(`The VPS.org API URL must be http(s), got "${parsed.protocol}".`);
  }
  if (parsed.username || parsed.password) {
    throw new ConfigurationError("The VPS.org API URL must not carry credentials; use the API token instead.");
  }
  return { token, baseUrl };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

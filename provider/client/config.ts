// Where the client's token and URL come from: explicit options first, then the vendor's own
// environment variables (VPS_API_TOKEN, VPS_API_URL), then the documented default URL. The token
// goes only to that URL, and only over https (plain http only to this machine, for the emulator).
import { ConfigurationError } from "./errors";
import { maskTokenLike } from "./redact";

export const DEFAULT_API_URL = "https://admin.vps.org/api/v1";

export interface ConnectionSettings {
  token: string;
  baseUrl: string;
}

export interface ConnectionOptions {
  token?: string | null;
  baseUrl?: string | null;
  /** Send the token over plain http to a host other than this machine (never advisable). */
  allowInsecureHttp?: boolean;
}

export function resolveConnection(
  explicit: ConnectionOptions = {},
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
  const problem = apiUrlProblem(baseUrl, explicit.allowInsecureHttp === true);
  if (problem) throw new ConfigurationError(`${problem} (vpsorg:apiUrl or VPS_API_URL).`);
  return { token, baseUrl };
}

/**
 * Why the token must not be sent to this URL, if it must not: not a URL, not http(s), credentials
 * in it, or plain http to another machine, where anyone on the way could read the token.
 */
export function apiUrlProblem(url: string, allowInsecureHttp = false): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `The VPS.org API URL "${maskTokenLike(url)}" is not a valid URL`;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    return `The VPS.org API URL must be https, got "${parsed.protocol}" in "${maskTokenLike(url)}"`;
  }
  if (parsed.username || parsed.password) {
    return "The VPS.org API URL must not carry credentials; use the API token instead";
  }
  if (parsed.protocol === "http:" && !isLoopback(parsed.hostname) && !allowInsecureHttp) {
    return (
      `The VPS.org API URL "${url}" is plain http to another machine: the API token would cross the network ` +
      `unencrypted. Use https, or http only to this machine (127.0.0.1, localhost: the emulator). To send it ` +
      `anyway, set vpsorg:allowInsecureHttp to true (or VPSORG_ALLOW_INSECURE_HTTP=true)`
    );
  }
  return undefined;
}

/** 127.0.0.0/8, ::1 and localhost: requests that never leave this machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

// What the user reads when something fails: one sentence (or a few) that names what failed, where
// (the server, the URL), with which credential (where it came from, never its value), and what to do.
// Resources, lookups and the resource plugin all say their errors through here. The dynamic-provider
// host prints `${error}: ${error.stack}` for a failing check, diff, read or delete, so an error that
// leaves here carries no stack of ours and none of the client's internals.
import {
  ApiConnectionError,
  ApiError,
  AuthenticationError,
  ConfigurationError,
  NotFoundError,
  PermissionDeniedError,
  UnexpectedResponseError,
  UnrecognizedAnswerError,
  VpsOrgError,
} from "../client/errors";
import type { CredentialSource } from "./accounts";

/** After a wait that timed out: the object is in the state, and the next `up` goes on waiting. */
export const WAITS_AGAIN =
  "It is recorded; the next `pulumi up` waits for it again (raise waitTimeout if it needs longer).";

/** An error with nothing but its message: no stack to print, no request or axios object inside. */
export class ProviderError extends Error {
  override readonly name = "pulumi-vpsorg";
  constructor(message: string) {
    super(message);
    this.stack = message;
  }
  override toString(): string {
    return this.name;
  }
}

/** What a message can name beside the error itself. */
export interface ErrorContext {
  /** Where the call's credentials came from. */
  source?: CredentialSource;
  /** The server the call was about. */
  serverId?: number | string;
}

/** `text` ending in exactly one period (a server's message may bring its own). */
export const sentence = (text: string) => `${text.trim().replace(/[.\s]+$/, "")}.`;

/** "the API token of the default account (from stack config vpsorg:apiToken)". */
export const tokenOf = (source: CredentialSource | undefined) =>
  source ? `the API token of ${source.account} (from ${source.token})` : "the API token";

/** A server the token does not see: another account's, one deleted, or another environment's URL. */
export function serverNotVisible(serverId: number | string, source: CredentialSource | undefined): string {
  const where = source ? ` at ${source.baseUrl}` : "";
  return `Server ${serverId} is not visible to ${tokenOf(source)}${where}: ${checkOwner(serverId, source)}`;
}

/** What to check when a server is not visible: the id, and that the token and URL are its account's. */
export function checkOwner(serverId: number | string, source: CredentialSource | undefined): string {
  const url = source ? ` and the API URL (${source.url})` : "";
  return `check serverId, and that the token${url} are those of the account that owns server ${serverId}.`;
}

const UNREACHABLE: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** The message a person can act on, for an error from the client or the API. */
export function explain(error: unknown, context: ErrorContext = {}): string {
  const { source } = context;
  if (error instanceof ProviderError || error instanceof ConfigurationError) return error.message;
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    const at = source ? ` at ${source.baseUrl}` : "";
    const said = error.serverMessage ? `: ${error.serverMessage.replace(/[.\s]+$/, "")}` : "";
    return (
      `VPS.org rejected ${tokenOf(source)}${at} (${error.status}${said}). ` +
      `Set a valid token${source ? `: ${source.howToSet}` : ""}.`
    );
  }
  if (error instanceof NotFoundError && context.serverId !== undefined && /server/i.test(error.serverMessage)) {
    return serverNotVisible(context.serverId, source);
  }
  if (error instanceof ApiConnectionError && UNREACHABLE.has(error.code ?? "")) {
    const where = source?.baseUrl ?? error.url?.replace(/\/(servers|snapshots|backups)\/.*$/, "") ?? "the API URL";
    return (
      `Could not reach VPS.org at ${where} (${error.code}). Check ${source?.url ?? "vpsorg:apiUrl or VPS_API_URL"}` +
      `, or, to work against the local emulator, start it (\`npx vpsorg-emulator\`) and point the URL at it.`
    );
  }
  if (error instanceof UnrecognizedAnswerError || error instanceof UnexpectedResponseError) {
    return sentence(`VPS.org's answer to ${error.method} could not be used: ${messageOf(error)}`);
  }
  if (error instanceof ApiError) {
    const said = error.serverMessage ? `: ${error.serverMessage}` : "";
    return sentence(`VPS.org answered ${error.status} to ${error.method} ${error.url ?? error.path}${said}`);
  }
  if (error instanceof VpsOrgError) return sentence(`${error.method} ${error.url ?? error.path}: ${messageOf(error)}`);
  return error instanceof Error ? error.message : String(error);
}

/** A client error's own words, without the "METHOD path: " prefix every client error carries. */
function messageOf(error: VpsOrgError): string {
  const prefix = `${error.method} ${error.path}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** Turns any error into a ProviderError, keeping the engine's partial-failure fields when present. */
export function clean(error: unknown, context: ErrorContext = {}): Error {
  if (error instanceof ProviderError && !(error as { id?: unknown }).id) return error;
  const out = new ProviderError(explain(error, context));
  const init = error as { id?: unknown; properties?: unknown; reasons?: unknown };
  if (typeof init.id === "string" && init.id !== "") {
    // The engine's ErrorResourceInitFailed: it records the id and the properties.
    Object.assign(out, { id: init.id, properties: init.properties, reasons: [out.message] });
  }
  return out;
}

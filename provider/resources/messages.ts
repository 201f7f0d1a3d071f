// What the user reads. Since Pulumi 3.146 the engine shows the provider host's stderr lines in
// `pulumi up`, so progress goes there. Errors leave the providers as one clean sentence with its
// remedy: the host prints `${error}: ${error.stack}` for a failing check, diff, read or delete, so an
// error that leaves here carries no stack of ours, and none of the client's internals.
import { ApiConnectionError, AuthenticationError, NotFoundError, PermissionDeniedError } from "../client/errors";

/** One line on stderr, which `pulumi up` shows under the resource. */
export function progressLine(text: string): void {
  process.stderr.write(`vpsorg: ${text}\n`);
}

/** After a wait that timed out: the object is in the state, and the next `up` goes on waiting. */
export const WAITS_AGAIN =
  "It is recorded; the next `pulumi up` waits for it again (raise waitTimeout if it needs longer).";

/** Where the credentials of a call came from, for messages (names only, never values). */
export interface CredentialSource {
  /** e.g. "stack config vpsorg:apiToken" or "the VPS_API_TOKEN environment variable". */
  token: string;
  /** How to set a token there. */
  howToSet: string;
  /** e.g. "vpsorg:apiUrl (or VPS_API_URL)". */
  url: string;
  baseUrl?: string;
}

/** An error with nothing but its message: no stack to print, no request or axios object inside. */
class ProviderError extends Error {
  override readonly name = "pulumi-vpsorg";
  constructor(message: string) {
    super(message);
    this.stack = message;
  }
  override toString(): string {
    return this.name;
  }
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** The message a person can act on, for an error from the client or the API. */
function explain(error: unknown, source?: CredentialSource): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    const used = source ? `the API token from ${source.token}` : "the API token";
    return (
      `VPS.org rejected ${used} (${error.status}${error.serverMessage ? `: ${error.serverMessage}` : ""}). ` +
      `Set a valid token${source ? `: ${source.howToSet}` : ""}.`
    );
  }
  if (error instanceof NotFoundError && /\/servers\/|server_id|[Ss]erver not found/.test(`${message}`)) {
    return `${message}. The account of this API token has no such server: check serverId.`;
  }
  if (error instanceof ApiConnectionError && UNREACHABLE.has(error.code ?? "")) {
    const where = source?.baseUrl ?? "the API URL";
    return (
      `Could not reach VPS.org at ${where} (${error.code}). Check ${source?.url ?? "vpsorg:apiUrl (or VPS_API_URL)"}` +
      `, or, to work against the local emulator, start it with \`npx vpsorg-emulator\` and point the URL at it.`
    );
  }
  return message;
}

/** Turns any error into a ProviderError, keeping the engine's partial-failure fields when present. */
export function clean(error: unknown, source?: CredentialSource): Error {
  if (error instanceof ProviderError) return error;
  const out = new ProviderError(explain(error, source));
  const init = error as { id?: unknown; properties?: unknown; reasons?: unknown };
  if (typeof init.id === "string" && init.id !== "") {
    // The engine's ErrorResourceInitFailed: it records the id and the properties.
    Object.assign(out, { id: init.id, properties: init.properties, reasons: [out.message] });
  }
  return out;
}

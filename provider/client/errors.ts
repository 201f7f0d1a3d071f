// Every error the client can throw. One class per HTTP status family, each carrying the
// server's own message, the request's method and path, and the request id when the server
// sent one. None of them holds a request's headers or an axios object: an axios error keeps
// the request config (and with it the bearer token), so it never leaves the client.

export interface RequestInfo {
  method: string;
  /** The path below the base URL, with its query string. */
  path: string;
  /** The whole URL asked (the base URL carries no credentials: config.ts refuses them). */
  url?: string;
}

export class VpsOrgError extends Error {
  override readonly name: string = "VpsOrgError";
  readonly status: number | undefined;
  readonly method: string;
  readonly path: string;
  /** The whole URL asked, where known. */
  readonly url: string | undefined;
  readonly requestId: string | undefined;
  /** The message the server gave, as it gave it (may be empty). */
  readonly serverMessage: string;

  constructor(
    message: string,
    request: RequestInfo,
    options: { status?: number; serverMessage?: string; requestId?: string } = {},
  ) {
    super(`${request.method} ${request.path}: ${message}`);
    this.status = options.status;
    this.method = request.method;
    this.path = request.path;
    this.url = request.url;
    this.requestId = options.requestId;
    this.serverMessage = options.serverMessage ?? "";
  }
}

/** Any non-2xx answer. */
export class ApiError extends VpsOrgError {
  override readonly name: string = "ApiError";
  /** Field errors when the server gave them (`{"name": ["..."]}`). */
  readonly fieldErrors: Record<string, string[]>;

  constructor(
    status: number,
    serverMessage: string,
    request: RequestInfo,
    options: { requestId?: string; fieldErrors?: Record<string, string[]> } = {},
  ) {
    super(`${status} ${serverMessage || "(no message)"}`, request, {
      status,
      serverMessage,
      requestId: options.requestId,
    });
    this.fieldErrors = options.fieldErrors ?? {};
  }
}

export class BadRequestError extends ApiError {
  override readonly name = "BadRequestError";
}
export class AuthenticationError extends ApiError {
  override readonly name = "AuthenticationError";
}
export class PermissionDeniedError extends ApiError {
  override readonly name = "PermissionDeniedError";
}
export class NotFoundError extends ApiError {
  override readonly name = "NotFoundError";
}
export class ConflictError extends ApiError {
  override readonly name = "ConflictError";
}
export class RateLimitError extends ApiError {
  override readonly name = "RateLimitError";
}
export class ServerError extends ApiError {
  override readonly name = "ServerError";
}

/** No HTTP answer at all: refused, reset or dropped. */
export class ApiConnectionError extends VpsOrgError {
  override readonly name: string = "ApiConnectionError";
  /** The system error code (ECONNREFUSED, ECONNRESET, ...), when there was one. */
  readonly code: string | undefined;
  /**
   * False only when the request certainly never reached the server (connection refused),
   * so a POST can be sent again without risk of doing the work twice.
   */
  readonly mayHaveReachedServer: boolean;

  constructor(message: string, request: RequestInfo, code?: string) {
    super(message, request);
    this.code = code;
    this.mayHaveReachedServer = code !== "ECONNREFUSED";
  }
}

export class ApiTimeoutError extends ApiConnectionError {
  override readonly name = "ApiTimeoutError";
  constructor(timeoutMs: number, request: RequestInfo) {
    super(`no answer within ${timeoutMs} ms`, request, "ETIMEDOUT");
  }
}

/** A 2xx answer whose body is not what the API documents (not JSON, or the wrong shape). */
export class UnexpectedResponseError extends VpsOrgError {
  override readonly name = "UnexpectedResponseError";
}

/**
 * An answer that did not come from the VPS.org API, or cannot be taken as its word: a 404 whose body
 * is not the API's error shape (a proxy's HTML page, a wrong path under the API URL), a redirect
 * (never followed: the token goes only to the configured URL). It proves nothing, so it is never
 * read as "not found", and asking again would not change it.
 */
export class UnrecognizedAnswerError extends VpsOrgError {
  override readonly name = "UnrecognizedAnswerError";
}

/** A wait for a job or a server ran past its deadline. */
export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";
}

/** A job or a restore ended in a state other than the one waited for. */
export class JobFailedError extends Error {
  override readonly name = "JobFailedError";
  /** The status it ended in; undefined when the object or server is gone. */
  readonly status: string | undefined;
  constructor(message: string, status?: string) {
    super(message);
    this.status = status;
  }
}

export function errorForStatus(
  status: number,
  serverMessage: string,
  request: RequestInfo,
  options: { requestId?: string; fieldErrors?: Record<string, string[]> },
): ApiError {
  if (status === 400 || status === 422) return new BadRequestError(status, serverMessage, request, options);
  if (status === 401) return new AuthenticationError(status, serverMessage, request, options);
  if (status === 403) return new PermissionDeniedError(status, serverMessage, request, options);
  if (status === 404) return new NotFoundError(status, serverMessage, request, options);
  if (status === 409) return new ConflictError(status, serverMessage, request, options);
  if (status === 429) return new RateLimitError(status, serverMessage, request, options);
  if (status >= 500) return new ServerError(status, serverMessage, request, options);
  return new ApiError(status, serverMessage, request, options);
}

/** Whether a request that failed with this error may be sent again without harm, for GET and DELETE. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof RateLimitError ||
    error instanceof ServerError ||
    error instanceof ApiConnectionError ||
    error instanceof UnexpectedResponseError
  );
}

/**
 * Whether a request that failed with this error may still have taken effect (its answer was lost,
 * or the server failed after acting): a create or restore must then be reconciled, never re-sent.
 */
export function mayHaveActed(error: unknown): boolean {
  return (
    (error instanceof ApiConnectionError && error.mayHaveReachedServer) ||
    error instanceof ServerError ||
    error instanceof UnexpectedResponseError
  );
}

/** The client cannot be built as configured (no token, a bad URL). */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

/** A restore the API would not start (the server is busy, the source is missing or unfinished). */
export class RestoreRejectedError extends Error {
  override readonly name = "RestoreRejectedError";
}

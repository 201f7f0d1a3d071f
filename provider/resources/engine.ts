// The engine's own notions, as a resource meets them: values not known until `up`, and the
// partial failure that records an object which exists but is not ready.

/**
 * The engine's "created, but not ready" answer: it records the resource with this id and these
 * properties, and calls `update` on the next `pulumi up`. `properties` must carry the inputs
 * (and with them a dynamic resource's `__provider`) or a later delete could not load the provider.
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

// Assertions that say what failed. `rejection` is for tests that go on to read an error's fields:
// an unexpected success fails with the value it resolved to, not with "undefined" further down.

/**
 * The error `promise` rejects with; fails the test, naming `what` and the value, if it resolves.
 * Typed loosely on purpose: tests read the fields of the errors they expect (`id`, `failures`, ...).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rejection(promise: Promise<unknown>, what = "the call"): Promise<any> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${what} to fail, but it succeeded with ${JSON.stringify(value)?.slice(0, 500)}`);
}

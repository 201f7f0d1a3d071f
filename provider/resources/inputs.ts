// The resources' inputs as zod schemas, with messages a person understands, and the one function
// that turns zod's issues into the engine's check failures (property + reason).
import { z } from "zod";
import { ACCOUNT_NAME, ACCOUNT_NAME_RULE } from "../core/accounts";
import { MAX_WAIT_MS, parseDuration } from "../core/durations";
import type { CheckFailure } from "./call";
import { isUnknown } from "./engine";
import { maskTokenLike } from "../client/redact";

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${maskTokenLike(JSON.stringify(value))}`;
}

/** A positive whole number, e.g. a server id. `acceptText`: also its digits as text (a resource's `id`). */
export function idInput(property: string, example: string, { acceptText = false } = {}) {
  const number = z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `${property} is required (e.g. ${example}).`
          : typeof issue.input === "string"
            ? `${property} must be a number (e.g. ${example}), not the string ${JSON.stringify(issue.input)}.`
            : `${property} must be a number (e.g. ${example}), got ${describe(issue.input)}.`,
    })
    .refine((n) => Number.isInteger(n) && n > 0, {
      error: (issue) => `${property} must be a positive whole number (e.g. ${example}), got ${issue.input}.`,
    });
  if (!acceptText) return number;
  return z.preprocess((value) => (typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value), number);
}

/** A named account (`vpsorg:accounts.<name>` in the stack config); absent: the default account. */
export const accountInput = z
  .string({ error: (issue) => `account must be an account name such as "prod", got ${describe(issue.input)}.` })
  .regex(ACCOUNT_NAME, {
    error: (issue) => `account must be ${ACCOUNT_NAME_RULE}, got ${JSON.stringify(issue.input)}.`,
  })
  .nullish();

export const optionalText = (property: string) =>
  z.string({ error: (issue) => `${property} must be a string, got ${describe(issue.input)}.` }).nullish();

export const durationInput = (property: string) =>
  z
    .string({ error: (issue) => `${property} must be a duration string such as "30m", got ${describe(issue.input)}.` })
    .refine((text) => parseDuration(text) !== undefined, {
      error: (issue) =>
        `${property} must be a duration such as "45s", "30m" or "1h30m", got ${JSON.stringify(issue.input)}.`,
    })
    .refine((text) => (parseDuration(text) ?? 0) <= MAX_WAIT_MS, {
      error: (issue) =>
        `${property} must be at most "24h" (VPS.org jobs take minutes; a longer wait is almost certainly a typo), ` +
        `got ${JSON.stringify(issue.input)}.`,
    })
    .nullish();

/**
 * Validates `news` against an object schema. Keys starting with "__" (the engine's `__provider`,
 * this package's `__resourceName`) are not the user's; values not known until `up` are not judged.
 */
export function checkInputs(schema: z.ZodObject, news: Record<string, unknown>): CheckFailure[] {
  return [...checkOwn(schema, news), ...checkCreateTimeout(news)];
}

/** Pulumi's `customTimeouts.create`, which the sdk classes pass on as `__createTimeout`. */
const createTimeout = durationInput("customTimeouts.create");
function checkCreateTimeout(news: Record<string, unknown>): CheckFailure[] {
  const value = news.__createTimeout;
  if (value === undefined || value === null || isUnknown(value)) return [];
  const result = createTimeout.safeParse(value);
  return result.success ? [] : [{ property: "customTimeouts.create", reason: result.error.issues[0].message }];
}

/** How long to wait: `waitTimeout`, else the resource option `customTimeouts.create`, else the default. */
export function waitTimeoutOf(props: Record<string, unknown>, defaultMs: number): number {
  for (const value of [props.waitTimeout, props.__createTimeout]) {
    const ms = typeof value === "string" ? parseDuration(value) : undefined;
    if (ms !== undefined) return Math.min(ms, MAX_WAIT_MS);
  }
  return defaultMs;
}

function checkOwn(schema: z.ZodObject, news: Record<string, unknown>): CheckFailure[] {
  const pending = new Set(Object.keys(news).filter((key) => isUnknown(news[key])));
  const own = Object.fromEntries(
    Object.entries(news).filter(([key, value]) => !key.startsWith("__") && !pending.has(key) && value !== undefined),
  );
  const known = Object.keys(schema.shape);
  // A required input not known until `up` is not missing: judge the others only.
  const mask = Object.fromEntries(known.filter((key) => pending.has(key)).map((key) => [key, true]));
  const result = schema
    .partial(mask as Record<string, true> & Record<number, never>)
    .strict()
    .safeParse(own);
  if (result.success) return [];
  return result.error.issues.flatMap((issue): CheckFailure[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        property: key,
        reason: `${key} is not a property of this resource (known: ${known.join(", ")}).`,
      }));
    }
    return [{ property: String(issue.path[0] ?? "(inputs)"), reason: issue.message }];
  });
}

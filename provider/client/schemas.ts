// The API's bodies, as zod schemas. Objects are loose: fields the API adds later are kept,
// not rejected. A job status the docs do not name is carried through as a plain string.
// The types the client publishes are written by hand in types.ts (no zod in its declarations);
// each schema `satisfies` its type, so a schema whose accepted bodies stop fitting it fails the build.
import { z } from "zod";
import type { Backup, BodySchema, Page, RestoreResponse, Server, Snapshot } from "./types";

/** Ids are integers in every sample; a string id is tolerated and compared as text. */
export const idSchema = z.union([z.number().int(), z.string().min(1)]);

const serverRefSchema = z.looseObject({ id: idSchema, name: z.string().nullish() });

export const backupSchema = z.looseObject({
  id: idSchema,
  server: serverRefSchema,
  backup_type: z.string(),
  status: z.string(),
  size_mb: z.number().nullish(),
  created_at: z.string().nullish(),
  expires_at: z.string().nullish(),
  description: z.string().nullish(),
  message: z.string().optional(),
}) satisfies BodySchema<Backup>;

export const snapshotSchema = z.looseObject({
  id: idSchema,
  server: serverRefSchema,
  name: z.string(),
  status: z.string(),
  size_mb: z.number().nullish(),
  created_at: z.string().nullish(),
  description: z.string().nullish(),
  message: z.string().optional(),
}) satisfies BodySchema<Snapshot>;

export const serverSchema = z.looseObject({
  id: idSchema,
  name: z.string().nullish(),
  hostname: z.string().nullish(),
  status: z.string(),
  ip_address: z.string().nullish(),
  location: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
}) satisfies BodySchema<Server>;

/** The snapshot restore answer is documented; the backup restore answer is not, so every field is optional. */
export const restoreResponseSchema = z.looseObject({
  status: z.string().optional(),
  message: z.string().optional(),
  snapshot: z.looseObject({ id: idSchema, name: z.string().nullish(), created_at: z.string().nullish() }).optional(),
  backup: z.looseObject({ id: idSchema }).optional(),
  server: z.looseObject({ id: idSchema, name: z.string().nullish(), status: z.string().nullish() }).optional(),
}) satisfies BodySchema<RestoreResponse>;

/** One page of a list: `count` and `results` are documented, `next`/`previous` are tolerated. */
export function pageSchema<T>(item: z.ZodType<T>): z.ZodType<Page<T>> {
  return z.looseObject({
    count: z.number().int().nonnegative().optional(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
    results: z.array(item),
  });
}

/** Error bodies: `{"detail": "..."}` or DRF-style field errors `{"field": ["msg"]}`; anything else is text. */
export function describeErrorBody(body: unknown): { message: string; fieldErrors: Record<string, string[]> } {
  if (typeof body === "string") return { message: body.trim().slice(0, 500), fieldErrors: {} };
  if (!body || typeof body !== "object") return { message: "", fieldErrors: {} };
  const record = body as Record<string, unknown>;
  const fieldErrors: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === "detail" || key === "message" || key === "error") continue;
    if (Array.isArray(value)) fieldErrors[key] = value.map(String);
    else if (typeof value === "string") fieldErrors[key] = [value];
  }
  const direct = [record.detail, record.message, record.error].find((v) => typeof v === "string") as string | undefined;
  const fields = Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v.join(" ")}`);
  const message = direct ?? fields.join("; ");
  return { message, fieldErrors };
}

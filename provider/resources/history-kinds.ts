// What SnapshotHistory and BackupHistory differ in: their inputs, the slots a server has, how a new
// item is posted (a snapshot's name, a backup's description), and how an object becomes an item.
// The life cycle they share is in history.ts.
import { z } from "zod";
import type { VpsOrgClient } from "../client/client";
import type { Snapshot } from "../client/types";
import { MAX_AGE_DAYS, parseAge } from "../core/durations";
import { type Identity, markerOf, ownerKey, stableToken, withMarker } from "../core/markers";
import { BACKUPS, type Job, type JobKind, SNAPSHOTS } from "../kinds";
import type { Props } from "./call";
import { accountInput, describe, durationInput, idInput, optionalText } from "./inputs";
import { nameSafe, SNAPSHOT_NAME_MAX, SNAPSHOT_NAME_RULE } from "./snapshot";

/** One kept snapshot or backup, as the history's outputs list it (newest first). */
export interface Item {
  id: number | string;
  /** A snapshot's name; null for a backup (VPS.org gives backups no name). */
  name: string | null;
  createdAt: string | null;
  /** The trigger value it was taken for. */
  trigger: string | null;
  sizeMb: number | null;
}

export interface HistorySpec {
  /** The kind of its items; its limit is also the largest `keep`. */
  kind: JobKind;
  /** The sdk class name, for messages. */
  title: string;
  inputs: z.ZodObject;
  post(client: VpsOrgClient, inputs: Props, identity: Identity, trigger: string, key: string): Promise<Job>;
  itemOf(item: Job, trigger: string | null): Item;
}

const maxAgeInput = z
  .string({ error: (issue) => `maxAge must be a duration string such as "30d", got ${describe(issue.input)}.` })
  .refine((text) => parseAge(text) !== undefined, {
    error: (issue) =>
      `maxAge must be a number of days, hours or minutes such as "30d", "12h" or "90m", above 0 and at most ` +
      `${MAX_AGE_DAYS}d, got ${JSON.stringify(issue.input)}.`,
  })
  .nullish();

const keepInput = (max: number) =>
  z
    .number({ error: (issue) => `keep must be a whole number from 1 to ${max}, got ${describe(issue.input)}.` })
    .refine((n) => Number.isInteger(n) && n >= 1 && n <= max, {
      error: (issue) => `keep must be a whole number from 1 to ${max} (the server's limit), got ${issue.input}.`,
    })
    .nullish();

const triggerInput = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? `trigger is required: the value whose change takes a new item (e.g. the release tag "v1.4.0").`
        : `trigger must be a string (e.g. the release tag "v1.4.0"), got ${describe(issue.input)}.`,
  })
  .min(1, { error: `trigger must not be empty: use the value whose change takes a new item (e.g. "v1.4.0").` });

const NAME_PREFIX_MAX = 40;
const namePrefixInput = z
  .string({ error: (issue) => `namePrefix must be a string, got ${describe(issue.input)}.` })
  .min(1, { error: "namePrefix must not be empty (omit it to use the resource name)." })
  .max(NAME_PREFIX_MAX, {
    error: (issue) => `namePrefix must be at most ${NAME_PREFIX_MAX} characters, got ${String(issue.input).length}.`,
  })
  .regex(SNAPSHOT_NAME_RULE, {
    error: (issue) =>
      `namePrefix may contain only letters, digits, hyphens and underscores, got ${JSON.stringify(issue.input)}.`,
  })
  .nullish();

const common = (max: number) => ({
  serverId: idInput("serverId", "12345"),
  keep: keepInput(max),
  trigger: triggerInput,
  waitTimeout: durationInput("waitTimeout"),
  description: optionalText("description"),
  maxAge: maxAgeInput,
  account: accountInput,
});

export const DEFAULT_KEEP = 3;

/** `nameSafe` without a hyphen left at the end by the cut: a part of a longer name. */
const namePart = (text: string, max: number) => nameSafe(text, max).replace(/-$/, "");

/**
 * `web-v1.4.0` + trigger `v1.4.0` becomes `web-v1-4-0-k3x9q2`: readable in the panel, and the
 * token (from the item's marker key) keeps two triggers that read alike apart. At most 88 characters.
 */
export function itemName(inputs: Props, identity: Identity, trigger: string, key: string): string {
  const prefix =
    (typeof inputs.namePrefix === "string" && inputs.namePrefix) ||
    namePart(String(identity.resourceName ?? ""), NAME_PREFIX_MAX) ||
    "release";
  const name = [prefix, namePart(trigger, 40), stableToken([key], 6)].filter(Boolean).join("-");
  return name.slice(0, SNAPSHOT_NAME_MAX);
}

const TRIGGER_TEXT_MAX = 200;

/** The description sent: the user's text, the trigger (so the panel says which release), the marker. */
export function itemDescription(description: unknown, trigger: string, key: string): string {
  const shown = trigger.length > TRIGGER_TEXT_MAX ? `${trigger.slice(0, TRIGGER_TEXT_MAX - 1)}…` : trigger;
  const text = typeof description === "string" && description.trim() !== "" ? `${description.trim()} ` : "";
  return withMarker(`${text}(trigger: ${shown})`, key);
}

/**
 * The marker keys. The first 5 characters name the history (its organization, URN and server), the last 5 the
 * item (its trigger and the trigger before it, so a trigger used again makes a new item, not a
 * match). Every object a history made is therefore recognisable by its description alone.
 */
export function historyPrefix(identity: Identity, serverId: number): string {
  return ownerKey(identity, ["history", serverId]).slice(0, 5);
}

export function itemKey(identity: Identity, serverId: number, trigger: string, previousTrigger: string | null): string {
  const item = ownerKey(identity, ["history", serverId, trigger, previousTrigger]).slice(0, 5);
  return historyPrefix(identity, serverId) + item;
}

export const belongsTo = (prefix: string, object: Job) => markerOf(object.description)?.startsWith(prefix) === true;

export const snapshotHistorySpec: HistorySpec = {
  kind: SNAPSHOTS as JobKind,
  title: "SnapshotHistory",
  inputs: z.object({ ...common(SNAPSHOTS.limit), namePrefix: namePrefixInput }),
  post: (client, inputs, identity, trigger, key) =>
    client.snapshots.create({
      serverId: Number(inputs.serverId),
      name: itemName(inputs, identity, trigger, key),
      description: itemDescription(inputs.description, trigger, key),
    }),
  itemOf: (item, trigger) => ({
    id: item.id,
    name: (item as Snapshot).name,
    createdAt: item.created_at ?? null,
    trigger,
    sizeMb: item.size_mb ?? null,
  }),
};

export const backupHistorySpec: HistorySpec = {
  kind: BACKUPS as JobKind,
  title: "BackupHistory",
  inputs: z.object(common(BACKUPS.limit)),
  post: (client, inputs, _identity, trigger, key) =>
    client.backups.create({
      serverId: Number(inputs.serverId),
      description: itemDescription(inputs.description, trigger, key),
    }),
  itemOf: (item, trigger) => ({
    id: item.id,
    name: null,
    createdAt: item.created_at ?? null,
    trigger,
    sizeMb: item.size_mb ?? null,
  }),
};

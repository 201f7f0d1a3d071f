// The Snapshot resource's specifics: the name (given, or made from the resource name), the
// limit of 5 per server, and how a snapshot looks in the state.
import { z } from "zod";
import type { Snapshot } from "../client/types";
import { type Identity, identityText, stableToken, withoutMarker } from "../core/markers";
import { SNAPSHOTS } from "../kinds";
import { sameText } from "./engine";
import { accountInput, durationInput, idInput, optionalText } from "./inputs";
import { jobResource, type Props } from "./job-resource";

export const SNAPSHOT_NAME_RULE = /^[A-Za-z0-9_-]+$/;
/** The API documents no length limit; 100 is this project's bound (the emulator's too). */
export const SNAPSHOT_NAME_MAX = 100;
const SUFFIX_LENGTH = 7;

/**
 * Text made valid for a snapshot name, at most `max` characters: runs of other characters become
 * one hyphen, none at either end. (A hyphen may end it again after the cut; auto-names keep that,
 * since changing them would rename, and so replace, existing snapshots.)
 */
export function nameSafe(text: string, max: number): string {
  return text
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, max);
}

/**
 * `pre-upgrade` becomes `pre-upgrade-x3k9q2a`: the resource name made valid, plus a suffix derived
 * from the URN and the inputs that make a new snapshot. It is the same in every `check` and every
 * process (a create retried after a killed run posts the same name), different in every stack and
 * for every resource, and new when a changed serverId or description replaces the snapshot.
 */
export function autoName(identity: Identity, inputs: Props): string {
  const base = nameSafe(String(identity.resourceName ?? "snapshot"), 60) || "snapshot";
  const suffix = stableToken(
    [identityText(identity), inputs.serverId ?? null, inputs.description ?? null],
    SUFFIX_LENGTH,
  );
  return `${base}-${suffix}`;
}

/** Whether `name` is one autoName made for this resource name, in any run (or 0.1's random suffix). */
export function looksAutoNamed(name: unknown, resourceName: unknown): boolean {
  if (typeof name !== "string" || typeof resourceName !== "string") return false;
  const base = autoName({ resourceName }, {}).slice(0, -(SUFFIX_LENGTH + 1));
  return name.length > SUFFIX_LENGTH + 1 && name.slice(0, -(SUFFIX_LENGTH + 1)) === base;
}

export const snapshotNameInput = z
  .string({ error: (issue) => `name must be a string, got ${typeof issue.input}.` })
  .min(1, { error: "name must not be empty (omit it to have one made from the resource name)." })
  .max(SNAPSHOT_NAME_MAX, {
    error: (issue) => `name must be at most ${SNAPSHOT_NAME_MAX} characters, got ${String(issue.input).length}.`,
  })
  .regex(SNAPSHOT_NAME_RULE, {
    error: (issue) => {
      const bad = [...new Set(String(issue.input).replace(/[A-Za-z0-9_-]/g, ""))].map((c) => JSON.stringify(c));
      return `name may contain only letters, digits, hyphens and underscores; ${JSON.stringify(issue.input)} contains ${bad.join(", ")}.`;
    },
  })
  .nullish();

export const snapshotResource = jobResource<Snapshot>({
  kind: SNAPSHOTS,
  inputs: z.object({
    serverId: idInput("serverId", "12345"),
    name: snapshotNameInput,
    description: optionalText("description"),
    waitTimeout: durationInput("waitTimeout"),
    adoptId: idInput("adoptId", "801", { acceptText: true }).nullish(),
    account: accountInput,
  }),
  replaceKeys: ["serverId", "name", "description", "adoptId", "account"],
  identityKeys: ["serverId", "name", "description"],

  checkMore(olds: Props, news: Props, identity: Identity) {
    const inputs = { ...news };
    if ((news.name === undefined || news.name === null) && news.adoptId == null) {
      // Keep the name made last time (Pulumi's autonaming; a name made by 0.1 had a random suffix);
      // the engine checks again with no olds when the resource is replaced.
      inputs.name = looksAutoNamed(olds.name, identity.resourceName) ? olds.name : autoName(identity, news);
    }
    return inputs;
  },

  post: (client, inputs, description) =>
    client.snapshots.create({ serverId: Number(inputs.serverId), name: String(inputs.name), description }),
  adoptProblem(item, inputs) {
    if (inputs.name != null && inputs.name !== item.name) {
      return `snapshot ${item.id} is named ${JSON.stringify(item.name)}, not ${JSON.stringify(inputs.name)}; remove name or make it match.`;
    }
    if (inputs.description != null && !sameText(inputs.description, withoutMarker(item.description))) {
      return `snapshot ${item.id} has the description ${JSON.stringify(item.description ?? "")}; remove description or make it match.`;
    }
    return undefined;
  },
});

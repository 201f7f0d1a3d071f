// How an object this provider creates is recognised again by a later process. If the provider host
// dies while a create waits (a CI runner killed, a laptop closed), the engine never learns the id and
// calls `create` again on the next `pulumi up`, with the same inputs. VPS.org stores nothing of ours
// but a snapshot's name and an object's description, so every object we create carries a marker in
// its description, derived only from what is the same in both runs: the resource's identity (its
// URN and organization) and the inputs that make it a new object. The next create finds the marker
// and adopts the object instead of posting again.
//
// In the VPS.org panel a description then reads `before deploy [pulumi:k3x9q2a7mz]`. The marker is
// removed again from every output, so programs and diffs only ever see the description they gave.
import { createHash } from "node:crypto";

const MARKER = /\s*\[pulumi:([a-z0-9]{10})\]\s*$/;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * What names a resource across processes. A dynamic resource's provider host is never told the
 * URN, so the sdk classes pass it as inputs (`__urn`, `__org`, `__resourceName`); a resource plugin
 * reads it from the engine's request.
 */
export interface Identity {
  urn?: string;
  /** The Pulumi organization: two organizations may hold stacks of the same name. */
  org?: string;
  /** The resource's name in the program. */
  resourceName?: string;
  /**
   * The provider instance, in a resource plugin: the engine runs one plugin process per provider
   * (the default one, and each explicit `Provider`), and moving a resource to another provider
   * replaces it without telling the old process. With the provider in the marker, the new process
   * never adopts the object the old one is about to delete. (A dynamic provider has one host.)
   */
  provider?: string;
}

/** `length` characters of [a-z0-9] from a hash of `parts`: stable across processes and machines. */
export function stableToken(parts: unknown[], length: number): string {
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest();
  return [...digest.subarray(0, length)].map((byte) => ALPHABET[byte % ALPHABET.length]).join("");
}

/** The identity as one text: the organization and URN, or the resource's name when no URN is known. */
export function identityText(identity: Identity): string {
  const org = identity.org ? `${identity.org}/` : "";
  const provider = identity.provider ? ` via ${identity.provider}` : "";
  if (identity.urn) return `${org}${identity.urn}${provider}`;
  return `name:${identity.resourceName ?? ""}`;
}

/**
 * The marker of one resource's object: its identity plus the inputs whose change makes a new object
 * (`parts`), so a replacement caused by a changed input never matches the object it replaces.
 */
export function ownerKey(identity: Identity, parts: unknown[]): string {
  return stableToken([identityText(identity), ...parts.map((part) => part ?? null)], 10);
}

/** The description sent to VPS.org: the user's text with the marker at its end. */
export function withMarker(description: unknown, key: string): string {
  const text = typeof description === "string" ? description.trim() : "";
  return text === "" ? `[pulumi:${key}]` : `${text} [pulumi:${key}]`;
}

/** The marker an object's description carries, if any. */
export function markerOf(description: unknown): string | undefined {
  return typeof description === "string" ? MARKER.exec(description)?.[1] : undefined;
}

/** The description as the user gave it: the marker removed; null when nothing is left. */
export function withoutMarker(description: unknown): string | null {
  if (typeof description !== "string") return null;
  const text = description.replace(MARKER, "");
  return text === "" ? null : text;
}

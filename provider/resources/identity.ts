// How an object this provider creates is recognised again by a later process. If the provider host
// dies while a create waits (a CI runner killed, a laptop closed), the engine never learns the id and
// calls `create` again on the next `pulumi up`, with the same inputs. VPS.org stores nothing of ours
// but a snapshot's name and an object's description, so every object we create carries a marker in
// its description, derived only from what is the same in both runs: the resource's URN (passed in by
// the sdk class as `__urn`, since the provider host is never told it) and the inputs that make it a
// new object. The next create finds the marker and adopts the object instead of posting again.
//
// In the VPS.org panel a description then reads `before deploy [pulumi:k3x9q2a7mz]`. The marker is
// removed again from every output, so programs and diffs only ever see the description they gave.
import { createHash } from "node:crypto";

type Props = Record<string, unknown>;

const MARKER = /\s*\[pulumi:([a-z0-9]{10})\]\s*$/;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `length` characters of [a-z0-9] from a hash of `parts`: stable across processes and machines. */
export function stableToken(parts: unknown[], length: number): string {
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest();
  return [...digest.subarray(0, length)].map((byte) => ALPHABET[byte % ALPHABET.length]).join("");
}

/**
 * What names this resource across processes: its URN (stack, project, parents, type, name) and the
 * Pulumi organization, since two organizations may hold stacks of the same name. Inputs made without
 * the sdk classes (no `__urn`) fall back to the resource's name.
 */
export function resourceIdentity(inputs: Props): string {
  const org = typeof inputs.__org === "string" && inputs.__org !== "" ? `${inputs.__org}/` : "";
  if (typeof inputs.__urn === "string" && inputs.__urn !== "") return `${org}${inputs.__urn}`;
  return `name:${String(inputs.__resourceName ?? "")}`;
}

/**
 * The marker of one resource's object: the URN plus the inputs whose change makes a new object
 * (`parts`), so a replacement caused by a changed input never matches the object it replaces.
 */
export function ownerKey(inputs: Props, parts: unknown[]): string {
  return stableToken([resourceIdentity(inputs), ...parts.map((part) => part ?? null)], 10);
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

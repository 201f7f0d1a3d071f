// Which objects this provider process must never adopt by their marker. Within one `pulumi up` the
// engine talks to one provider host, and it shows the host the id of every object already in the
// state (in diff, read, update, delete) before it replaces it. Those ids belong to a resource of the
// state, so a create must not adopt them, even when the marker matches: that happens when a resource
// is replaced with unchanged inputs (`pulumi up --replace`), where the old and the new object would
// carry the same marker. An id a create adopted is claimed too, so no two resources share an object.
const owned = new Set<string>();

const keyOf = (kind: string, id: unknown) => `${kind}:${String(id)}`;

/** The engine showed this id: it is in the state. */
export function noteOwned(kind: string, id: unknown): void {
  if (id !== undefined && id !== null && id !== "") owned.add(keyOf(kind, id));
}

/** Whether this id is in the state, or already claimed by a create in this process. */
export function isOwned(kind: string, id: unknown): boolean {
  return owned.has(keyOf(kind, id));
}

/** Claims the id for one create; false if it was shown or claimed before. */
export function claim(kind: string, id: unknown): boolean {
  if (isOwned(kind, id)) return false;
  owned.add(keyOf(kind, id));
  return true;
}

// Which objects this provider process must never adopt by their marker. Within one `pulumi up` the
// engine talks to one provider host, and it shows the host the id of every object already in the
// state (in diff, read, update, delete) before it replaces it. Those ids belong to a resource of the
// state, so a create must not adopt them, even when the marker matches: that happens when a resource
// is replaced with unchanged inputs (`pulumi up --replace`), where the old and the new object would
// carry the same marker. An id a create adopted is claimed too, so no two resources share an object.
const owned = new Set<string>();

// An object is named by its id and, where known, its creation time: ids are never reused by VPS.org,
// but an emulator reset between tests starts them again while one provider host lives on.
const keyOf = (kind: string, id: unknown, createdAt?: unknown) =>
  `${kind}:${String(id)}${typeof createdAt === "string" && createdAt ? `@${createdAt}` : ""}`;

/** The engine showed this id (with the object's `createdAt` from the state, when it has one). */
export function noteOwned(kind: string, id: unknown, createdAt?: unknown): void {
  if (id !== undefined && id !== null && id !== "") owned.add(keyOf(kind, id, createdAt));
}

/** Whether this object is in the state, or already claimed by a create in this process. */
export function isOwned(kind: string, id: unknown, createdAt?: unknown): boolean {
  return owned.has(keyOf(kind, id)) || owned.has(keyOf(kind, id, createdAt));
}

/** Claims the object for one create; false if it was shown or claimed before. */
export function claim(kind: string, id: unknown, createdAt?: unknown): boolean {
  if (isOwned(kind, id, createdAt)) return false;
  owned.add(keyOf(kind, id, createdAt));
  return true;
}

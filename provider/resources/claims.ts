// Which objects this provider process must never adopt by their marker. Within one `pulumi up` the
// engine talks to one provider host, and it shows the host the id of every object already in the
// state (in diff, read, update, delete). Those ids belong to a resource of the state, so a create
// must not adopt them, even when the marker matches. An id a create adopted is claimed too, so no
// two resources share an object.
//
// One sequence shows the host no id first: a targeted replacement (`pulumi up --replace`) with
// unchanged inputs runs check, create, then delete of the old object, without a diff. The create
// then finds the old object by its marker and adopts it; the delete of the old resource that follows
// must leave it. Every create records a generation (a random output), so that delete is told apart
// from a later delete of the new resource, which holds the same id.
const owned = new Set<string>();
/** kind:id -> the generation of the create that adopted it by its marker. */
const adoptedByMarker = new Map<string, string>();

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

/** A create of this process, of this generation, adopted the object by its marker. */
export function noteAdoptedByMarker(kind: string, id: unknown, createdAt: unknown, generation: string): void {
  adoptedByMarker.set(keyOf(kind, id, createdAt), generation);
}

/**
 * Whether deleting this object (as recorded by a resource of `generation`) would remove what a
 * create of another generation adopted as its own: then it is the replaced resource's delete.
 */
export function heldByReplacement(kind: string, id: unknown, createdAt: unknown, generation: unknown): boolean {
  const holder = adoptedByMarker.get(keyOf(kind, id, createdAt));
  return holder !== undefined && holder !== generation;
}

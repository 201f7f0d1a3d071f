// Which objects a provider process must never adopt by their marker. Within one `pulumi up` the
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
import type { JobName } from "../kinds";

/** An object as the state or a list names it. */
export interface ObjectRef {
  kind: JobName;
  id: unknown;
  /** Its creation time, where known: ids are never reused by VPS.org, but an emulator reset starts them again. */
  createdAt?: unknown;
}

const keyOf = ({ kind, id, createdAt }: ObjectRef) =>
  `${kind}:${String(id)}${typeof createdAt === "string" && createdAt ? `@${createdAt}` : ""}`;

/** The claims of one provider process (runtime.ts). */
export class Claims {
  /** Objects the engine showed (in the state) or a create of this process took. */
  readonly #held = new Set<string>();
  /** An object adopted by its marker -> the generation of the create that adopted it. */
  readonly #adoptedBy = new Map<string, string>();

  /** The engine showed this object: it belongs to a resource of the state. */
  shownByEngine(object: ObjectRef): void {
    if (object.id !== undefined && object.id !== null && object.id !== "") this.#held.add(keyOf(object));
  }

  /** Whether this object is in the state, or already taken by a create in this process. */
  isHeld(object: ObjectRef): boolean {
    return this.#held.has(keyOf({ kind: object.kind, id: object.id })) || this.#held.has(keyOf(object));
  }

  /** Takes the object for one create; false if the engine showed it or another create took it. */
  take(object: ObjectRef): boolean {
    if (this.isHeld(object)) return false;
    this.#held.add(keyOf(object));
    return true;
  }

  /** A create of `generation` adopted the object by its marker. */
  adoptedByMarker(object: ObjectRef, generation: string): void {
    this.#adoptedBy.set(keyOf(object), generation);
  }

  /**
   * Whether deleting this object (as recorded by a resource of `generation`) would remove what a
   * create of another generation adopted as its own: then it is the replaced resource's delete.
   */
  heldByReplacement(object: ObjectRef, generation: unknown): boolean {
    const holder = this.#adoptedBy.get(keyOf(object));
    return holder !== undefined && holder !== generation;
  }
}

// A small stand-in for the Pulumi engine's resource steps, driving the real provider host:
// check, then create (new), diff + update or replace (existing), read (refresh), delete
// (destroy or removed from the program). State lives in memory, or in a JSON file (a local
// file backend), so a second run sees what the first one recorded.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { InitFailure, type Props, type ProviderHost } from "./provider-host";

export interface ResourceState {
  urn: string;
  type: string;
  id: string;
  inputs: Props;
  outputs: Props;
  /** Set when a create or update failed after the object existed (the engine's init errors). */
  initErrors?: string[];
}

export interface Registration {
  type: string;
  name: string;
  inputs: Props;
  /** The resource option of that name. */
  deleteBeforeReplace?: boolean;
}

export type Step = "create" | "update" | "replace" | "same" | "delete" | "refresh" | "drop";

export class CheckFailed extends Error {
  constructor(readonly failures: Array<{ property: string; reason: string }>) {
    super(failures.map((f) => `${f.property}: ${f.reason}`).join("\n"));
  }
}

export const urnOf = (type: string, name: string) => `urn:pulumi:dev::vpsorg::${type}::${name}`;

export class MiniEngine {
  readonly resources = new Map<string, ResourceState>();
  readonly log: Array<{ step: Step; urn: string }> = [];

  constructor(
    readonly host: ProviderHost,
    private readonly stateFile?: string,
  ) {
    if (stateFile && existsSync(stateFile)) {
      for (const r of JSON.parse(readFileSync(stateFile, "utf8")) as ResourceState[]) this.resources.set(r.urn, r);
    }
  }

  private save(): void {
    if (this.stateFile) writeFileSync(this.stateFile, JSON.stringify([...this.resources.values()], null, 2));
  }

  private note(step: Step, urn: string) {
    this.log.push({ step, urn });
  }

  /** What `pulumi preview` does for one resource: check, and diff if it exists. No create, no update. */
  async preview(reg: Registration): Promise<{ step: Step; inputs: Props }> {
    const urn = urnOf(reg.type, reg.name);
    const old = this.resources.get(urn);
    const checked = await this.check(urn, old?.inputs ?? {}, reg.inputs);
    if (!old) return { step: "create", inputs: checked };
    const diff = await this.host.diff(old.id, urn, old.outputs, checked);
    const step = diff.replaces.length ? "replace" : diff.changes === "some" ? "update" : "same";
    return { step, inputs: checked };
  }

  /** What `pulumi up` does for one resource. Returns the outputs the program sees. */
  async up(reg: Registration): Promise<ResourceState> {
    const urn = urnOf(reg.type, reg.name);
    const old = this.resources.get(urn);
    const checked = await this.check(urn, old?.inputs ?? {}, reg.inputs);
    if (!old) return await this.create(urn, reg.type, checked, "create");
    const diff = await this.host.diff(old.id, urn, old.outputs, checked);
    if (diff.replaces.length) {
      // As the engine does: check again with no olds, so autonamed properties get new values.
      const fresh = await this.check(urn, {}, reg.inputs);
      const deleteFirst = diff.deleteBeforeReplace || reg.deleteBeforeReplace === true;
      if (deleteFirst) await this.host.delete(old.id, urn, old.outputs);
      const created = await this.create(urn, reg.type, fresh, "replace");
      if (!deleteFirst) await this.host.delete(old.id, urn, old.outputs);
      return created;
    }
    if (diff.changes === "some" || old.initErrors) {
      try {
        const { outputs } = await this.host.update(old.id, urn, old.outputs, checked);
        return this.record({ urn, type: reg.type, id: old.id, inputs: checked, outputs }, "update");
      } catch (error) {
        if (error instanceof InitFailure) this.recordFailure(urn, reg.type, checked, error);
        throw error;
      }
    }
    this.note("same", urn);
    return old;
  }

  /** `pulumi refresh`: read every resource, all at once as the engine does; one reported gone is dropped. */
  async refresh(): Promise<void> {
    const all = [...this.resources.values()];
    const reads = await Promise.all(all.map((r) => this.host.read(r.id, r.urn, r.outputs)));
    all.forEach((r, i) => {
      const { id, outputs } = reads[i];
      if (!id) {
        this.resources.delete(r.urn);
        this.note("drop", r.urn);
      } else {
        this.resources.set(r.urn, { ...r, id, outputs });
        this.note("refresh", r.urn);
      }
    });
    this.save();
  }

  /** Deletes what the program no longer declares (or everything: `pulumi destroy`). */
  async deleteAllBut(keep: Set<string> = new Set()): Promise<void> {
    for (const r of [...this.resources.values()].reverse()) {
      if (keep.has(r.urn)) continue;
      await this.host.delete(r.id, r.urn, r.outputs);
      this.resources.delete(r.urn);
      this.note("delete", r.urn);
      this.save();
    }
  }

  private async check(urn: string, olds: Props, news: Props): Promise<Props> {
    const { inputs, failures } = await this.host.check(urn, olds, news);
    if (failures.length) throw new CheckFailed(failures);
    return inputs;
  }

  private async create(urn: string, type: string, inputs: Props, step: Step): Promise<ResourceState> {
    try {
      const { id, outputs } = await this.host.create(urn, inputs);
      return this.record({ urn, type, id, inputs, outputs }, step);
    } catch (error) {
      if (error instanceof InitFailure) this.recordFailure(urn, type, inputs, error);
      throw error;
    }
  }

  private recordFailure(urn: string, type: string, inputs: Props, error: InitFailure) {
    this.record({ urn, type, id: error.id, inputs, outputs: error.properties, initErrors: error.reasons }, "create");
  }

  private record(state: ResourceState, step: Step): ResourceState {
    this.resources.set(state.urn, state);
    this.note(step, state.urn);
    this.save();
    return state;
  }
}

// Runs a Pulumi program the way `pulumi preview` / `pulumi up` would, without the CLI: the
// program runs under pulumi.runtime.setMocks (so the real serializer builds `__provider`), and
// each resource it registers is handed to the MiniEngine, which drives the real provider host.
import * as pulumi from "@pulumi/pulumi";
import type { MiniEngine, Registration, Step } from "./engine";
import { urnOf } from "./engine";
import type { Props } from "./provider-host";

export interface ProgramRun {
  registrations: Registration[];
  steps: Map<string, Step>;
  /** The program's exports, resolved. */
  outputs: Record<string, unknown>;
  errors: Error[];
}

/** The engine's wire form of inputs: an unknown value (preview) is the UNKNOWN sentinel string. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
function toWire(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

/** Only registers: returns each resource's inputs as the engine would receive them (`__provider` included). */
export async function registeredInputs(program: () => unknown): Promise<Registration[]> {
  const registrations: Registration[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        registrations.push({ type: args.type, name: args.name, inputs: toWire(args.inputs) as Props });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: async () => ({}),
    },
    "vpsorg",
    "dev",
    true,
  );
  await settle(program());
  return registrations;
}

/**
 * Runs the program against the engine. In preview, resources are checked and diffed only;
 * in up, created or updated for real, and resources the program no longer declares are deleted.
 */
export async function runProgram(
  program: () => unknown,
  engine: MiniEngine,
  mode: "preview" | "up",
  options: { deleteBeforeReplace?: string[] } = {},
): Promise<ProgramRun> {
  const run: ProgramRun = { registrations: [], steps: new Map(), outputs: {}, errors: [] };
  let inFlight = 0;
  pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        inFlight++;
        const reg: Registration = {
          type: args.type,
          name: args.name,
          inputs: toWire(args.inputs) as Props,
          deleteBeforeReplace: options.deleteBeforeReplace?.includes(args.name),
        };
        if (run.registrations.some((r) => r.type === reg.type && r.name === reg.name)) {
          throw new Error(`Duplicate resource URN ${urnOf(reg.type, reg.name)}`); // as the engine says
        }
        run.registrations.push(reg);
        try {
          if (mode === "preview") {
            const { step, inputs } = await engine.preview(reg);
            run.steps.set(args.name, step);
            // As the engine does: a resource that stays keeps its id (and, unchanged, its outputs)
            // in a preview, so what depends on it is known; a new or replaced one is unknown.
            const old = engine.resources.get(urnOf(reg.type, reg.name));
            if (old && step === "same") return { id: old.id, state: old.outputs };
            if (old && step === "update") return { id: old.id, state: inputs };
            return { id: undefined, state: inputs };
          }
          const state = await engine.up(reg);
          run.steps.set(args.name, engine.log.at(-1)?.step ?? "same");
          return { id: state.id, state: state.outputs };
        } catch (error) {
          run.errors.push(error as Error);
          throw error;
        } finally {
          inFlight--;
        }
      },
      call: async () => ({}),
    },
    "vpsorg",
    "dev",
    mode === "preview",
  );
  const exported = await settle(program()).catch((error) => {
    run.errors.push(error);
    return {};
  });
  // Every registration must be finished before the run ends (and before deleting what is gone).
  for (let quiet = 0; quiet < 3;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    quiet = inFlight === 0 ? quiet + 1 : 0;
  }
  if (run.errors.length === 0) run.outputs = await resolveAll(exported as Record<string, unknown>);
  if (mode === "up" && run.errors.length === 0) {
    await engine.deleteAllBut(new Set(run.registrations.map((r) => urnOf(r.type, r.name))));
  }
  return run;
}

/** Waits for the program's promise and then for every registration it started. */
async function settle(result: unknown): Promise<unknown> {
  const value = await result;
  // Registrations finish asynchronously; give the runtime turns until nothing is pending.
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
  return value;
}

/** Exported values; in a preview, those not known until `up` read "(known after up)". */
async function resolveAll(exported: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exported ?? {})) {
    if (!pulumi.Output.isInstance(value)) {
      out[key] = value;
      continue;
    }
    // `isKnown` is the SDK's own (internal) promise: an unknown value's apply never runs.
    const known = await (value as unknown as { isKnown: Promise<boolean> }).isKnown;
    out[key] = known
      ? await new Promise((resolve) => (value as pulumi.Output<unknown>).apply((v) => resolve(v)))
      : "(known after up)";
  }
  return out;
}

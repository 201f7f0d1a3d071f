// What the serialized shim loads at run time: the dynamic providers by kind, and how they read
// their settings. `providers[kind]` and `readSettings` are called by the shim stored in every state
// already written: never rename them. This module makes the process's one runtime (runtime.ts), the
// first time a shim loads it. Also the client and the waiting operations, for scripts.
import type { ConfigLike, ProviderSettings } from "./core/accounts";
import { type DynamicProviderMethods, dynamicProviders, readSettings as readWith } from "./dynamic";
import type { ProviderKind } from "./kinds";
import { RESOURCES } from "./resources";
import { createRuntime } from "./runtime";

export type { ProviderKind } from "./kinds";
export type { DynamicProviderMethods } from "./dynamic";
export type { ProviderSettings } from "./core/accounts";

/** The runtime of this provider process: the dynamic-provider host loads this module once. */
const runtime = createRuntime();

export const providers: Record<ProviderKind, DynamicProviderMethods> = dynamicProviders(runtime, RESOURCES);

/** The stack config as the shim's `configure` hands it. */
export function readSettings(config: ConfigLike | undefined): ProviderSettings {
  return readWith(runtime, config);
}

export * from "./client";
export {
  type RestoreOptions,
  type RestoreResult,
  restoreFromBackup,
  restoreFromSnapshot,
  type StartedRestore,
} from "./operations/restores";

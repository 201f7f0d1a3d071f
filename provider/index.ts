// What the serialized shim loads at run time: the dynamic providers by kind, and how they read
// their settings. Also the client, for programs and scripts. `providers[kind]` and `readSettings`
// are called by the shim stored in every state already written: never rename them.

import { backupResource } from "./resources/backup";
import { type ProviderSettings, readSettings, resolveAccount } from "./resources/common";
import { backupHistoryResource, snapshotHistoryResource } from "./resources/history";
import { clean } from "./resources/messages";
import { backupRestoreResource, snapshotRestoreResource } from "./resources/restore";
import { snapshotResource } from "./resources/snapshot";
import type { ProviderKind } from "./kinds";

export type { ProviderKind };

type Props = Record<string, unknown>;
type Method = (...args: never[]) => Promise<unknown>;

/**
 * Every error leaves a provider as one clean sentence with its remedy (no stack, no internals),
 * naming the credential that was used where that matters.
 */
function guarded<P extends Record<string, Method>>(provider: P): P {
  const wrapped: Record<string, Method> = {};
  for (const [name, method] of Object.entries(provider)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await method(...args);
      } catch (error) {
        const settings = args.find((a) => a && typeof a === "object" && "accounts" in (a as object)) as
          ProviderSettings | undefined;
        // The engine's inputs and properties all carry __provider; the last of them are the newest.
        const props = [...(args as unknown[])]
          .reverse()
          .find((a) => a && typeof a === "object" && "__provider" in (a as object)) as Props | undefined;
        throw clean(error, resolveAccount(settings, props?.account).source);
      }
    };
  }
  return wrapped as P;
}

/**
 * What the shim calls on `providers[kind]`, declared here rather than inferred from the resources,
 * so that this module's declarations import no schema library (its typings do not compile under
 * Pulumi's template tsconfig, see types.ts in client/). The implementations are checked against it.
 */
export interface DynamicProviderMethods {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Props, settings: ProviderSettings | undefined): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props, settings: ProviderSettings | undefined): Promise<{ id: string; props: Props }>;
  update(id: string, olds: Props, news: Props, settings: ProviderSettings | undefined): Promise<{ outs: Props }>;
  delete(id: string, props: Props, settings: ProviderSettings | undefined): Promise<void>;
}

export const providers: Record<ProviderKind, DynamicProviderMethods> = {
  snapshot: guarded(snapshotResource),
  backup: guarded(backupResource),
  snapshotRestore: guarded(snapshotRestoreResource),
  backupRestore: guarded(backupRestoreResource),
  snapshotHistory: guarded(snapshotHistoryResource),
  backupHistory: guarded(backupHistoryResource),
};

export * from "./client";
export {
  type RestoreOptions,
  type RestoreResult,
  restoreFromBackup,
  restoreFromSnapshot,
  type StartedRestore,
} from "./operations/restores";
export { readSettings };

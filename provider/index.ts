// What the serialized shim loads at run time: the dynamic providers by kind, and how they read
// their settings. Also the client, for programs and scripts. `providers[kind]` and `readSettings`
// are called by the shim stored in every state already written: never rename them.

import { backupResource } from "./resources/backup";
import { type ProviderSettings, readSettings, resolveAccount } from "./resources/common";
import { backupHistoryResource, snapshotHistoryResource } from "./resources/history";
import { clean } from "./resources/messages";
import { backupRestoreResource, snapshotRestoreResource } from "./resources/restore";
import { snapshotResource } from "./resources/snapshot";

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

export const providers = {
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

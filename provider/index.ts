// What the serialized shim loads at run time: the dynamic providers by kind, and how they read
// their settings. Also the client, for programs and scripts.

import { backupResource } from "./resources/backup";
import { backupHistoryResource, snapshotHistoryResource } from "./resources/history";
import { readSettings } from "./resources/common";
import { backupRestoreResource, snapshotRestoreResource } from "./resources/restore";
import { snapshotResource } from "./resources/snapshot";

export const providers = {
  snapshot: snapshotResource,
  backup: backupResource,
  snapshotRestore: snapshotRestoreResource,
  backupRestore: backupRestoreResource,
  snapshotHistory: snapshotHistoryResource,
  backupHistory: backupHistoryResource,
};

export * from "./client";
export { readSettings };

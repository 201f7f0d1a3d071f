// Every resource, by the provider kind the shims and the plugin name it.
import type { ProviderKind } from "../kinds";
import { backupResource } from "./backup";
import type { ResourceProvider } from "./call";
import { backupHistoryResource, snapshotHistoryResource } from "./history";
import { backupRestoreResource, snapshotRestoreResource } from "./restore";
import { snapshotResource } from "./snapshot";

export const RESOURCES: Record<ProviderKind, ResourceProvider> = {
  snapshot: snapshotResource,
  backup: backupResource,
  snapshotRestore: snapshotRestoreResource,
  backupRestore: backupRestoreResource,
  snapshotHistory: snapshotHistoryResource,
  backupHistory: backupHistoryResource,
};

// pulumi-vpsorg: what a Pulumi program imports.
export { Backup, type BackupArgs } from "./backup";
export { Account, type AccountRef } from "./common";
export {
  BackupHistory,
  type BackupHistoryArgs,
  type HistoryItem,
  SnapshotHistory,
  type SnapshotHistoryArgs,
} from "./history";
export {
  type BackupInfo,
  type GetBackupArgs,
  type GetBackupResult,
  type GetBackupsResult,
  type GetSnapshotResult,
  type GetSnapshotsResult,
  type GetBackupsArgs,
  type GetSnapshotArgs,
  type GetSnapshotsArgs,
  getBackup,
  getBackupOutput,
  getBackups,
  getBackupsOutput,
  getSnapshot,
  getSnapshotOutput,
  getSnapshots,
  getSnapshotsOutput,
  LookupError,
  type LookupOptions,
  type SnapshotInfo,
} from "./lookups";
export {
  BackupRestore,
  type BackupRestoreArgs,
  restoreBackup,
  restoreSnapshot,
  SnapshotRestore,
  type SnapshotRestoreArgs,
} from "./restore";
export { Snapshot, type SnapshotArgs } from "./snapshot";

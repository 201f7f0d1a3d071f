// pulumi-vpsorg: what a Pulumi program imports.
export { Backup, type BackupArgs } from "./backup";
export { Snapshot, type SnapshotArgs } from "./snapshot";

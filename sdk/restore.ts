import * as pulumi from "@pulumi/pulumi";
import { makeShim } from "../provider/shim";
import { type AccountRef, waitAndAccount } from "./common";

/** What every restore takes besides its source. */
interface RestoreCommonArgs {
  /**
   * Required, and must be `true`: a restore overwrites ALL current data on the server and cannot be
   * undone. Spelling it out makes the consequence visible in code review.
   */
  acknowledgeDataLoss: pulumi.Input<true>;
  /** Change any value here to restore again from the same source (e.g. `["2025-01-16 incident 42"]`). */
  triggers?: pulumi.Input<pulumi.Input<string | number | boolean>[]>;
  /**
   * How long `up` waits for the server to come back (and for a source still in progress): "30m"
   * (default), at most "24h". Without it, the resource option `customTimeouts.create` is used when set.
   */
  waitTimeout?: pulumi.Input<string>;
  /** The account (an `Account` or its name) when not the default one. */
  account?: AccountRef;
}

export interface SnapshotRestoreArgs extends RestoreCommonArgs {
  /** The snapshot to restore its server from: a number, or a Snapshot's `id`. */
  snapshotId: pulumi.Input<number | string>;
}

export interface BackupRestoreArgs extends RestoreCommonArgs {
  serverId: pulumi.Input<number>;
  /** The backup to restore the server from: a number, or a Backup's `id`. */
  backupId: pulumi.Input<number | string>;
}

const snapshotRestoreProvider = makeShim("snapshotRestore");
const backupRestoreProvider = makeShim("backupRestore");

const restoreOutputs = {
  outcome: undefined,
  failure: undefined,
  serverName: undefined,
  serverStatus: undefined,
  message: undefined,
  startedAt: undefined,
  finishedAt: undefined,
};

/**
 * Restores a server from a snapshot during `pulumi up`: never in preview, never on refresh, never
 * again while `snapshotId` and `triggers` stay the same. Removing it from the stack leaves the server alone.
 */
export class SnapshotRestore extends pulumi.dynamic.Resource {
  declare readonly serverId: pulumi.Output<number>;
  declare readonly serverName: pulumi.Output<string | null>;
  /** `active` (or `stopped`) once the restore is done. */
  declare readonly serverStatus: pulumi.Output<string>;
  declare readonly snapshotId: pulumi.Output<number>;
  declare readonly snapshotName: pulumi.Output<string | null>;
  declare readonly message: pulumi.Output<string | null>;
  declare readonly startedAt: pulumi.Output<string>;
  /** When the server came back (or the restore failed); null only in a state whose wait timed out. */
  declare readonly finishedAt: pulumi.Output<string | null>;
  /** "succeeded", "failed" (the resource then fails on every `up` until `triggers` change), or "restoring". */
  declare readonly outcome: pulumi.Output<string | null>;
  /** Why a failed restore failed; null otherwise. */
  declare readonly failure: pulumi.Output<string | null>;

  constructor(name: string, args: SnapshotRestoreArgs, opts?: pulumi.CustomResourceOptions) {
    const { snapshotId, acknowledgeDataLoss, triggers, waitTimeout, account, ...unknown } = args;
    super(
      snapshotRestoreProvider,
      name,
      {
        ...unknown,
        snapshotId,
        acknowledgeDataLoss,
        triggers,
        ...waitAndAccount({ waitTimeout, account }, opts),
        serverId: undefined,
        snapshotName: undefined,
        ...restoreOutputs,
      },
      opts,
      "vpsorg",
      "SnapshotRestore",
    );
  }
}

/** Restores a server from one of its backups during `pulumi up`; the same rules as SnapshotRestore. */
export class BackupRestore extends pulumi.dynamic.Resource {
  declare readonly serverId: pulumi.Output<number>;
  declare readonly serverName: pulumi.Output<string | null>;
  declare readonly serverStatus: pulumi.Output<string>;
  declare readonly backupId: pulumi.Output<number>;
  declare readonly backupType: pulumi.Output<string | null>;
  declare readonly backupCreatedAt: pulumi.Output<string | null>;
  declare readonly message: pulumi.Output<string | null>;
  declare readonly startedAt: pulumi.Output<string>;
  declare readonly finishedAt: pulumi.Output<string | null>;
  declare readonly outcome: pulumi.Output<string | null>;
  declare readonly failure: pulumi.Output<string | null>;

  constructor(name: string, args: BackupRestoreArgs, opts?: pulumi.CustomResourceOptions) {
    const { serverId, backupId, acknowledgeDataLoss, triggers, waitTimeout, account, ...unknown } = args;
    super(
      backupRestoreProvider,
      name,
      {
        ...unknown,
        serverId,
        backupId,
        acknowledgeDataLoss,
        triggers,
        ...waitAndAccount({ waitTimeout, account }, opts),
        backupType: undefined,
        backupCreatedAt: undefined,
        ...restoreOutputs,
      },
      opts,
      "vpsorg",
      "BackupRestore",
    );
  }
}

/** Declares a restore of a server from a snapshot. ALL current data on the server is overwritten. */
export function restoreSnapshot(name: string, args: SnapshotRestoreArgs, opts?: pulumi.CustomResourceOptions) {
  return new SnapshotRestore(name, args, opts);
}

/** Declares a restore of a server from one of its backups. ALL current data on the server is overwritten. */
export function restoreBackup(name: string, args: BackupRestoreArgs, opts?: pulumi.CustomResourceOptions) {
  return new BackupRestore(name, args, opts);
}

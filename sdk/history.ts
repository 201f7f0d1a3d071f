import * as pulumi from "@pulumi/pulumi";
import { makeShim } from "../provider/shim";
import { type AccountRef, commonInputs } from "./common";

/** One kept snapshot or backup of a history, as `items` and `latest` show it. */
export interface HistoryItem {
  /** The snapshot's or backup's id: pass it to `restoreSnapshot` / `restoreBackup` to roll back. */
  id: number;
  /** The snapshot's name (`<prefix>-<trigger>-<token>`); null for a backup, which VPS.org gives no name. */
  name: string | null;
  createdAt: string | null;
  /** The trigger value it was taken for. */
  trigger: string | null;
  sizeMb: number | null;
}

interface HistoryCommonArgs {
  /** The server (e.g. 12345). Changing it replaces the history (its items are deleted after the new one exists). */
  serverId: pulumi.Input<number>;
  /**
   * Any text whose change takes a new item: a release tag, an image digest. An unchanged trigger
   * takes nothing; a trigger used before (a rollback to that release) takes a new item.
   */
  trigger: pulumi.Input<string>;
  /** Text shown in VPS.org's panel with each item, before `(trigger: …)` and this package's marker. */
  description?: pulumi.Input<string>;
  /**
   * On every `up`, items older than this are deleted, except the newest: "30d", "12h", "90m"
   * (at most "3650d"). `preview` shows the history as updated when one is due.
   */
  maxAge?: pulumi.Input<string>;
  /**
   * How long `up` waits for a new item to complete. Default: the resource option
   * `customTimeouts.create`, else "30m" (snapshots) or "1h" (backups).
   */
  waitTimeout?: pulumi.Input<string>;
  /** The VPS.org account (an Account or its name) when the stack manages more than one; default the default one. */
  account?: AccountRef;
}

export interface SnapshotHistoryArgs extends HistoryCommonArgs {
  /** How many snapshots to keep, newest first: 1 to 5 (the server's limit), default 3. */
  keep?: pulumi.Input<number>;
  /** The start of each snapshot's name (letters, digits, - and _, at most 40); default the resource name. */
  namePrefix?: pulumi.Input<string>;
}

export interface BackupHistoryArgs extends HistoryCommonArgs {
  /** How many manual backups to keep, newest first: 1 to 10 (the server's limit), default 3. */
  keep?: pulumi.Input<number>;
}

const snapshotHistoryProvider = makeShim("snapshotHistory");
const backupHistoryProvider = makeShim("backupHistory");
const historyOutputs = { items: undefined, latest: undefined, pending: undefined, lastTrigger: undefined };

/**
 * A snapshot per trigger value, the newest `keep` kept: on a new `trigger`, `pulumi up` takes a
 * snapshot, waits until it is completed, then deletes this history's own oldest beyond `keep` (and
 * those older than `maxAge`). It never deletes a snapshot it did not create.
 */
export class SnapshotHistory extends pulumi.dynamic.Resource {
  declare readonly serverId: pulumi.Output<number>;
  declare readonly trigger: pulumi.Output<string>;
  /** Kept snapshots, newest first: `items[1].id` is the one before the latest release. */
  declare readonly items: pulumi.Output<HistoryItem[]>;
  /** `items[0]`, or null before the first is completed. */
  declare readonly latest: pulumi.Output<HistoryItem | null>;
  /** The trigger of the newest snapshot taken; null before the first. */
  declare readonly lastTrigger: pulumi.Output<string | null>;

  constructor(name: string, args: SnapshotHistoryArgs, opts?: pulumi.CustomResourceOptions) {
    const { serverId, keep, trigger, namePrefix, description, maxAge, waitTimeout, account, ...unknown } = args;
    super(
      snapshotHistoryProvider,
      name,
      {
        ...unknown, // reported by check, with the property's name
        serverId,
        keep,
        trigger,
        namePrefix,
        description,
        maxAge,
        ...commonInputs(name, "SnapshotHistory", { waitTimeout, account }, opts),
        ...historyOutputs,
      },
      opts,
      "vpsorg",
      "SnapshotHistory",
    );
  }
}

/** The same as SnapshotHistory for manual backups (10 per server); automatic backups are never touched. */
export class BackupHistory extends pulumi.dynamic.Resource {
  declare readonly serverId: pulumi.Output<number>;
  declare readonly trigger: pulumi.Output<string>;
  /** Kept manual backups, newest first. */
  declare readonly items: pulumi.Output<HistoryItem[]>;
  declare readonly latest: pulumi.Output<HistoryItem | null>;
  declare readonly lastTrigger: pulumi.Output<string | null>;

  constructor(name: string, args: BackupHistoryArgs, opts?: pulumi.CustomResourceOptions) {
    const { serverId, keep, trigger, description, maxAge, waitTimeout, account, ...unknown } = args;
    super(
      backupHistoryProvider,
      name,
      {
        ...unknown,
        serverId,
        keep,
        trigger,
        description,
        maxAge,
        ...commonInputs(name, "BackupHistory", { waitTimeout, account }, opts),
        ...historyOutputs,
      },
      opts,
      "vpsorg",
      "BackupHistory",
    );
  }
}

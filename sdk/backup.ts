import * as pulumi from "@pulumi/pulumi";
import { makeShim } from "../provider/shim";
import { type AccountRef, commonInputs } from "./common";

export interface BackupArgs {
  /** The server to back up (e.g. 12345). */
  serverId: pulumi.Input<number>;
  description?: pulumi.Input<string>;
  /**
   * The account (an `Account` or its name) when not the default one; changing it replaces the object.
   */
  account?: AccountRef;
  /** How long `pulumi up` waits for the backup to complete: "60m" (default), "45s", "1h30m", at most "24h".
   * Without it, the resource option `customTimeouts.create` is used when set. */
  waitTimeout?: pulumi.Input<string>;
  /** Bring an existing backup under management instead of creating one (see Snapshot.adoptId). */
  adoptId?: pulumi.Input<number>;
}

const provider = makeShim("backup");

/** A manual VPS.org backup. `pulumi up` creates it and waits until it is `completed`. */
export class Backup extends pulumi.dynamic.Resource {
  declare readonly serverId: pulumi.Output<number>;
  declare readonly serverName: pulumi.Output<string | null>;
  declare readonly description: pulumi.Output<string | null>;
  declare readonly backupType: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly sizeMb: pulumi.Output<number | null>;
  declare readonly createdAt: pulumi.Output<string | null>;
  /** Null for manual backups: they do not expire. */
  declare readonly expiresAt: pulumi.Output<string | null>;
  declare readonly waitTimeout: pulumi.Output<string | undefined>;
  declare readonly adoptId: pulumi.Output<number | undefined>;
  declare readonly account: pulumi.Output<string | undefined>;

  constructor(name: string, args: BackupArgs, opts?: pulumi.CustomResourceOptions) {
    const { serverId, description, waitTimeout, adoptId, account, ...unknown } = args;
    super(
      provider,
      name,
      {
        ...unknown, // reported by check, with the property's name
        serverId,
        description,
        adoptId,
        ...commonInputs(name, "Backup", { waitTimeout, account }, opts),
        serverName: undefined,
        backupType: undefined,
        status: undefined,
        sizeMb: undefined,
        createdAt: undefined,
        expiresAt: undefined,
      },
      opts,
      "vpsorg",
      "Backup",
    );
  }
}

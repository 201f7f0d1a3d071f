import * as pulumi from "@pulumi/pulumi";
import { makeShim } from "../provider/shim";
import { type AccountRef, commonInputs } from "./common";

export interface SnapshotArgs {
  /** The server to snapshot (e.g. 12345). */
  serverId: pulumi.Input<number>;
  /**
   * Letters, digits, hyphens and underscores. When omitted, made from the resource name plus a
   * suffix derived from the stack, the resource and its inputs (`pre-upgrade-x3k9q2a`): the same in
   * every run, so a retried create finds its snapshot; kept across updates, new on replacement.
   */
  name?: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  /**
   * The account (an `Account` or its name) when not the default one; changing it replaces the object.
   */
  account?: AccountRef;
  /** How long `pulumi up` waits for the snapshot to complete: "30m" (default), "45s", "1h30m", at most "24h".
   * Without it, the resource option `customTimeouts.create` is used when set. */
  waitTimeout?: pulumi.Input<string>;
  /**
   * Bring an existing snapshot under management instead of creating one (`pulumi import` does not
   * work for dynamic providers). Once adopted, the stack owns it: destroying the stack deletes it
   * unless the resource has `retainOnDelete: true`.
   */
  adoptId?: pulumi.Input<number>;
}

const provider = makeShim("snapshot");

/** A VPS.org server snapshot. `pulumi up` creates it and waits until it is `completed`. */
export class Snapshot extends pulumi.dynamic.Resource {
  declare readonly serverId: pulumi.Output<number>;
  declare readonly serverName: pulumi.Output<string | null>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | null>;
  /** `completed` once recorded; `in_progress` only in a state whose wait timed out. */
  declare readonly status: pulumi.Output<string>;
  declare readonly sizeMb: pulumi.Output<number | null>;
  declare readonly createdAt: pulumi.Output<string | null>;
  declare readonly waitTimeout: pulumi.Output<string | undefined>;
  declare readonly adoptId: pulumi.Output<number | undefined>;
  declare readonly account: pulumi.Output<string | undefined>;

  constructor(name: string, args: SnapshotArgs, opts?: pulumi.CustomResourceOptions) {
    const { serverId, name: snapshotName, description, waitTimeout, adoptId, account, ...unknown } = args;
    super(
      provider,
      name,
      {
        ...unknown, // reported by check, with the property's name
        serverId,
        name: snapshotName,
        description,
        adoptId,
        ...commonInputs(name, "Snapshot", { waitTimeout, account }, opts),
        serverName: undefined,
        status: undefined,
        sizeMb: undefined,
        createdAt: undefined,
      },
      opts,
      "vpsorg",
      "Snapshot",
    );
  }
}

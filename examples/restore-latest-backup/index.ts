// Restore a server from its most recent automatic backup, once per request:
//   pulumi config set restoreRequestedAt 2025-01-16T09:00:00Z && pulumi up
// The request time is the restore's trigger, and the backup is "the latest one made before the
// request", so newer nightly backups do not change it: the same request never restores twice, a
// new request restores again. Remove the request when done (pulumi config rm restoreRequestedAt):
// removing the restore from the stack leaves the server alone.
import * as pulumi from "@pulumi/pulumi";
import * as vpsorg from "pulumi-vpsorg";

const config = new pulumi.Config();
const serverId = config.getNumber("serverId") ?? 12345;
const requestedAt = config.get("restoreRequestedAt") || undefined; // "" counts as unset

const latest = vpsorg.getBackupOutput({
  serverId,
  backupType: "automatic",
  mostRecent: true,
  createdBefore: requestedAt ?? new Date().toISOString(),
});
export const latestBackupId = latest.id;
export const latestBackupCreatedAt = latest.createdAt;

const restore = requestedAt
  ? vpsorg.restoreBackup("restore-latest", {
      serverId,
      backupId: latest.id,
      triggers: [requestedAt],
      // Everything written to the server since that backup is lost.
      acknowledgeDataLoss: true,
    })
  : undefined;

export const restoredFromBackup = restore?.backupId;
export const serverStatus = restore?.serverStatus;

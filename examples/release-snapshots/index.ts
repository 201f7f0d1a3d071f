// A snapshot before every release, the newest three kept. In CI, one line per deploy:
//   pulumi config set release "$GIT_TAG" && pulumi up --yes
// A new release takes a new snapshot and waits until it is completed, then deletes this history's
// oldest beyond `keep` (and any older than `maxAge`, except the newest). Snapshots it did not take
// (the vendor's panel, other stacks) are never touched.
//
// Roll back to how the server was before a release, while that release's snapshot is still kept:
//   pulumi config set restoreBefore v1.4.0 && pulumi up
// Then `pulumi config rm restoreBefore`: removing the restore from the stack leaves the server alone.
import * as pulumi from "@pulumi/pulumi";
import * as vpsorg from "pulumi-vpsorg";

const config = new pulumi.Config();
const serverId = config.getNumber("serverId") ?? 12345;
const release = config.get("release") ?? "v1.0.0";

const history = new vpsorg.SnapshotHistory("pre-release", {
  serverId,
  trigger: release,
  keep: 3,
  maxAge: "30d",
  description: "before release",
});

const restoreBefore = config.get("restoreBefore");
const rollback = restoreBefore
  ? vpsorg.restoreSnapshot("rollback", {
      snapshotId: history.items.apply((items) => {
        const item = items.find((candidate) => candidate.trigger === restoreBefore);
        if (!item) {
          const kept = items.map((candidate) => candidate.trigger).join(", ");
          throw new Error(`restoreBefore: no snapshot taken before ${restoreBefore} is kept (kept: ${kept}).`);
        }
        return item.id;
      }),
      // ALL data written to the server since that snapshot is lost. Reviewers: this is the line to read.
      acknowledgeDataLoss: true,
    })
  : undefined;

export const keptReleases = history.items.apply((items) => items.map((item) => item.trigger));
export const latestSnapshotId = history.latest.apply((latest) => latest?.id ?? null);
export const latestSnapshotName = history.latest.apply((latest) => latest?.name ?? null);
export const restoredFromSnapshot = rollback?.snapshotId;
export const serverStatus = rollback?.serverStatus;

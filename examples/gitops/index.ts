// GitOps: every release gets a fresh snapshot of the server before it is deployed. The release
// name comes from CI (pulumi config set release "$GITHUB_SHA"); a new release replaces the
// snapshot: the new one is taken and completed first, then the previous one is deleted, so the
// server always keeps exactly one pre-release snapshot.
import * as pulumi from "@pulumi/pulumi";
import * as vpsorg from "pulumi-vpsorg";

const config = new pulumi.Config();
const serverId = config.getNumber("serverId") ?? 12345;
const release = config.get("release") ?? "unreleased";

const preRelease = new vpsorg.Snapshot("pre-release", {
  serverId,
  description: `before release ${release}`,
  waitTimeout: "20m",
});

export const snapshotName = preRelease.name;
export const snapshotSizeMb = preRelease.sizeMb;

// Quickstart: a snapshot and a manual backup of one server, with their outputs exported.
import * as pulumi from "@pulumi/pulumi";
import * as vpsorg from "pulumi-vpsorg";

const config = new pulumi.Config();
// The vendor's example server; the embedded emulator has it too.
const serverId = config.getNumber("serverId") ?? 12345;

const snap = new vpsorg.Snapshot("pre-upgrade", { serverId, description: "before kernel upgrade" });
const backup = new vpsorg.Backup("pre-deploy", { serverId, description: "before deploy" });

export const snapshotId = snap.id;
export const snapshotName = snap.name;
export const snapshotStatus = snap.status;
export const snapshotSizeMb = snap.sizeMb;
export const backupId = backup.id;
export const backupStatus = backup.status;
export const backupSizeMb = backup.sizeMb;

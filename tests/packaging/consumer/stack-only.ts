// The smallest stack: only the main entry point, compiled with Pulumi's template tsconfig unchanged.
import * as vpsorg from "pulumi-vpsorg";

const snapshot = new vpsorg.Snapshot("stack-only", { serverId: 12345 });
export const snapshotName = snapshot.name;

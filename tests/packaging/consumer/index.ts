// A user's program, laid out as Pulumi's TypeScript template lays it out, importing every
// documented entry point of the installed package. tests/packaging/consumer.test.ts compiles it
// with the template's tsconfig ("moduleResolution": "node", strict, no skipLibCheck) and runs it
// against the emulator through the real dynamic-provider host.
import * as pulumi from "@pulumi/pulumi";
import * as vpsorg from "pulumi-vpsorg";
import { AuthenticationError, type Id, type Snapshot, VpsOrgClient } from "pulumi-vpsorg/client";
import { type DynamicProviderMethods, providers, readSettings } from "pulumi-vpsorg/provider";

const config = new pulumi.Config();
const serverId = config.getNumber("serverId") ?? 12345;

const snapshot = new vpsorg.Snapshot("consumer-snapshot", { serverId, description: "from the packed tarball" });
const backup = new vpsorg.Backup("consumer-backup", { serverId, description: "from the packed tarball" });

// Types from the subpaths, used the way a script would use them.
const client: VpsOrgClient | undefined = undefined;
const isAuthError = (e: unknown): e is AuthenticationError => e instanceof AuthenticationError;
// Compiled, not run: the client's and the provider's published types in use.
const latestCompleted = async (c: VpsOrgClient, server: Id): Promise<Snapshot | undefined> =>
  (await c.snapshots.list({ serverId: server })).find((s) => s.status === "completed");
const snapshotProvider: DynamicProviderMethods = providers.snapshot;

export const snapshotName = snapshot.name;
export const snapshotStatus = snapshot.status;
export const backupStatus = backup.status;
export const providerKinds = Object.keys(providers).sort();
export const subpathsLoaded = [
  typeof VpsOrgClient,
  typeof readSettings,
  typeof isAuthError,
  typeof client,
  typeof latestCompleted,
  typeof snapshotProvider.check,
];

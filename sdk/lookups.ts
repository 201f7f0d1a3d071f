// Read-only lookups, safe in preview: getSnapshots, getSnapshot, getBackups, getBackup, each with
// an `...Output` form that takes Inputs, as Pulumi's own providers offer. They run in the program
// process with the resources' configuration: vpsorg:apiToken / vpsorg:apiUrl, then the environment.
// Their rules are the provider's (provider/lookups.ts, which the resource plugin serves too); the
// HTTP client is loaded on the first call, so importing this package loads none.
import * as pulumi from "@pulumi/pulumi";
import type {
  GetBackupArgs,
  GetBackupResult,
  GetBackupsArgs,
  GetBackupsResult,
  GetSnapshotArgs,
  GetSnapshotResult,
  GetSnapshotsArgs,
  GetSnapshotsResult,
  LookupAccount,
  LookupName,
} from "../provider/lookups";
import { readStackConfig, requireToken, resolveAccount } from "../provider/core/accounts";
import { explain } from "../provider/core/messages";
import { type AccountRef, accountName } from "./common";

export type {
  BackupInfo,
  GetBackupArgs,
  GetBackupResult,
  GetBackupsArgs,
  GetBackupsResult,
  GetSnapshotArgs,
  GetSnapshotResult,
  GetSnapshotsArgs,
  GetSnapshotsResult,
  SnapshotInfo,
} from "../provider/lookups";

/**
 * Pulumi's usual invoke options (`parent`, ...), plus which account to read. `provider` and
 * `version` have no meaning for a dynamic provider and are ignored.
 */
export interface LookupOptions extends pulumi.InvokeOptions {
  /** The account (an `Account` or its name) when not the default one. */
  account?: AccountRef;
  /** Override the token (default: the account's config, then its environment variable). */
  apiToken?: string;
  /** Override the URL (default: vpsorg:apiUrl, then VPS_API_URL, then the vendor's URL). */
  apiUrl?: string;
}

/**
 * A lookup's error: one sentence with its remedy. It is Pulumi's RunError, which `pulumi up` prints as
 * its message alone, not as "unhandled exception" with the program's source and a stack.
 */
export class LookupError extends pulumi.RunError {
  override readonly name = "LookupError";
  constructor(message: string) {
    super(message);
    this.stack = `LookupError: ${message}`;
  }
}

/**
 * Runs one lookup with the account the options name, read the way the resources read theirs (the
 * stack config, then the environment); any error becomes one LookupError naming where the token
 * came from.
 */
async function lookup<A, R>(name: LookupName, args: A, options: LookupOptions): Promise<R> {
  const [{ LOOKUPS }, { VpsOrgClient }] = await Promise.all([
    import("../provider/lookups"),
    import("../provider/client/client"),
  ]);
  const stackConfig = {
    get: (key: string) => {
      const [namespace, name] = key.split(":");
      return new pulumi.Config(namespace).get(name);
    },
  };
  let source;
  try {
    const settings = readStackConfig(stackConfig);
    const given = { token: options.apiToken, baseUrl: options.apiUrl };
    const resolved = resolveAccount(settings, accountName(options.account), process.env, given);
    source = resolved.source;
    let client: InstanceType<typeof VpsOrgClient> | undefined;
    const account: LookupAccount = {
      source,
      // Made when the lookup first asks: its arguments are judged before a missing token is.
      get client() {
        client ??= new VpsOrgClient({
          token: requireToken(resolved),
          baseUrl: resolved.baseUrl,
          allowInsecureHttp: settings.allowInsecureHttp,
        });
        return client;
      },
    };
    return await (LOOKUPS[name] as unknown as (account: LookupAccount, args: A) => Promise<R>)(account, args);
  } catch (error) {
    throw new LookupError(explain(error, { source }));
  }
}

export function getSnapshots(args: GetSnapshotsArgs = {}, options: LookupOptions = {}): Promise<GetSnapshotsResult> {
  return lookup("getSnapshots", args, options);
}

export function getSnapshot(args: GetSnapshotArgs, options: LookupOptions = {}): Promise<GetSnapshotResult> {
  return lookup("getSnapshot", args, options);
}

export function getBackups(args: GetBackupsArgs = {}, options: LookupOptions = {}): Promise<GetBackupsResult> {
  return lookup("getBackups", args, options);
}

export function getBackup(args: GetBackupArgs, options: LookupOptions = {}): Promise<GetBackupResult> {
  return lookup("getBackup", args, options);
}

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

export function getSnapshotsOutput(args: Inputs<GetSnapshotsArgs> = {}, options: LookupOptions = {}) {
  return pulumi.output(args).apply((a) => getSnapshots(a as GetSnapshotsArgs, options));
}
export function getSnapshotOutput(args: Inputs<GetSnapshotArgs>, options: LookupOptions = {}) {
  return pulumi.output(args).apply((a) => getSnapshot(a as GetSnapshotArgs, options));
}
export function getBackupsOutput(args: Inputs<GetBackupsArgs> = {}, options: LookupOptions = {}) {
  return pulumi.output(args).apply((a) => getBackups(a as GetBackupsArgs, options));
}
export function getBackupOutput(args: Inputs<GetBackupArgs>, options: LookupOptions = {}) {
  return pulumi.output(args).apply((a) => getBackup(a as GetBackupArgs, options));
}

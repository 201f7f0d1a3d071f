// Read-only lookups, safe in preview: getSnapshots, getSnapshot, getBackups, getBackup, each with
// an `...Output` form that takes Inputs, as Pulumi's own providers offer. They run in the program
// process with the resources' configuration: vpsorg:apiToken / vpsorg:apiUrl, then the environment.
import * as pulumi from "@pulumi/pulumi";
import { VpsOrgClient } from "../provider/client/client";
import { credentialsFor, readSettings } from "../provider/resources/common";
import { clean } from "../provider/resources/messages";
import { type AccountRef, accountName } from "./common";
import type { Backup, Snapshot } from "../provider/client/types";
import { backupFields, snapshotFields } from "../provider/resources/fields";

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

export interface GetSnapshotsResult {
  serverId: number | null;
  nameRegex: string | null;
  ids: number[];
  snapshots: SnapshotInfo[];
}
export type GetSnapshotResult = SnapshotInfo;
export interface GetBackupsResult {
  serverId: number | null;
  backupType: string | null;
  ids: number[];
  backups: BackupInfo[];
}
export type GetBackupResult = BackupInfo;

export interface SnapshotInfo {
  id: number;
  serverId: number;
  serverName: string | null;
  name: string;
  status: string;
  sizeMb: number | null;
  createdAt: string | null;
  description: string | null;
}

export interface BackupInfo {
  id: number;
  serverId: number;
  serverName: string | null;
  backupType: string;
  status: string;
  sizeMb: number | null;
  createdAt: string | null;
  expiresAt: string | null;
  description: string | null;
}

export interface GetSnapshotsArgs {
  serverId?: number;
  /** A regular expression the snapshot's name must match. */
  nameRegex?: string;
}
export interface GetSnapshotArgs {
  serverId: number;
  /** The exact name; or use nameRegex. */
  name?: string;
  nameRegex?: string;
  /** With several matches, take the most recently created instead of failing. */
  mostRecent?: boolean;
}
export interface GetBackupsArgs {
  serverId?: number;
  backupType?: "manual" | "automatic";
}
export interface GetBackupArgs {
  serverId: number;
  backupType?: "manual" | "automatic";
  /** Only backups created before this time (ISO 8601): keeps "the latest" stable after newer backups appear. */
  createdBefore?: string;
  mostRecent?: boolean;
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

/** The same configuration the resources read (credentialsFor), from the program's stack config. */
function client(options: LookupOptions): VpsOrgClient {
  const stackConfig = {
    get: (key: string) => {
      const [namespace, name] = key.split(":");
      return new pulumi.Config(namespace).get(name);
    },
  };
  const given = { token: options.apiToken, baseUrl: options.apiUrl };
  return new VpsOrgClient(credentialsFor(readSettings(stackConfig), accountName(options.account), given));
}

/** Unknown keys (a typo such as `serverID`) are rejected before any request. */
function onlyKnown(fn: string, args: unknown, known: readonly string[]): void {
  if (args === undefined || args === null) return;
  if (typeof args !== "object" || Array.isArray(args)) {
    throw new LookupError(`${fn}: expected an object of arguments (${known.join(", ")}), got ${typeof args}.`);
  }
  for (const key of Object.keys(args)) {
    if (!known.includes(key)) {
      throw new LookupError(`${fn}: ${key} is not an argument of ${fn} (known: ${known.join(", ")}).`);
    }
  }
}

/** A lookup rejects with one clean message: Pulumi prints it, not "unhandled exception" and a stack. */
async function lookup<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof LookupError) throw error;
    throw new LookupError(clean(error).message);
  }
}

function requireServerId(fn: string, serverId: unknown): number {
  if (typeof serverId !== "number" || !Number.isInteger(serverId) || serverId <= 0) {
    throw new LookupError(
      `${fn}: serverId must be a positive whole number (e.g. 12345), got ${JSON.stringify(serverId)}.`,
    );
  }
  return serverId;
}

function optionalServerId(fn: string, serverId: unknown): number | undefined {
  return serverId === undefined ? undefined : requireServerId(fn, serverId);
}

function compileRegex(fn: string, pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new LookupError(
      `${fn}: nameRegex ${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message}).`,
    );
  }
}

function checkBackupType(fn: string, backupType: unknown) {
  if (backupType !== undefined && backupType !== "manual" && backupType !== "automatic") {
    throw new LookupError(`${fn}: backupType must be "manual" or "automatic", got ${JSON.stringify(backupType)}.`);
  }
}

const newestFirst = <T extends { createdAt: string | null; id: number }>(a: T, b: T) =>
  (Date.parse(b.createdAt ?? "") || 0) - (Date.parse(a.createdAt ?? "") || 0) || b.id - a.id;

/** One match, or the most recent with `mostRecent`; none, or several without it, is an error listing them. */
function pickOne<T extends { id: number; createdAt: string | null }>(
  fn: string,
  what: string,
  matches: T[],
  mostRecent: boolean | undefined,
  label: (item: T) => string,
): T {
  if (matches.length === 0) throw new LookupError(`${fn}: no ${what}.`);
  const sorted = [...matches].sort(newestFirst);
  if (matches.length > 1 && !mostRecent) {
    throw new LookupError(
      `${fn}: ${matches.length} matches for ${what}: ${sorted.map(label).join("; ")}. ` +
        "Narrow the filter, or set mostRecent: true to take the newest.",
    );
  }
  return sorted[0];
}

const snapshotInfo = (s: Snapshot): SnapshotInfo => ({ id: Number(s.id), ...snapshotFields(s) });
const backupInfo = (b: Backup): BackupInfo => ({ id: Number(b.id), ...backupFields(b) });

export function getSnapshots(args: GetSnapshotsArgs = {}, options: LookupOptions = {}): Promise<GetSnapshotsResult> {
  return lookup(async () => {
    onlyKnown("getSnapshots", args, ["serverId", "nameRegex"]);
    const serverId = optionalServerId("getSnapshots", args.serverId);
    const pattern = compileRegex("getSnapshots", args.nameRegex);
    const all = (await client(options).snapshots.list({ serverId })).map(snapshotInfo);
    const snapshots = all.filter((s) => !pattern || pattern.test(s.name));
    return {
      serverId: serverId ?? null,
      nameRegex: args.nameRegex ?? null,
      ids: snapshots.map((s) => s.id),
      snapshots,
    };
  });
}

export function getSnapshot(args: GetSnapshotArgs, options: LookupOptions = {}): Promise<GetSnapshotResult> {
  return lookup(async () => {
    const fn = "getSnapshot";
    onlyKnown(fn, args, ["serverId", "name", "nameRegex", "mostRecent"]);
    const serverId = requireServerId(fn, args?.serverId);
    if ((args.name === undefined) === (args.nameRegex === undefined)) {
      throw new LookupError(`${fn}: give exactly one of name or nameRegex.`);
    }
    const pattern = compileRegex(fn, args.nameRegex);
    const all = (await client(options).snapshots.list({ serverId })).map(snapshotInfo);
    const matches = all.filter((s) => (pattern ? pattern.test(s.name) : s.name === args.name));
    const what = `snapshot on server ${serverId} ${pattern ? `matching /${args.nameRegex}/` : `named ${JSON.stringify(args.name)}`}`;
    return pickOne(fn, what, matches, args.mostRecent, (s) => `${s.id} ${s.name} (${s.createdAt})`);
  });
}

export function getBackups(args: GetBackupsArgs = {}, options: LookupOptions = {}): Promise<GetBackupsResult> {
  return lookup(async () => {
    onlyKnown("getBackups", args, ["serverId", "backupType"]);
    const serverId = optionalServerId("getBackups", args.serverId);
    checkBackupType("getBackups", args.backupType);
    const backups = (await client(options).backups.list({ serverId, backupType: args.backupType })).map(backupInfo);
    return { serverId: serverId ?? null, backupType: args.backupType ?? null, ids: backups.map((b) => b.id), backups };
  });
}

export function getBackup(args: GetBackupArgs, options: LookupOptions = {}): Promise<GetBackupResult> {
  return lookup(async () => {
    const fn = "getBackup";
    onlyKnown(fn, args, ["serverId", "backupType", "createdBefore", "mostRecent"]);
    const serverId = requireServerId(fn, args?.serverId);
    checkBackupType(fn, args.backupType);
    const before = args.createdBefore === undefined ? undefined : Date.parse(args.createdBefore);
    if (before !== undefined && Number.isNaN(before)) {
      throw new LookupError(
        `${fn}: createdBefore must be an ISO 8601 time, got ${JSON.stringify(args.createdBefore)}.`,
      );
    }
    const matches = (await client(options).backups.list({ serverId, backupType: args.backupType }))
      .map(backupInfo)
      .filter((b) => before === undefined || Date.parse(b.createdAt ?? "") < before);
    const what = `${args.backupType ? `${args.backupType} ` : ""}backup on server ${serverId}${
      args.createdBefore ? ` created before ${args.createdBefore}` : ""
    }`;
    return pickOne(fn, what, matches, args.mostRecent, (b) => `${b.id} ${b.backupType} (${b.createdAt})`);
  });
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

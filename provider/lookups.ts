// The read-only lookups (getSnapshots, getSnapshot, getBackups, getBackup): their arguments, their
// rules and their results, for the sdk's functions (in the program's process) and the resource
// plugin's Invoke alike. A lookup of a server the token cannot see is an error naming the server
// and the account, never an empty list: a token of another account sees nothing at all.
import type { VpsOrgClient } from "./client/client";
import type { Backup, Snapshot } from "./client/types";
import type { CredentialSource } from "./core/accounts";
import { ProviderError, serverNotVisible } from "./core/messages";
import { BACKUPS, SNAPSHOTS } from "./kinds";

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

/** The account a lookup reads. */
export interface LookupAccount {
  client: VpsOrgClient;
  source: CredentialSource;
}

/** The arguments each lookup takes: anything else (a typo such as `serverID`) is refused before any request. */
export const LOOKUP_ARGUMENTS = {
  getSnapshots: ["serverId", "nameRegex"],
  getSnapshot: ["serverId", "name", "nameRegex", "mostRecent"],
  getBackups: ["serverId", "backupType"],
  getBackup: ["serverId", "backupType", "createdBefore", "mostRecent"],
} as const;
export type LookupName = keyof typeof LOOKUP_ARGUMENTS;

/** A lookup's own error: the message alone, which callers show as it is. */
const fail = (message: string) => new ProviderError(message);

function onlyKnown(fn: LookupName, args: unknown): void {
  const known: readonly string[] = LOOKUP_ARGUMENTS[fn];
  if (args === undefined || args === null) return;
  if (typeof args !== "object" || Array.isArray(args)) {
    throw fail(`${fn}: expected an object of arguments (${known.join(", ")}), got ${typeof args}.`);
  }
  for (const key of Object.keys(args)) {
    if (!known.includes(key)) throw fail(`${fn}: ${key} is not an argument of ${fn} (known: ${known.join(", ")}).`);
  }
}

function requireServerId(fn: string, serverId: unknown): number {
  if (typeof serverId !== "number" || !Number.isInteger(serverId) || serverId <= 0) {
    throw fail(`${fn}: serverId must be a positive whole number (e.g. 12345), got ${JSON.stringify(serverId)}.`);
  }
  return serverId;
}

const optionalServerId = (fn: string, serverId: unknown) =>
  serverId === undefined ? undefined : requireServerId(fn, serverId);

function compileRegex(fn: string, pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw fail(
      `${fn}: nameRegex ${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message}).`,
    );
  }
}

function checkBackupType(fn: string, backupType: unknown) {
  if (backupType !== undefined && backupType !== "manual" && backupType !== "automatic") {
    throw fail(`${fn}: backupType must be "manual" or "automatic", got ${JSON.stringify(backupType)}.`);
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
  if (matches.length === 0) throw fail(`${fn}: no ${what}.`);
  const sorted = [...matches].sort(newestFirst);
  if (matches.length > 1 && !mostRecent) {
    throw fail(
      `${fn}: ${matches.length} matches for ${what}: ${sorted.map(label).join("; ")}. ` +
        "Narrow the filter, or set mostRecent: true to take the newest.",
    );
  }
  return sorted[0];
}

const snapshotInfo = (s: Snapshot) => ({ id: Number(s.id), ...SNAPSHOTS.fields(s) }) as SnapshotInfo;
const backupInfo = (b: Backup) => ({ id: Number(b.id), ...BACKUPS.fields(b) }) as BackupInfo;

/**
 * A server's list, or the account's without `serverId`. An empty list of a server is an answer only
 * if the token sees the server; one it does not see is an error, never "nothing there".
 */
async function listed<T>(account: LookupAccount, serverId: number | undefined, read: () => Promise<T[]>) {
  const items = await read();
  if (serverId === undefined || items.length > 0) return items;
  const servers = await account.client.servers.list();
  if (!servers.some((s) => String(s.id) === String(serverId))) throw fail(serverNotVisible(serverId, account.source));
  return items;
}

export async function getSnapshots(account: LookupAccount, args: GetSnapshotsArgs = {}): Promise<GetSnapshotsResult> {
  onlyKnown("getSnapshots", args);
  const serverId = optionalServerId("getSnapshots", args.serverId);
  const pattern = compileRegex("getSnapshots", args.nameRegex);
  const all = await listed(account, serverId, () => account.client.snapshots.list({ serverId }));
  const snapshots = all.map(snapshotInfo).filter((s) => !pattern || pattern.test(s.name));
  return { serverId: serverId ?? null, nameRegex: args.nameRegex ?? null, ids: snapshots.map((s) => s.id), snapshots };
}

export async function getSnapshot(account: LookupAccount, args: GetSnapshotArgs): Promise<GetSnapshotResult> {
  const fn = "getSnapshot";
  onlyKnown(fn, args);
  const serverId = requireServerId(fn, args?.serverId);
  if ((args.name === undefined) === (args.nameRegex === undefined)) {
    throw fail(`${fn}: give exactly one of name or nameRegex.`);
  }
  const pattern = compileRegex(fn, args.nameRegex);
  const all = (await listed(account, serverId, () => account.client.snapshots.list({ serverId }))).map(snapshotInfo);
  const matches = all.filter((s) => (pattern ? pattern.test(s.name) : s.name === args.name));
  const what = `snapshot on server ${serverId} ${pattern ? `matching /${args.nameRegex}/` : `named ${JSON.stringify(args.name)}`}`;
  return pickOne(fn, what, matches, args.mostRecent, (s) => `${s.id} ${s.name} (${s.createdAt})`);
}

export async function getBackups(account: LookupAccount, args: GetBackupsArgs = {}): Promise<GetBackupsResult> {
  onlyKnown("getBackups", args);
  const serverId = optionalServerId("getBackups", args.serverId);
  checkBackupType("getBackups", args.backupType);
  const backupType = args.backupType;
  // A filtered list may be empty on a visible server: the visibility is asked only then.
  const backups = (await listed(account, serverId, () => account.client.backups.list({ serverId, backupType }))).map(
    backupInfo,
  );
  return { serverId: serverId ?? null, backupType: backupType ?? null, ids: backups.map((b) => b.id), backups };
}

export async function getBackup(account: LookupAccount, args: GetBackupArgs): Promise<GetBackupResult> {
  const fn = "getBackup";
  onlyKnown(fn, args);
  const serverId = requireServerId(fn, args?.serverId);
  checkBackupType(fn, args.backupType);
  const before = args.createdBefore === undefined ? undefined : Date.parse(args.createdBefore);
  if (before !== undefined && Number.isNaN(before)) {
    throw fail(`${fn}: createdBefore must be an ISO 8601 time, got ${JSON.stringify(args.createdBefore)}.`);
  }
  const backupType = args.backupType;
  const matches = (await listed(account, serverId, () => account.client.backups.list({ serverId, backupType })))
    .map(backupInfo)
    .filter((b) => before === undefined || Date.parse(b.createdAt ?? "") < before);
  const what = `${args.backupType ? `${args.backupType} ` : ""}backup on server ${serverId}${
    args.createdBefore ? ` created before ${args.createdBefore}` : ""
  }`;
  return pickOne(fn, what, matches, args.mostRecent, (b) => `${b.id} ${b.backupType} (${b.createdAt})`);
}

/** Every lookup by name, as the plugin's Invoke dispatches them. */
export const LOOKUPS = { getSnapshots, getSnapshot, getBackups, getBackup } as const;

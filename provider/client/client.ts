// The VPS.org client: one object per token and URL, with one property per API resource.
import { createHash } from "node:crypto";
import { HttpClient, type HttpOptions } from "./http";
import { Backups } from "./resources/backups";
import { Servers } from "./resources/servers";
import { Snapshots } from "./resources/snapshots";
import { type RestoreOptions, type RestoreResult, restoreFromBackup, restoreFromSnapshot } from "./restores";
import type { Id } from "./schemas";

export type ClientOptions = HttpOptions;

export class VpsOrgClient {
  readonly backups: Backups;
  readonly snapshots: Snapshots;
  readonly servers: Servers;
  /** Names the account without revealing the token: a hash of URL and token, for sharing pollers. */
  readonly accountKey: string;
  readonly baseUrl: string;

  constructor(options: ClientOptions = {}) {
    const http = new HttpClient(options);
    this.baseUrl = http.baseUrl;
    this.backups = new Backups(http);
    this.snapshots = new Snapshots(http);
    this.servers = new Servers(http);
    this.accountKey = createHash("sha256")
      .update(`${http.baseUrl}\n${http.tokenFingerprint}`)
      .digest("hex")
      .slice(0, 16);
  }

  /**
   * Restores the snapshot's server from the snapshot: ALL current data on the server is overwritten.
   * Waits for a snapshot still `in_progress` first; with `wait`, also until the server is back.
   */
  restoreSnapshot(snapshotId: Id, options: RestoreOptions = {}): Promise<RestoreResult> {
    return restoreFromSnapshot(this, snapshotId, options);
  }

  /** Restores a server from one of its backups: ALL current data on the server is overwritten. */
  restoreBackup(serverId: Id, backupId: Id, options: RestoreOptions = {}): Promise<RestoreResult> {
    return restoreFromBackup(this, serverId, backupId, options);
  }
}

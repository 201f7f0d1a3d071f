// The emulator's world: accounts (one per token), their servers, backups and snapshots, and a
// clock. Jobs and restores move on when the state is read (as moto does), so nothing runs on
// timers: a job is done once the clock passes its `doneAt`, or when the control API says so.

export interface Settings {
  /** How long a new backup stays `in_progress`. */
  backupDurationMs: number;
  /** How long a new snapshot stays `in_progress`. */
  snapshotDurationMs: number;
  /** How long a server stays `restoring`. */
  restoreDurationMs: number;
  /** When true, jobs and restores finish only when the control API says so. */
  manual: boolean;
  /** Default page size of lists (the vendor's tooling says 20; `page_size` may ask up to 100). */
  pageSize: number;
  /** When false, pages carry no `next`/`previous` links (clients must page by number). */
  pageLinks: boolean;
  manualBackupLimit: number;
  snapshotLimit: number;
}

export const DEFAULT_SETTINGS: Settings = {
  backupDurationMs: 2_000,
  snapshotDurationMs: 1_500,
  restoreDurationMs: 2_000,
  manual: false,
  pageSize: 20,
  pageLinks: true,
  manualBackupLimit: 10,
  snapshotLimit: 5,
};

export interface ServerRecord {
  id: number;
  account: number;
  name: string;
  hostname: string;
  status: string;
  ip_address: string;
  location: string;
  plan: Record<string, unknown>;
  os: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  /** While `restoring`: when the restore ends (Infinity in manual mode). */
  restoreDoneAt?: number;
}

interface JobFields {
  id: number;
  serverId: number;
  status: string;
  size_mb: number | null;
  created_at: string;
  description: string;
  /** When the job completes (Infinity in manual mode). */
  doneAt: number;
}
export interface BackupRecord extends JobFields {
  backup_type: "manual" | "automatic";
  expires_at: string | null;
}
export interface SnapshotRecord extends JobFields {
  name: string;
}

export class EmulatorState {
  settings: Settings;
  servers = new Map<number, ServerRecord>();
  backups = new Map<number, BackupRecord>();
  snapshots = new Map<number, SnapshotRecord>();
  /** Added to the real clock by `POST /_emulator/clock`, to make time pass in tests. */
  clockOffsetMs = 0;
  nextServerId = 20_001;
  nextBackupId = 502; // the vendor's create sample answers 502 and 802
  nextSnapshotId = 802;

  constructor(
    readonly tokens: string[],
    settings: Partial<Settings> = {},
  ) {
    const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
    this.settings = { ...DEFAULT_SETTINGS, ...given };
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  accountOf(token: string): number | undefined {
    const index = this.tokens.indexOf(token);
    return index < 0 ? undefined : index;
  }

  /** Moves jobs, restores and expiries on to the present. Called before every read and write. */
  advance(): void {
    const now = this.now();
    for (const job of [...this.backups.values(), ...this.snapshots.values()]) {
      if (job.status === "in_progress" && job.doneAt <= now) this.completeJob(job);
    }
    for (const server of this.servers.values()) {
      if (server.status === "restoring" && (server.restoreDoneAt ?? 0) <= now) this.finishRestore(server, "active");
    }
    for (const backup of this.backups.values()) {
      if (backup.backup_type === "automatic" && backup.expires_at && Date.parse(backup.expires_at) <= now) {
        this.backups.delete(backup.id);
      }
    }
  }

  completeJob(job: JobFields): void {
    job.status = "completed";
    job.size_mb = 4_000 + ((job.id * 37) % 2_000);
  }

  finishRestore(server: ServerRecord, status: string): void {
    server.status = status;
    server.restoreDoneAt = undefined;
    server.updated_at = new Date(this.now()).toISOString();
  }

  serversOf(account: number): ServerRecord[] {
    return [...this.servers.values()].filter((s) => s.account === account);
  }

  serverOf(account: number, id: number): ServerRecord | undefined {
    const server = this.servers.get(id);
    return server && server.account === account ? server : undefined;
  }

  addServer(account: number, fields: Partial<ServerRecord> = {}): ServerRecord {
    const id = fields.id ?? this.nextServerId++;
    const stamp = new Date(this.now()).toISOString();
    const server: ServerRecord = {
      name: `server-${id}`,
      hostname: `server-${id}.vps.org`,
      status: "active",
      ip_address: `198.51.100.${id % 250}`,
      location: "us-west",
      plan: { id: 2, name: "Standard 2GB", memory_mb: 2048, disk_gb: 50, vcpus: 1 },
      os: { id: 1, name: "Ubuntu 24.04 LTS" },
      created_at: stamp,
      updated_at: stamp,
      ...fields,
      id,
      account,
    };
    this.servers.set(id, server);
    return server;
  }

  addBackup(server: ServerRecord, fields: Partial<BackupRecord>): BackupRecord {
    const backup: BackupRecord = {
      id: fields.id ?? this.nextBackupId++,
      serverId: server.id,
      backup_type: "manual",
      status: "in_progress",
      size_mb: null,
      created_at: new Date(this.now()).toISOString(),
      expires_at: null,
      description: "",
      doneAt: this.doneAt(this.settings.backupDurationMs),
      ...fields,
    };
    this.backups.set(backup.id, backup);
    return backup;
  }

  addSnapshot(server: ServerRecord, fields: Partial<SnapshotRecord> & { name: string }): SnapshotRecord {
    const snapshot: SnapshotRecord = {
      id: fields.id ?? this.nextSnapshotId++,
      serverId: server.id,
      status: "in_progress",
      size_mb: null,
      created_at: new Date(this.now()).toISOString(),
      description: "",
      doneAt: this.doneAt(this.settings.snapshotDurationMs),
      ...fields,
    };
    this.snapshots.set(snapshot.id, snapshot);
    return snapshot;
  }

  startRestore(server: ServerRecord): void {
    server.status = "restoring";
    server.restoreDoneAt = this.doneAt(this.settings.restoreDurationMs);
    server.updated_at = new Date(this.now()).toISOString();
  }

  doneAt(durationMs: number): number {
    return this.settings.manual ? Number.POSITIVE_INFINITY : this.now() + durationMs;
  }

  /** The account that owns a backup or snapshot (through its server). */
  accountOfJob(job: JobFields): number | undefined {
    return this.servers.get(job.serverId)?.account;
  }
}

export const RESTORABLE_STATUSES = new Set(["active", "stopped"]);
export const SNAPSHOT_NAME_RULE = /^[A-Za-z0-9_-]+$/;
export const SNAPSHOT_NAME_MAX = 100;

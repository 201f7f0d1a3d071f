// How records look on the wire: exactly the documented shapes.
import type { BackupRecord, EmulatorState, ServerRecord, SnapshotRecord } from "./state";

export function serverRef(state: EmulatorState, serverId: number) {
  return { id: serverId, name: state.servers.get(serverId)?.name ?? null };
}

export function backupView(state: EmulatorState, b: BackupRecord) {
  return {
    id: b.id,
    server: serverRef(state, b.serverId),
    backup_type: b.backup_type,
    status: b.status,
    size_mb: b.size_mb,
    created_at: b.created_at,
    expires_at: b.expires_at,
    description: b.description,
  };
}

export function snapshotView(state: EmulatorState, s: SnapshotRecord) {
  return {
    id: s.id,
    server: serverRef(state, s.serverId),
    name: s.name,
    status: s.status,
    size_mb: s.size_mb,
    created_at: s.created_at,
    description: s.description,
  };
}

export function serverView(s: ServerRecord) {
  const { id, name, hostname, status, ip_address, location, plan, os, created_at, updated_at } = s;
  return { id, name, hostname, status, ip_address, location, plan, os, created_at, updated_at };
}

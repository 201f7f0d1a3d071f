// A snapshot or backup as this package shows it (camelCase, absent values null): the resources'
// outputs and the lookups' results are the same fields. A description shows without our marker.
import type { Backup, Snapshot } from "../client/types";
import { withoutMarker } from "./markers";

export function snapshotFields(item: Snapshot) {
  return {
    serverId: Number(item.server.id),
    serverName: item.server.name ?? null,
    name: item.name,
    status: item.status,
    sizeMb: item.size_mb ?? null,
    createdAt: item.created_at ?? null,
    description: withoutMarker(item.description),
  };
}

export function backupFields(item: Backup) {
  return {
    serverId: Number(item.server.id),
    serverName: item.server.name ?? null,
    backupType: item.backup_type,
    status: item.status,
    sizeMb: item.size_mb ?? null,
    createdAt: item.created_at ?? null,
    expiresAt: item.expires_at ?? null,
    description: withoutMarker(item.description),
  };
}

/** The provider kinds the serialized shims name in users' states: never rename or remove one. */
export type ProviderKind =
  "snapshot" | "backup" | "snapshotRestore" | "backupRestore" | "snapshotHistory" | "backupHistory";

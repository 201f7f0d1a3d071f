// What the emulator's first account starts with (emulator/seed.ts: the vendor's own examples), in
// one place for every test that counts on it.

/** The vendor's example server, in the first token's account. */
export const SERVER = 12345;
export const SERVER_NAME = "web-server-01";

/** Its snapshots, newest first: 801 "pre-migration-snapshot" (5120 MB), 798 "weekly-snapshot-2025-01-08". */
export const SNAPSHOTS = { newest: 801, older: 798, all: [801, 798] } as const;
export const SNAPSHOT_801 = { id: 801, name: "pre-migration-snapshot", sizeMb: 5120 } as const;

/** Its backups in the order the API lists them: 501 and 495 automatic, 499 manual. */
export const BACKUPS = { listed: [501, 499, 495], automatic: [501, 495], manual: [499] } as const;

// The data every account starts with. The first account holds the vendor's own example server,
// backups and snapshots, with their dates moved to the present (same spacing, none expired), so
// that the vendor's code samples run unchanged against the emulator.
import type { EmulatorState } from "./state";

const DAY = 86_400_000;
const SAMPLE_NEWEST = Date.parse("2025-01-16T03:00:00Z");

export function seed(state: EmulatorState): void {
  const shift = state.now() - 60 * 60_000 - SAMPLE_NEWEST; // the newest sample becomes an hour old
  const at = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
  state.tokens.forEach((_token, account) => {
    if (account === 0) seedVendorExamples(state, at);
    else seedOtherAccount(state, account);
  });
}

function seedVendorExamples(state: EmulatorState, at: (iso: string) => string): void {
  const server = state.addServer(0, {
    id: 12345,
    name: "web-server-01",
    hostname: "web-server-01.vps.org",
    ip_address: "203.0.113.10",
    created_at: at("2024-06-01T09:00:00Z"),
    updated_at: at("2025-01-16T03:00:00Z"),
  });
  const done = { status: "completed", doneAt: 0 };
  const backups = [
    {
      id: 501,
      backup_type: "automatic",
      size_mb: 4523,
      created: "2025-01-16T03:00:00Z",
      expires: "2025-02-16T03:00:00Z",
      description: "Automatic daily backup",
    },
    {
      id: 499,
      backup_type: "manual",
      size_mb: 4456,
      created: "2025-01-14T10:30:00Z",
      expires: null,
      description: "Pre-update backup",
    },
    {
      id: 495,
      backup_type: "automatic",
      size_mb: 4389,
      created: "2025-01-15T03:00:00Z",
      expires: "2025-02-15T03:00:00Z",
      description: "Automatic daily backup",
    },
  ] as const;
  for (const b of backups) {
    state.addBackup(server, {
      ...done,
      id: b.id,
      backup_type: b.backup_type,
      size_mb: b.size_mb,
      created_at: at(b.created),
      expires_at: b.expires ? at(b.expires) : null,
      description: b.description,
    });
  }
  state.addSnapshot(server, {
    ...done,
    id: 801,
    name: "pre-migration-snapshot",
    size_mb: 5120,
    created_at: at("2025-01-15T18:30:00Z"),
    description: "Before major migration",
  });
  state.addSnapshot(server, {
    ...done,
    id: 798,
    name: "weekly-snapshot-2025-01-08",
    size_mb: 4856,
    created_at: at("2025-01-08T12:00:00Z"),
    description: "Weekly snapshot",
  });
}

/** Other accounts: one active server of their own with one automatic backup from last night. */
function seedOtherAccount(state: EmulatorState, account: number): void {
  const server = state.addServer(account);
  const created = state.now() - 3 * 60 * 60_000;
  state.addBackup(server, {
    id: 100_000 + account,
    backup_type: "automatic",
    status: "completed",
    doneAt: 0,
    size_mb: 2048,
    created_at: new Date(created).toISOString(),
    expires_at: new Date(created + 7 * DAY).toISOString(),
    description: "Automatic daily backup",
  });
}

#!/usr/bin/env node
// vpsorg-emulator: starts the VPS.org API emulator and prints one line with its base URL.
import { parseArgs } from "node:util";
import { startEmulator } from "./server";

const USAGE = `usage: vpsorg-emulator [--port 0] [--host 127.0.0.1] [--token vps_a --token vps_b ...]
                       [--manual] [--backup-duration MS] [--snapshot-duration MS] [--restore-duration MS]
                       [--page-size N] [--log]

Each --token is an account of its own (default: vps_test_token). The first account holds the
vendor's example server 12345 with its backups and snapshots. Control API: <origin>/_emulator/.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      token: { type: "string", multiple: true },
      manual: { type: "boolean", default: false },
      "backup-duration": { type: "string" },
      "snapshot-duration": { type: "string" },
      "restore-duration": { type: "string" },
      "page-size": { type: "string" },
      log: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const number = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${value}"`);
    return n;
  };
  const emulator = await startEmulator({
    port: number("port", values.port),
    host: values.host,
    tokens: values.token?.length ? values.token : undefined,
    manual: values.manual,
    backupDurationMs: number("backup-duration", values["backup-duration"]),
    snapshotDurationMs: number("snapshot-duration", values["snapshot-duration"]),
    restoreDurationMs: number("restore-duration", values["restore-duration"]),
    pageSize: number("page-size", values["page-size"]),
    log: values.log,
  });
  console.log(`vpsorg-emulator listening on ${emulator.url} (control API: ${emulator.controlUrl})`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: Error) => {
  console.error(`vpsorg-emulator: ${error.message}\n\n${USAGE}`);
  process.exit(2);
});

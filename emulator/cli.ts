#!/usr/bin/env node
// vpsorg-emulator: starts the VPS.org API emulator and prints what a user needs to point the
// provider at it: its URL, its token(s) and the lines to export. Errors are one line, no stack.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "./server";
import { DEFAULT_TOKEN, PASTABLE_TOKEN, TOKEN_RULE } from "./tokens";
import { DEFAULT_SETTINGS as D } from "./state";

/** Exit codes, as --help lists them. */
const EXIT_USAGE = 2;
const EXIT_CANNOT_START = 3;

const USAGE = `usage: vpsorg-emulator [options]

Starts a local emulator of the VPS.org API (servers, backups, snapshots, restores).

options:
  --port N                 port to listen on (default 0: a free port, printed on start)
  --host ADDRESS           address to listen on (default 127.0.0.1)
  --token [NAME=]TOKEN     an accepted API token, one account each; repeat for several (default ${DEFAULT_TOKEN}).
                           NAME names the account in the lines to paste (default account2, account3 ...)
  --manual                 jobs stay in_progress until completed through the control API
  --backup-duration MS     time until a backup is completed (default ${D.backupDurationMs})
  --snapshot-duration MS   time until a snapshot is completed (default ${D.snapshotDurationMs})
  --restore-duration MS    time a restore keeps the server in "restoring" (default ${D.restoreDurationMs})
  --page-size N            default page size of list endpoints (default ${D.pageSize})
  --log                    log every request (never the Authorization header)
  --version                print the version and exit
  -h, --help               print this help and exit

The first token's account is the default account: it holds the vendor's example server 12345 with its
backups and snapshots. Every other token is an account with a server of its own. A token may hold only
letters, digits and - . _ ~ + / (then =), as HTTP bearer tokens do. Control API (no token): <origin>/_emulator/.
Exit codes: 0 stopped by SIGINT/SIGTERM, ${EXIT_USAGE} bad arguments, ${EXIT_CANNOT_START} cannot start (port in use, address not available).`;

/** The emulator package's version: dist/cli.js reads ../package.json, the source ./package.json. */
function version(): string {
  for (const path of [join(__dirname, "package.json"), join(__dirname, "..", "package.json")]) {
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };
    if (manifest.name === "vpsorg-emulator" && manifest.version) return manifest.version;
  }
  return "unknown";
}

class UsageError extends Error {}

/** Every flag; --help must list each (tests/emulator/cli.test.ts checks it). */
export const OPTIONS = {
  port: { type: "string", default: "0" },
  host: { type: "string", default: "127.0.0.1" },
  token: { type: "string", multiple: true },
  manual: { type: "boolean", default: false },
  "backup-duration": { type: "string" },
  "snapshot-duration": { type: "string" },
  "restore-duration": { type: "string" },
  "page-size": { type: "string" },
  log: { type: "boolean", default: false },
  version: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: OPTIONS,
    }).values;
  } catch (error) {
    // parseArgs names the flag ("Unknown option '--prot'"); the usage follows.
    throw new UsageError((error as Error).message);
  }
}

function whole(name: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > max) {
    throw new UsageError(`--${name} must be a whole number from 0 to ${max}, got "${value}"`);
  }
  return n;
}

/** An account's name, as the provider takes it (vpsorg:accounts.<name>, VPS_API_TOKEN_<NAME>). */
const ACCOUNT_NAME = /^[A-Za-z0-9_-]{1,64}$/;

interface Account {
  name: string;
  token: string;
}

/** `--token vps_a --token prod=vps_b`: the default account first, then named ones. */
function accounts(given: string[] | undefined): Account[] {
  const specs = given?.length ? given : [DEFAULT_TOKEN];
  return specs.map((spec, index) => {
    // NAME=TOKEN: a token's own "=" only ever ends it. The first account is the default one, unnamed.
    const named = /^([^=]+)=([^=].*)$/.exec(spec);
    const name = index === 0 ? "default" : (named?.[1] ?? `account${index + 1}`);
    const token = named ? named[2] : spec;
    if (!PASTABLE_TOKEN.test(token)) {
      throw new UsageError(`--token ${JSON.stringify(token)} cannot be pasted as it is: ${TOKEN_RULE}`);
    }
    if (index > 0 && !ACCOUNT_NAME.test(name)) {
      throw new UsageError(`--token ${JSON.stringify(spec)}: an account name is 1 to 64 letters, digits, - or _`);
    }
    return { name, token };
  });
}

/** The environment variable suffix of an account, as the provider reads it: `prod-eu` is PROD_EU. */
const envSuffix = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/** What a user pastes to point the provider at the emulator, for every account. */
function pasteLines(url: string, list: Account[], servers: string[]): string[] {
  const [first, ...others] = list;
  return [
    "accounts (one per token) and the server each starts with:",
    ...list.map((a, i) => `  ${a.name}: ${a.token}  ${servers[i]}`),
    "",
    "Point the provider and the client at it:",
    `  export VPS_API_URL=${url}`,
    `  export VPS_API_TOKEN=${first.token}`,
    ...others.map((a) => `  export VPS_API_TOKEN_${envSuffix(a.name)}=${a.token}`),
    "or, for a stack:",
    `  pulumi config set vpsorg:apiUrl ${url}`,
    `  pulumi config set --secret vpsorg:apiToken ${first.token}`,
    ...others.map((a) => `  pulumi config set --secret --path vpsorg:accounts.${a.name}.apiToken ${a.token}`),
  ];
}

async function main(): Promise<void> {
  const values = parse(process.argv.slice(2));
  if (values.help) return void console.log(USAGE);
  if (values.version) return void console.log(version());
  const port = whole("port", values.port, 65535);
  const list = accounts(values.token);
  const tokens = list.map((a) => a.token);
  let emulator;
  try {
    emulator = await startEmulator({
      port,
      host: values.host,
      tokens,
      manual: values.manual,
      backupDurationMs: whole("backup-duration", values["backup-duration"]),
      snapshotDurationMs: whole("snapshot-duration", values["snapshot-duration"]),
      restoreDurationMs: whole("restore-duration", values["restore-duration"]),
      pageSize: whole("page-size", values["page-size"]),
      log: values.log,
    });
  } catch (error) {
    throw cannotListen(error as NodeJS.ErrnoException, values.host, port) ?? error;
  }
  const servers = list.map((_a, account) => {
    const [server] = emulator.state.serversOf(account);
    if (account === 0)
      return `server ${server.id} (${server.name}: the vendor's example, with its backups and snapshots)`;
    return `server ${server.id} (${server.name})`;
  });
  console.log(
    [
      `vpsorg-emulator ${version()} listening on ${emulator.url}`,
      `control API: ${emulator.controlUrl}`,
      ...pasteLines(emulator.url, list, servers),
      "",
      "Ctrl-C stops it.",
    ].join("\n"),
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** The listen errors a user can fix, as one line saying how; undefined for anything else. */
function cannotListen(error: NodeJS.ErrnoException, host: string, port: number | undefined): Error | undefined {
  const where = `${host}:${port ?? 0}`;
  if (error.code === "EADDRINUSE") {
    return new Error(`port ${port} on ${host} is already in use: stop what uses it, or choose --port 0 for a free one`);
  }
  if (error.code === "EACCES") return new Error(`not allowed to listen on ${where}: choose a port above 1023`);
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") {
    return new Error(`cannot listen on ${where}: ${host} is not an address of this machine (try --host 127.0.0.1)`);
  }
  return undefined;
}

if (require.main === module) {
  main().catch((error: Error) => {
    const usage = error instanceof UsageError;
    console.error(`vpsorg-emulator: ${error.message}${usage ? "\nRun vpsorg-emulator --help for every flag." : ""}`);
    process.exit(usage ? EXIT_USAGE : EXIT_CANNOT_START);
  });
}

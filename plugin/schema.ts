// The package schema of the resource plugin: what `pulumi package add` makes SDKs from and what
// Pulumi YAML checks programs against. Its resources and functions are the dynamic provider's, by
// the same names; the descriptions say what the README says. A test holds each resource's inputs
// here to the inputs the resource itself accepts (provider/resources).
import { VERSION } from "../provider/version";

type Spec = Record<string, unknown>;
const str = (description: string): Spec => ({ type: "string", description });
const int = (description: string): Spec => ({ type: "integer", description });
const num = (description: string): Spec => ({ type: "number", description });
const bool = (description: string): Spec => ({ type: "boolean", description });
const ref = (type: string, description?: string): Spec => ({
  $ref: `#/types/vpsorg:index:${type}`,
  ...(description ? { description } : {}),
});
const arrayOf = (items: Spec, description: string): Spec => ({ type: "array", items, description });
/** An id given as a number, or as another resource's `id` (text). */
const idInput = (description: string): Spec => ({ oneOf: [{ type: "integer" }, { type: "string" }], description });

const ACCOUNT = str(
  "The VPS.org account when not the default one: its name in the provider's `accounts` " +
    "(its token from `vpsorg:accounts.<name>.apiToken` or `VPS_API_TOKEN_<NAME>`). Changing it replaces the resource.",
);
const waitTimeout = (defaultWait: string) =>
  str(
    `How long \`up\` waits for it to complete: "${defaultWait}" (default), "45s", "1h30m", at most "24h"; ` +
      "without it, the resource option `customTimeouts.create` is used.",
  );
const SERVER_ID = int("The server (e.g. 12345).");

const snapshotOutputs = {
  serverName: str("The server's name."),
  status: str(
    "`completed` once recorded; `in_progress` in a state whose wait timed out or was cancelled (the next `up` " +
      "resumes it); `failed` when VPS.org failed it (the next `up` replaces it).",
  ),
  sizeMb: num("Its size in MB."),
  createdAt: str("When VPS.org made it (ISO 8601)."),
};

const snapshotInputs = {
  serverId: int("The server to snapshot (e.g. 12345)."),
  name: str(
    "Letters, digits, hyphens and underscores. Omitted: the resource name made valid plus a suffix derived from " +
      "the stack, the resource and its inputs, the same in every run.",
  ),
  description: str("Shown in the VPS.org panel (followed by this provider's marker)."),
  waitTimeout: waitTimeout("30m"),
  adoptId: int("Manage this existing snapshot instead of creating one."),
  account: ACCOUNT,
};

const backupInputs = {
  serverId: int("The server to back up (e.g. 12345)."),
  description: str("Shown in the VPS.org panel (followed by this provider's marker)."),
  waitTimeout: waitTimeout("60m"),
  adoptId: int("Manage this existing manual backup instead of creating one."),
  account: ACCOUNT,
};

const historyInputs = (kind: "snapshots" | "manual backups", max: number, defaultWait: string) => ({
  serverId: int("The server; changing it replaces the history (a new one, then the old one's items are deleted)."),
  trigger: str(
    "Any text whose change takes a new item: a release tag, an image digest. An unchanged trigger takes nothing.",
  ),
  keep: int(`How many ${kind} to keep, newest first: 1 to ${max} (the server's limit); default 3.`),
  maxAge: str('On every `up`, items older than this are deleted, except the newest: "30d", "12h", "90m".'),
  description: str("Shown in the VPS.org panel with each item, before `(trigger: ...)` and the marker."),
  waitTimeout: waitTimeout(defaultWait),
  account: ACCOUNT,
});

const historyOutputs = {
  items: arrayOf(ref("HistoryItem"), "The kept items, newest first."),
  latest: ref("HistoryItem", "`items[0]`, or null before the first."),
  lastTrigger: str("The trigger of the newest item taken."),
};

const restoreCommon = {
  acknowledgeDataLoss: bool("Must be true: a restore overwrites ALL current data on the server and cannot be undone."),
  triggers: arrayOf({ $ref: "pulumi.json#/Any" }, "Change any value here to restore again from the same source."),
  waitTimeout: str('How long `up` waits for the server to come back: "30m" (default), at most "24h".'),
  account: ACCOUNT,
};

const restoreOutputs = {
  serverName: str("The server's name."),
  serverStatus: str("`active` (or `stopped`) once the restore is done."),
  message: str("VPS.org's message when the restore started."),
  startedAt: str("When the restore started."),
  finishedAt: str("When the server came back (or the restore failed); null only while recorded as restoring."),
  outcome: str('"succeeded", "failed", "unobserved" (it ended while nobody watched), or "restoring".'),
  failure: str("Why a failed restore failed."),
};

/** Outputs every recorded resource of its kind holds (a generated SDK types them as always set). */
const ALWAYS = new Set(["status", "outcome", "items", "serverName", "createdAt"]);

/**
 * A resource: its inputs (also outputs, unless `outputs` says otherwise of one), its further
 * outputs, the inputs it needs, and `alwaysToo`, inputs that every recorded one holds as outputs.
 */
function resource(
  description: string,
  inputs: Spec,
  outputs: Spec,
  required: string[],
  alwaysToo: string[] = [],
): Spec {
  return {
    description,
    inputProperties: inputs,
    requiredInputs: required,
    properties: { ...inputs, ...outputs },
    required: [...required, ...alwaysToo, ...Object.keys(outputs).filter((key) => ALWAYS.has(key))],
  };
}

const snapshotInfo = {
  id: int("The snapshot's id."),
  serverId: int("Its server."),
  serverName: str("Its server's name."),
  name: str("Its name."),
  status: str("Its status."),
  sizeMb: num("Its size in MB."),
  createdAt: str("When it was made."),
  description: str("Its description, without this provider's marker."),
};

const backupInfo = {
  id: int("The backup's id."),
  serverId: int("Its server."),
  serverName: str("Its server's name."),
  backupType: ref("BackupType", "Its type."),
  status: str("Its status."),
  sizeMb: num("Its size in MB."),
  createdAt: str("When it was made."),
  expiresAt: str("When an automatic backup expires; null for manual ones."),
  description: str("Its description, without this provider's marker."),
};

const LOOKUP_ACCOUNT = str("The account to read, when not the default one (its name in the provider's `accounts`).");
const objectType = (properties: Spec, required: string[] = []): Spec => ({ type: "object", properties, required });

const config = {
  apiToken: {
    ...str("The VPS.org API token (`vps_...`); default: the VPS_API_TOKEN environment variable."),
    secret: true,
  },
  apiUrl: str("The API's URL; default VPS_API_URL, then https://admin.vps.org/api/v1."),
  accounts: {
    type: "object",
    additionalProperties: { $ref: "#/types/vpsorg:index:AccountSettings" },
    description: "Named accounts: `{ prod: { apiToken, apiUrl } }`, chosen by a resource's `account`.",
  },
  allowInsecureHttp: bool(
    "Send tokens over plain http to another machine (never advisable; loopback is always allowed).",
  ),
  deletedServers: arrayOf(
    { type: "integer" },
    "Servers deleted for real: their objects may leave the state though the server can no longer be seen.",
  ),
};

/** The package schema, as GetSchema answers it and `npm run build:plugin` writes it. */
export function packageSchema(): Spec {
  return {
    name: "vpsorg",
    displayName: "VPS.org",
    version: VERSION,
    description: "Declarative VPS.org server snapshots, manual backups, rolling histories, restores and lookups.",
    keywords: ["pulumi", "vpsorg", "snapshots", "backups", "category/infrastructure", "kind/native"],
    homepage: "https://github.com/pulumi-vpsorg/pulumi-vpsorg#readme",
    repository: "https://github.com/pulumi-vpsorg/pulumi-vpsorg",
    license: "Apache-2.0",
    publisher: "pulumi-vpsorg",
    pluginDownloadURL: "github://api.github.com/pulumi-vpsorg",
    config: { variables: config },
    provider: { description: "The VPS.org provider: its token, URL and named accounts.", inputProperties: config },
    types: {
      "vpsorg:index:AccountSettings": {
        ...objectType({
          apiToken: { ...str("The account's API token."), secret: true },
          apiUrl: str("The account's API URL; default the provider's."),
        }),
        description: "A named account: its token and, when not the provider's, its API URL.",
      },
      "vpsorg:index:BackupType": {
        type: "string",
        description: "How a backup was made: by hand (manual) or by VPS.org's schedule (automatic).",
        enum: [
          { value: "manual", description: "Made on request; up to 10 per server." },
          { value: "automatic", description: "Made and expired by VPS.org's schedule." },
        ],
      },
      "vpsorg:index:HistoryItem": objectType(
        {
          id: int("The snapshot's or backup's id: pass it to a restore to roll back."),
          name: str("The snapshot's name; null for a backup, which VPS.org gives no name."),
          createdAt: str("When it was made."),
          trigger: str("The trigger value it was taken for."),
          sizeMb: num("Its size in MB."),
        },
        ["id"],
      ),
      "vpsorg:index:SnapshotInfo": objectType(snapshotInfo, ["id", "serverId", "name", "status"]),
      "vpsorg:index:BackupInfo": objectType(backupInfo, ["id", "serverId", "backupType", "status"]),
    },
    resources: {
      "vpsorg:index:Snapshot": resource(
        "A VPS.org server snapshot. `pulumi up` creates it and waits until it is `completed`.",
        snapshotInputs,
        snapshotOutputs,
        ["serverId"],
        ["name"],
      ),
      "vpsorg:index:Backup": resource(
        "A manual VPS.org backup. `pulumi up` creates it and waits until it is `completed`.",
        backupInputs,
        {
          serverName: str("The server's name."),
          backupType: ref("BackupType", "Always `manual`: automatic backups are restored from, never managed."),
          status: snapshotOutputs.status,
          sizeMb: num("Its size in MB."),
          createdAt: str("When VPS.org made it (ISO 8601)."),
          expiresAt: str("Null for manual backups: they do not expire."),
        },
        ["serverId"],
      ),
      "vpsorg:index:SnapshotHistory": resource(
        "A snapshot per trigger value, the newest `keep` kept; it never deletes a snapshot it did not create.",
        {
          ...historyInputs("snapshots", 5, "30m"),
          namePrefix: str(
            "The start of each snapshot's name (letters, digits, - and _, at most 40); default the resource name.",
          ),
        },
        historyOutputs,
        ["serverId", "trigger"],
      ),
      "vpsorg:index:BackupHistory": resource(
        "A manual backup per trigger value, the newest `keep` kept; automatic backups are never touched.",
        historyInputs("manual backups", 10, "60m"),
        historyOutputs,
        ["serverId", "trigger"],
      ),
      "vpsorg:index:SnapshotRestore": resource(
        "Restores a server from a snapshot during `pulumi up`: never in preview, never on refresh, never again " +
          "while `snapshotId` and `triggers` stay the same. ALL current data on the server is overwritten.",
        {
          snapshotId: idInput("The snapshot to restore its server from: a number, or a Snapshot's `id`."),
          ...restoreCommon,
        },
        {
          snapshotId: int("The snapshot restored from."),
          serverId: int("The server restored."),
          snapshotName: str("The snapshot's name."),
          ...restoreOutputs,
        },
        ["snapshotId", "acknowledgeDataLoss"],
      ),
      "vpsorg:index:BackupRestore": resource(
        "Restores a server from one of its backups during `pulumi up`, by the same rules as SnapshotRestore.",
        {
          serverId: SERVER_ID,
          backupId: idInput("The backup to restore the server from: a number, or a Backup's `id`."),
          ...restoreCommon,
        },
        {
          backupId: int("The backup restored from."),
          backupType: ref("BackupType", "The backup's type."),
          backupCreatedAt: str("When the backup was made."),
          ...restoreOutputs,
        },
        ["serverId", "backupId", "acknowledgeDataLoss"],
      ),
    },
    functions: {
      "vpsorg:index:getSnapshots": {
        description: "A server's snapshots (or the account's), filtered by a name pattern.",
        inputs: objectType({
          serverId: int("The server; omitted: the whole account."),
          nameRegex: str("A regular expression the name must match."),
          account: LOOKUP_ACCOUNT,
        }),
        outputs: objectType(
          {
            serverId: int("The server asked for."),
            nameRegex: str("The pattern asked for."),
            ids: arrayOf({ type: "integer" }, "The ids found."),
            snapshots: arrayOf(ref("SnapshotInfo"), "The snapshots found."),
          },
          ["ids", "snapshots"],
        ),
      },
      "vpsorg:index:getSnapshot": {
        description: "One snapshot of a server, by name or pattern; several matches need mostRecent.",
        inputs: objectType(
          {
            serverId: SERVER_ID,
            name: str("The exact name; or give nameRegex."),
            nameRegex: str("A regular expression the name must match."),
            mostRecent: bool("With several matches, take the most recently made instead of failing."),
            account: LOOKUP_ACCOUNT,
          },
          ["serverId"],
        ),
        outputs: objectType(snapshotInfo, ["id", "serverId", "name", "status"]),
      },
      "vpsorg:index:getBackups": {
        description: "A server's backups (or the account's), by type.",
        inputs: objectType({
          serverId: int("The server; omitted: the whole account."),
          backupType: ref("BackupType", 'Only backups of this type: "manual" or "automatic".'),
          account: LOOKUP_ACCOUNT,
        }),
        outputs: objectType(
          {
            serverId: int("The server asked for."),
            backupType: str("The type asked for."),
            ids: arrayOf({ type: "integer" }, "The ids found."),
            backups: arrayOf(ref("BackupInfo"), "The backups found."),
          },
          ["ids", "backups"],
        ),
      },
      "vpsorg:index:getBackup": {
        description: 'One backup of a server; `createdBefore` keeps "the latest" stable once newer ones appear.',
        inputs: objectType(
          {
            serverId: SERVER_ID,
            backupType: ref("BackupType", 'Only backups of this type: "manual" or "automatic".'),
            createdBefore: str("Only backups made before this time (ISO 8601)."),
            mostRecent: bool("With several matches, take the most recently made instead of failing."),
            account: LOOKUP_ACCOUNT,
          },
          ["serverId"],
        ),
        outputs: objectType(backupInfo, ["id", "serverId", "backupType", "status"]),
      },
    },
    language: {
      python: { packageName: "pulumi_vpsorg" },
      nodejs: { packageName: "@pulumi-vpsorg/vpsorg" },
      go: { importBasePath: "github.com/pulumi-vpsorg/pulumi-vpsorg/sdk/go/vpsorg" },
      csharp: { rootNamespace: "PulumiVpsorg" },
      java: { basePackage: "com.pulumivpsorg" },
    },
  };
}

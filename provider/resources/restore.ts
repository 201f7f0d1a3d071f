// restoreSnapshot and restoreBackup: a restore is a resource whose create IS the restore. It runs
// only in `pulumi up` (the engine never creates during preview), never on refresh (read sends no
// request) and never again while its inputs stay the same (diff says "no change"). A new
// snapshotId/backupId or new triggers replace it, which restores again; deleting it does nothing.
import type { VpsOrgClient } from "../client/client";
import { type StartedRestore, startBackupRestore, startSnapshotRestore } from "../client/restores";
import { waitForRestore } from "../wait/jobs";
import {
  type CheckFailure,
  clientFor,
  durationProblem,
  idProblem,
  isUnknown,
  type ProviderSettings,
  parseDuration,
  ResourceInitError,
  unknownProperties,
} from "./common";

type Props = Record<string, unknown>;

const DEFAULT_TIMEOUT_MS = 30 * 60_000; // the vendor says a restore takes 5 to 15 minutes

interface RestoreSpec {
  /** Inputs users may set, and those whose change means "restore again". */
  inputKeys: readonly string[];
  replaceKeys: readonly string[];
  /** What is overwritten, for the acknowledgement message. */
  describeLoss(news: Props): string;
  checkIds(news: Props, failures: CheckFailure[]): void;
  start(client: VpsOrgClient, inputs: Props, sourceTimeoutMs: number): Promise<StartedRestore>;
  sourceOutputs(started: StartedRestore): Props;
}

/** An id given as a number (12345) or as the digits of a resource id (`snap.id` is a string). */
function idLikeProblem(property: string, value: unknown, example: string): string | undefined {
  if (typeof value === "string" && /^\d+$/.test(value)) return undefined;
  return idProblem(property, value, example);
}

function restoreResource(spec: RestoreSpec) {
  const timeoutOf = (props: Props) =>
    (typeof props.waitTimeout === "string" && parseDuration(props.waitTimeout)) || DEFAULT_TIMEOUT_MS;
  /** The recorded outputs without the recorded inputs, so that new inputs are not overwritten by old ones. */
  const outputsOf = (props: Props) =>
    Object.fromEntries(Object.entries(props).filter(([key]) => !spec.inputKeys.includes(key) && key !== "__provider"));
  /** Ids compare as text (an input may be "802" where the output is 802); triggers as JSON. */
  const sameValue = (a: unknown, b: unknown) =>
    Array.isArray(a) || Array.isArray(b)
      ? JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
      : String(a ?? "") === String(b ?? "");

  async function waitAndRecord(client: VpsOrgClient, inputs: Props, id: string, outs: Props) {
    try {
      const serverId = Number(outs.serverId ?? inputs.serverId); // backup restores take it as an input
      const server = await waitForRestore(client, serverId, { timeoutMs: timeoutOf(inputs) });
      return {
        id,
        outs: {
          ...inputs,
          ...outs,
          serverName: server.name ?? outs.serverName ?? null,
          serverStatus: server.status,
          finishedAt: new Date().toISOString(),
        },
      };
    } catch (error) {
      // The restore has started: record it, so the next `up` waits for it instead of restoring again.
      throw new ResourceInitError(
        `${(error as Error).message} The restore has started and is recorded; the next \`pulumi up\` waits for it ` +
          `again and does not restore a second time.`,
        id,
        { ...inputs, ...outs },
      );
    }
  }

  return {
    async check(_olds: Props, news: Props) {
      const failures = unknownProperties(news, spec.inputKeys);
      spec.checkIds(news, failures);
      if (news.acknowledgeDataLoss !== true && !isUnknown(news.acknowledgeDataLoss)) {
        failures.push({
          property: "acknowledgeDataLoss",
          reason:
            `${spec.describeLoss(news)} overwrites ALL current data on the server and cannot be undone; the server is ` +
            `stopped while it runs. Set acknowledgeDataLoss: true to confirm that this data may be lost.`,
        });
      }
      if (news.triggers != null && !isUnknown(news.triggers) && !Array.isArray(news.triggers)) {
        failures.push({ property: "triggers", reason: 'triggers must be a list (e.g. ["2025-01-16 rollback"]).' });
      }
      if (news.waitTimeout != null && !isUnknown(news.waitTimeout)) {
        const problem = durationProblem("waitTimeout", news.waitTimeout);
        if (problem) failures.push({ property: "waitTimeout", reason: problem });
      }
      return { inputs: news, failures };
    },

    async diff(_id: string, olds: Props, news: Props) {
      const replaces = spec.replaceKeys.filter((key) => isUnknown(news[key]) || !sameValue(olds[key], news[key]));
      const unfinished = olds.finishedAt == null; // a wait that timed out: resume it, do not restore again
      const changes = replaces.length > 0 || unfinished || olds.waitTimeout !== news.waitTimeout;
      return { changes, replaces, deleteBeforeReplace: false };
    },

    async create(inputs: Props, settings: ProviderSettings | undefined) {
      const client = clientFor(settings);
      const started = await spec.start(client, inputs, timeoutOf(inputs));
      const id = `${started.server.id}-${Date.parse(started.startedAt)}`;
      const outs = {
        serverId: Number(started.server.id),
        serverName: started.server.name ?? null,
        serverStatus: started.server.status,
        message: started.message ?? null,
        startedAt: started.startedAt,
        finishedAt: null,
        ...spec.sourceOutputs(started),
      };
      return await waitAndRecord(client, inputs, id, outs);
    },

    /** Refresh never restores and never asks the API: a restore is an event, not an object. */
    async read(id: string, props: Props) {
      return { id, props };
    },

    async update(id: string, olds: Props, news: Props, settings: ProviderSettings | undefined) {
      if (olds.finishedAt != null) return { outs: { ...news, ...outputsOf(olds) } }; // only waitTimeout changed
      const { outs } = await waitAndRecord(clientFor(settings), news, id, outputsOf(olds));
      return { outs };
    },

    /** Removing a restore from the stack leaves the server as it is. */
    async delete() {},
  };
}

export const snapshotRestoreResource = restoreResource({
  inputKeys: ["snapshotId", "acknowledgeDataLoss", "triggers", "waitTimeout"],
  replaceKeys: ["snapshotId", "triggers"],
  describeLoss: (news) => `Restoring snapshot ${isUnknown(news.snapshotId) ? "(id known after up)" : news.snapshotId}`,
  checkIds(news, failures) {
    if (news.snapshotId === undefined) failures.push({ property: "snapshotId", reason: "snapshotId is required." });
    else if (!isUnknown(news.snapshotId)) {
      const problem = idLikeProblem("snapshotId", news.snapshotId, "801");
      if (problem) failures.push({ property: "snapshotId", reason: problem });
    }
  },
  start: (client, inputs, timeoutMs) => startSnapshotRestore(client, Number(inputs.snapshotId), timeoutMs),
  sourceOutputs: (started) => ({
    snapshotId: Number(started.snapshot?.id),
    snapshotName: started.snapshot?.name ?? null,
  }),
});

export const backupRestoreResource = restoreResource({
  inputKeys: ["serverId", "backupId", "acknowledgeDataLoss", "triggers", "waitTimeout"],
  replaceKeys: ["serverId", "backupId", "triggers"],
  describeLoss: (news) =>
    `Restoring server ${isUnknown(news.serverId) ? "(known after up)" : news.serverId} from backup ${
      isUnknown(news.backupId) ? "(id known after up)" : news.backupId
    }`,
  checkIds(news, failures) {
    for (const [key, example] of [
      ["serverId", "12345"],
      ["backupId", "501"],
    ] as const) {
      if (news[key] === undefined) failures.push({ property: key, reason: `${key} is required.` });
      else if (!isUnknown(news[key])) {
        // A backup id may be a Backup's `id` (text); a server id is always a number, as for Backup and Snapshot.
        const problem =
          key === "backupId" ? idLikeProblem(key, news[key], example) : idProblem(key, news[key], example);
        if (problem) failures.push({ property: key, reason: problem });
      }
    }
  },
  start: (client, inputs, timeoutMs) =>
    startBackupRestore(client, Number(inputs.serverId), Number(inputs.backupId), timeoutMs),
  sourceOutputs: (started) => ({
    backupId: Number(started.backup?.id),
    backupType: started.backup?.backup_type ?? null,
    backupCreatedAt: started.backup?.created_at ?? null,
  }),
});

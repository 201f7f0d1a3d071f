// restoreSnapshot and restoreBackup: a restore is a resource whose create IS the restore. It runs
// only in `pulumi up` (the engine never creates during preview), never on refresh (read sends no
// request) and never again while its inputs stay the same (diff says "no change"). A new
// snapshotId/backupId or new triggers replace it, which restores again; deleting it does nothing.
import type { VpsOrgClient } from "../client/client";
import { type StartedRestore, startBackupRestore, startSnapshotRestore } from "../client/restores";
import { waitForRestore } from "../wait/jobs";
import { z } from "zod";
import { clientFor, isUnknown, type ProviderSettings, ResourceInitError } from "./common";
import { checkInputs, durationInput, idInput, parseDuration } from "./inputs";

type Props = Record<string, unknown>;

const DEFAULT_TIMEOUT_MS = 30 * 60_000; // the vendor says a restore takes 5 to 15 minutes

interface RestoreSpec {
  /** The source inputs (ids) with their rules, and those whose change means "restore again". */
  sourceInputs: z.ZodRawShape;
  replaceKeys: readonly string[];
  /** What is overwritten, for the acknowledgement message. */
  describeLoss(news: Props): string;
  start(client: VpsOrgClient, inputs: Props, sourceTimeoutMs: number): Promise<StartedRestore>;
  sourceOutputs(started: StartedRestore): Props;
}

function restoreResource(spec: RestoreSpec) {
  const inputKeys = [...Object.keys(spec.sourceInputs), "acknowledgeDataLoss", "triggers", "waitTimeout"];
  const schemaFor = (news: Props) =>
    z.object({
      ...spec.sourceInputs,
      acknowledgeDataLoss: z.literal(true, {
        error:
          `${spec.describeLoss(news)} overwrites ALL current data on the server and cannot be undone; the server is ` +
          `stopped while it runs. Set acknowledgeDataLoss: true to confirm that this data may be lost.`,
      }),
      triggers: z.array(z.unknown(), { error: 'triggers must be a list (e.g. ["2025-01-16 rollback"]).' }).nullish(),
      waitTimeout: durationInput("waitTimeout"),
    });
  const timeoutOf = (props: Props) =>
    (typeof props.waitTimeout === "string" && parseDuration(props.waitTimeout)) || DEFAULT_TIMEOUT_MS;
  /** The recorded outputs without the recorded inputs, so that new inputs are not overwritten by old ones. */
  const outputsOf = (props: Props) =>
    Object.fromEntries(Object.entries(props).filter(([key]) => !inputKeys.includes(key) && key !== "__provider"));
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
      return { inputs: news, failures: checkInputs(schemaFor(news), news) };
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
  sourceInputs: { snapshotId: idInput("snapshotId", "801", { acceptText: true }) },
  replaceKeys: ["snapshotId", "triggers"],
  describeLoss: (news) => `Restoring snapshot ${isUnknown(news.snapshotId) ? "(id known after up)" : news.snapshotId}`,
  start: (client, inputs, timeoutMs) => startSnapshotRestore(client, Number(inputs.snapshotId), timeoutMs),
  sourceOutputs: (started) => ({
    snapshotId: Number(started.snapshot?.id),
    snapshotName: started.snapshot?.name ?? null,
  }),
});

export const backupRestoreResource = restoreResource({
  // A backup id may be a Backup's `id` (text); a server id is a number, as for Backup and Snapshot.
  sourceInputs: {
    serverId: idInput("serverId", "12345"),
    backupId: idInput("backupId", "501", { acceptText: true }),
  },
  replaceKeys: ["serverId", "backupId", "triggers"],
  describeLoss: (news) =>
    `Restoring server ${isUnknown(news.serverId) ? "(known after up)" : news.serverId} from backup ${
      isUnknown(news.backupId) ? "(id known after up)" : news.backupId
    }`,
  start: (client, inputs, timeoutMs) =>
    startBackupRestore(client, Number(inputs.serverId), Number(inputs.backupId), timeoutMs),
  sourceOutputs: (started) => ({
    backupId: Number(started.backup?.id),
    backupType: started.backup?.backup_type ?? null,
    backupCreatedAt: started.backup?.created_at ?? null,
  }),
});

// restoreSnapshot and restoreBackup: a restore is a resource whose create IS the restore. It runs
// only in `pulumi up` (the engine never creates during preview), never on refresh (read sends no
// request) and never again while its inputs stay the same (diff says "no change"). A new
// snapshotId/backupId or new triggers replace it, which restores again; deleting it does nothing.
import { z } from "zod";
import type { VpsOrgClient } from "../client/client";
import { JobFailedError, NotFoundError } from "../client/errors";
import { explain } from "../core/messages";
import { RESTORE_DEFAULT_WAIT_MS } from "../kinds";
import { requireSameServer, serverStamp, visibleServer } from "../operations/proof";
import {
  type RestoreDeps,
  type StartedRestore,
  type StartOptions,
  startBackupRestore,
  startSnapshotRestore,
} from "../operations/restores";
import { waitForRestore } from "../wait/jobs";
import { type Call, say, waitOf, type Props, proofOf, type ResourceProvider } from "./call";
import { isUnknown, ResourceInitError } from "./engine";
import { accountInput, checkInputs, durationInput, idInput, waitTimeoutOf } from "./inputs";

interface RestoreSpec {
  /** The source inputs (ids) with their rules, and those whose change means "restore again". */
  sourceInputs: z.ZodRawShape;
  replaceKeys: readonly string[];
  /** What is overwritten, for the acknowledgement message. */
  describeLoss(news: Props): string;
  start(deps: RestoreDeps, client: VpsOrgClient, inputs: Props, options: StartOptions): Promise<StartedRestore>;
  sourceOutputs(started: StartedRestore): Props;
}

/** What starting and awaiting a restore depends on, from a call. */
const depsOf = (call: Call): RestoreDeps => ({
  poller: call.runtime.poller,
  restores: call.runtime.restores,
  reconcileMs: call.runtime.settings.reconcileMs,
});

function restoreResource(spec: RestoreSpec): ResourceProvider {
  const inputKeys = [
    ...Object.keys(spec.sourceInputs),
    "acknowledgeDataLoss",
    "triggers",
    "waitTimeout",
    "account",
    "__createTimeout",
    "__serverCreatedAt",
  ];
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
      account: accountInput,
    });
  const timeoutOf = (props: Props) => waitTimeoutOf(props, RESTORE_DEFAULT_WAIT_MS);
  /** The recorded outputs without the recorded inputs, so that new inputs are not overwritten by old ones. */
  const outputsOf = (props: Props) =>
    Object.fromEntries(Object.entries(props).filter(([key]) => !inputKeys.includes(key) && key !== "__provider"));
  /** Ids compare as text (an input may be "802" where the output is 802); triggers as JSON. */
  const sameValue = (a: unknown, b: unknown) =>
    Array.isArray(a) || Array.isArray(b)
      ? JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
      : String(a ?? "") === String(b ?? "");

  /** Why a recorded restore failed, for every later `up` until its triggers change. */
  const failureOf = (serverId: unknown, serverName: unknown, status: unknown) =>
    `The restore of server ${serverId}${serverName ? ` (${serverName})` : ""} failed: the server ended it with ` +
    `status "${status}". It was not retried, and this resource stays failed. Check the server in the VPS.org ` +
    `panel (or ask VPS.org support); to restore again, change \`triggers\`; to stop trying, remove the resource.`;

  async function waitAndRecord(call: Call, inputs: Props, id: string, outs: Props) {
    const serverId = Number(outs.serverId ?? inputs.serverId); // backup restores take it as an input
    const { client } = call.account;
    try {
      const server = await waitForRestore(call.runtime.poller, client, serverId, {
        timeoutMs: timeoutOf(inputs),
        ...waitOf(call),
      });
      call.runtime.restores.ended(client, serverId);
      return {
        id,
        outs: {
          ...inputs,
          ...outs,
          serverName: server.name ?? outs.serverName ?? null,
          serverStatus: server.status,
          outcome: "succeeded",
          finishedAt: new Date().toISOString(),
        },
      };
    } catch (error) {
      if (error instanceof JobFailedError) {
        // The server ended the restore badly (or is gone): recorded as failed, never a success later.
        call.runtime.restores.ended(client, serverId);
        const status = error.status ?? "gone";
        const message =
          error.status === undefined
            ? `${error.message} The restore cannot have succeeded; this resource stays failed. Remove it, or ` +
              `change \`triggers\` to restore again.`
            : failureOf(serverId, outs.serverName, status);
        throw new ResourceInitError(message, id, {
          ...inputs,
          ...outs,
          serverStatus: status,
          outcome: "failed",
          failure: message,
          finishedAt: new Date().toISOString(),
        });
      }
      // The restore has started: record it, so the next `up` waits for it instead of restoring again.
      const said = explain(error, { source: call.account.source, serverId });
      throw new ResourceInitError(
        `${said} The restore has started and is recorded; the next \`pulumi up\` waits for it ` +
          `again and does not restore a second time.`,
        id,
        { ...inputs, ...outs, outcome: "restoring" },
      );
    }
  }

  return {
    inputs: inputKeys.filter((key) => !key.startsWith("__")),
    held: () => [], // a restore holds no object: nothing of it can be adopted

    async check(_olds, news) {
      return { inputs: news, failures: checkInputs(schemaFor(news), news) };
    },

    async diff(_id, olds, news) {
      const replaces = spec.replaceKeys.filter((key) => isUnknown(news[key]) || !sameValue(olds[key], news[key]));
      const unfinished = olds.finishedAt == null; // a wait that timed out: resume it, do not restore again
      const failed = olds.outcome === "failed"; // say so again on every up, until the triggers change
      const updates = [
        ...(olds.waitTimeout !== news.waitTimeout ? ["waitTimeout"] : []),
        ...(unfinished || failed ? ["outcome"] : []),
      ];
      return { changes: replaces.length + updates.length > 0, replaces, updates, deleteBeforeReplace: false };
    },

    async create(news, call) {
      const { client } = call.account;
      const started = await spec.start(depsOf(call), client, news, {
        sourceTimeoutMs: timeoutOf(news),
        adoptRunning: true,
      });
      const id = `${started.server.id}-${Date.parse(started.startedAt)}`;
      // The server it restores, recorded: a later `up` resuming the wait must be looking at the same one.
      const server = await visibleServer(proofOf(call), started.server.id).catch(() => undefined);
      const inputs = { ...news, __serverCreatedAt: serverStamp(server) };
      const outs = {
        serverId: Number(started.server.id),
        serverName: started.server.name ?? null,
        serverStatus: started.server.status,
        message: started.message ?? null,
        startedAt: started.startedAt,
        outcome: "restoring",
        failure: null,
        finishedAt: null,
        ...spec.sourceOutputs(started),
      };
      return await waitAndRecord(call, inputs, id, outs);
    },

    /**
     * Refresh never restores and never asks the API: a restore is an event, not an object, so it is
     * never reported gone either.
     */
    async read(id, props) {
      return { id, props };
    },

    async update(id, olds, news, call) {
      const kept = olds.__serverCreatedAt !== undefined ? { __serverCreatedAt: olds.__serverCreatedAt } : {};
      if (olds.outcome === "failed") {
        // No request: a failed restore is retried only by a new trigger (which replaces this resource).
        const message = String(olds.failure ?? failureOf(olds.serverId, olds.serverName, olds.serverStatus));
        throw new ResourceInitError(message, id, { ...news, ...outputsOf(olds), ...kept });
      }
      if (olds.finishedAt != null) return { outs: { ...news, ...outputsOf(olds), ...kept } }; // only waitTimeout changed
      const { client, source } = call.account;
      const serverId = Number(olds.serverId ?? news.serverId);
      const seen = await client.servers.get(serverId).catch((error) => {
        if (error instanceof NotFoundError) return undefined; // the API's own 404: judged below
        throw error;
      });
      // A server another token or URL shows (or does not show) says nothing of this restore: no verdict.
      const recorded = olds.__serverCreatedAt as string | null | undefined;
      const what = `the restore of server ${serverId}`;
      const server = requireSameServer(source, `how ${what} went`, what, serverId, seen, recorded);
      if (server.status !== "restoring") {
        // It ended while no `up` was watching: VPS.org does not say how, so it is not called a success.
        say(
          call,
          `vpsorg: the restore of server ${serverId} ended while no \`pulumi up\` was watching; the server is ` +
            `"${server.status}". VPS.org does not record whether the restore succeeded: check the server.`,
        );
        return {
          outs: {
            ...news,
            ...outputsOf(olds),
            serverName: server.name ?? olds.serverName ?? null,
            serverStatus: server.status,
            outcome: "unobserved",
            finishedAt: new Date().toISOString(),
            ...kept,
          },
        };
      }
      const { outs } = await waitAndRecord(call, { ...news, ...kept }, id, outputsOf(olds));
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
  start: (deps, client, inputs, options) => startSnapshotRestore(deps, client, Number(inputs.snapshotId), options),
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
  start: (deps, client, inputs, options) =>
    startBackupRestore(deps, client, Number(inputs.serverId), Number(inputs.backupId), options),
  sourceOutputs: (started) => ({
    backupId: Number(started.backup?.id),
    backupType: started.backup?.backup_type ?? null,
    backupCreatedAt: started.backup?.created_at ?? null,
  }),
});

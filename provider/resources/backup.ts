// The Backup resource's specifics: a manual backup, 10 per server, and how it looks in the state.
import { z } from "zod";
import type { VpsOrgClient } from "../client/client";
import type { Backup, Id } from "../client/types";
import { sameText, unlessGone } from "./common";
import { backupFields } from "./fields";
import { withoutMarker } from "./identity";
import { accountInput, durationInput, idInput, optionalText } from "./inputs";
import { listOnServer } from "../wait/reads";
import { jobResource } from "./job-resource";

/** What a Backup resource and a BackupHistory share: the server's limit, the wait, list and delete. */
export const backupKind = {
  kind: "backup" as const,
  limit: 10,
  limitNoun: "manual backups",
  defaultTimeoutMs: 60 * 60_000,
  // Coalesced: a refresh of many resources, or many creates looking first, share one list.
  list: (client: VpsOrgClient, serverId: number) => listOnServer(client, "backup", serverId),
  remove: (client: VpsOrgClient, id: Id) => unlessGone(client.backups.delete(id)),
  countsTowardLimit: (item: Backup) => item.backup_type === "manual",
};

export const backupResource = jobResource<Backup>({
  ...backupKind,
  inputs: z.object({
    serverId: idInput("serverId", "12345"),
    description: optionalText("description"),
    waitTimeout: durationInput("waitTimeout"),
    adoptId: idInput("adoptId", "501", { acceptText: true }).nullish(),
    account: accountInput,
  }),
  replaceKeys: ["serverId", "description", "adoptId", "account"],
  identityKeys: ["serverId", "description"],
  checkMore: (_olds, news) => ({ ...news }),
  post: (client, inputs, description) => client.backups.create({ serverId: Number(inputs.serverId), description }),
  adoptProblem(item, inputs) {
    if (inputs.description != null && !sameText(inputs.description, withoutMarker(item.description))) {
      return `backup ${item.id} has the description ${JSON.stringify(item.description ?? "")}; remove description or make it match.`;
    }
    return undefined;
  },
  outputs: backupFields,
});

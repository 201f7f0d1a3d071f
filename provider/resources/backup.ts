// The Backup resource's specifics: a manual backup, 10 per server, and how it looks in the state.
import { z } from "zod";
import type { Backup } from "../client/types";
import { sameText, unlessGone } from "./common";
import { backupFields } from "./fields";
import { withoutMarker } from "./identity";
import { accountInput, durationInput, idInput, optionalText } from "./inputs";
import { listOnServer } from "../wait/reads";
import { jobResource } from "./job-resource";

export const backupResource = jobResource<Backup>({
  kind: "backup",
  inputs: z.object({
    serverId: idInput("serverId", "12345"),
    description: optionalText("description"),
    waitTimeout: durationInput("waitTimeout"),
    adoptId: idInput("adoptId", "501", { acceptText: true }).nullish(),
    account: accountInput,
  }),
  replaceKeys: ["serverId", "description", "adoptId", "account"],
  identityKeys: ["serverId", "description"],
  limit: 10,
  limitNoun: "manual backups",
  defaultTimeoutMs: 60 * 60_000,
  checkMore: (_olds, news) => ({ ...news }),
  post: (client, inputs, description) => client.backups.create({ serverId: Number(inputs.serverId), description }),
  // Coalesced: a refresh of many resources, or many creates looking first, share one list.
  list: (client, serverId) => listOnServer(client, "backup", serverId),
  remove: (client, id) => unlessGone(client.backups.delete(id)),
  countsTowardLimit: (item) => item.backup_type === "manual",
  adoptProblem(item, inputs) {
    if (inputs.description != null && !sameText(inputs.description, withoutMarker(item.description))) {
      return `backup ${item.id} has the description ${JSON.stringify(item.description ?? "")}; remove description or make it match.`;
    }
    return undefined;
  },
  outputs: backupFields,
});

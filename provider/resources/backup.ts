// The Backup resource's specifics: a manual backup, 10 per server, and how it looks in the state.
import { z } from "zod";
import type { Backup } from "../client/types";
import { withoutMarker } from "../core/markers";
import { BACKUPS } from "../kinds";
import { sameText } from "./engine";
import { accountInput, durationInput, idInput, optionalText } from "./inputs";
import { jobResource } from "./job-resource";

export const backupResource = jobResource<Backup>({
  kind: BACKUPS,
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
});

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
    if (item.backup_type !== "manual") {
      // VPS.org makes and expires automatic backups on its own schedule: managing one would let a
      // destroy delete it. Restore from it (BackupRestore, restoreBackup) or look it up (getBackup).
      return `backup ${item.id} is an automatic backup; only manual backups can be managed. Restore from it with BackupRestore or find it with getBackup.`;
    }
    if (inputs.description != null && !sameText(inputs.description, withoutMarker(item.description))) {
      return `backup ${item.id} has the description ${JSON.stringify(item.description ?? "")}; remove description or make it match.`;
    }
    return undefined;
  },
});

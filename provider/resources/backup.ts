// The Backup resource's specifics: a manual backup, 10 per server, and how it looks in the state.
import { z } from "zod";
import type { Backup } from "../client/schemas";
import { sameText } from "./common";
import { backupFields } from "./fields";
import { durationInput, idInput, optionalText } from "./inputs";
import { jobResource } from "./job-resource";

export const backupResource = jobResource<Backup>({
  kind: "backup",
  inputs: z.object({
    serverId: idInput("serverId", "12345"),
    description: optionalText("description"),
    waitTimeout: durationInput("waitTimeout"),
    adoptId: idInput("adoptId", "501", { acceptText: true }).nullish(),
  }),
  replaceKeys: ["serverId", "description", "adoptId"],
  limit: 10,
  limitNoun: "manual backups",
  defaultTimeoutMs: 60 * 60_000,
  checkMore: (_olds, news) => ({ ...news }),
  post: (client, inputs) =>
    client.backups.create({
      serverId: Number(inputs.serverId),
      description: (inputs.description as string | undefined) ?? null,
    }),
  list: (client, serverId) => client.backups.list({ serverId }),
  countsTowardLimit: (item) => item.backup_type === "manual",
  // No name to match by: a manual backup that was not there before the POST, with our description.
  findCreated: (items, inputs, before) =>
    items.find(
      (item) =>
        !before.has(String(item.id)) && item.backup_type === "manual" && sameText(item.description, inputs.description),
    ),
  adoptProblem(item, inputs) {
    if (inputs.description != null && !sameText(inputs.description, item.description)) {
      return `backup ${item.id} has the description ${JSON.stringify(item.description ?? "")}; remove description or make it match.`;
    }
    return undefined;
  },
  outputs: backupFields,
});

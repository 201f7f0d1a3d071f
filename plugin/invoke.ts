// The plugin's functions (Invoke): the same lookups as the sdk's (provider/lookups.ts), with the
// account named by the optional `account` argument and read from the provider's configuration.
import { callFor } from "../provider/adapter";
import type { ProviderSettings } from "../provider/core/accounts";
import { explain } from "../provider/core/messages";
import { LOOKUPS, type LookupName } from "../provider/lookups";
import type { Runtime } from "../provider/runtime";
import type { Props } from "./values";

/** The schema's function tokens and the lookups they are. */
export const FUNCTIONS: Record<string, LookupName> = {
  "vpsorg:index:getSnapshots": "getSnapshots",
  "vpsorg:index:getSnapshot": "getSnapshot",
  "vpsorg:index:getBackups": "getBackups",
  "vpsorg:index:getBackup": "getBackup",
};

export type InvokeAnswer = { result: Props } | { failure: { property: string; reason: string } };

export interface Invokes {
  invoke(token: string, args: Props): Promise<InvokeAnswer>;
}

export function invokes(runtime: Runtime, settings: () => ProviderSettings | undefined): Invokes {
  return {
    async invoke(token, given) {
      // An argument given as null is one not given (the languages' SDKs send null for None/nil).
      const { account, ...args } = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null));
      const name = FUNCTIONS[token];
      if (!name) {
        return {
          failure: {
            property: "",
            reason: `vpsorg has no function ${token} (known: ${Object.keys(FUNCTIONS).join(", ")}).`,
          },
        };
      }
      // Lookups need no identity: they make nothing.
      const call = callFor(runtime, { settings: settings(), identity: {} }, { account });
      const lookup = LOOKUPS[name] as (account: { client: unknown; source: unknown }, args: Props) => Promise<unknown>;
      try {
        return { result: (await lookup({ client: call.account.client, source: call.account.source }, args)) as Props };
      } catch (error) {
        throw new Error(explain(error, { source: call.account.source }));
      }
    },
  };
}

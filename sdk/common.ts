// What every resource class here passes besides its own inputs. It loads no HTTP client.
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_NAME, ACCOUNT_NAME_RULE } from "../provider/core/accounts";

/**
 * A VPS.org account other than the default one, for stacks that manage more than one. Its token is
 * never an input (so it is never in the state): the provider reads it from the stack config
 * `vpsorg:accounts.<name>.apiToken` (set it with `pulumi config set --secret --path
 * vpsorg:accounts.<name>.apiToken vps_...`) or from `VPS_API_TOKEN_<NAME>`; the URL likewise from
 * `vpsorg:accounts.<name>.apiUrl` or `VPS_API_URL_<NAME>`, else the default account's URL.
 */
export class Account {
  constructor(readonly name: string) {
    if (!ACCOUNT_NAME.test(name)) {
      throw new Error(`Account name must be ${ACCOUNT_NAME_RULE}, got ${JSON.stringify(name)}.`);
    }
  }
}

/** An Account, or its name. */
export type AccountRef = Account | string;

export const accountName = (account: AccountRef | undefined): string | undefined =>
  account instanceof Account ? account.name : account;

/** The Pulumi organization of the stack ("organization" on local backends); "" where none is known. */
function organization(): string {
  try {
    return pulumi.getOrganization();
  } catch {
    return "";
  }
}

/**
 * A resource's account and its wait timeout: `waitTimeout` if given, else the `create` of Pulumi's
 * `customTimeouts` (which never reaches a dynamic provider itself, so it is passed on as
 * `__createTimeout`).
 */
export function waitAndAccount(
  args: { waitTimeout?: pulumi.Input<string>; account?: AccountRef },
  opts: pulumi.CustomResourceOptions | undefined,
) {
  return {
    waitTimeout: args.waitTimeout,
    __createTimeout: opts?.customTimeouts?.create,
    account: accountName(args.account),
  };
}

/** The inputs that identify a resource across processes, and waitAndAccount's. */
export function commonInputs(
  name: string,
  type: string,
  args: { waitTimeout?: pulumi.Input<string>; account?: AccountRef },
  opts: pulumi.CustomResourceOptions | undefined,
) {
  return {
    __resourceName: name,
    // The provider host is never told the URN; a create retried after a killed run needs it.
    __urn: pulumi.createUrn(name, `pulumi-nodejs:dynamic/vpsorg:${type}`, opts?.parent),
    __org: organization(),
    ...waitAndAccount(args, opts),
  };
}

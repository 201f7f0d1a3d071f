// One emulator, one real provider host and one MiniEngine per test file, configured the way
// `pulumi config set --secret vpsorg:apiToken` would.
import { join } from "node:path";
import { runtime } from "@pulumi/pulumi";
import { MiniEngine } from "../harness/engine";
import { programFrom } from "../harness/load-program";
import { type Props, ProviderHost, secret } from "../harness/provider-host";
import { TOKEN_A, useEmulator } from "./emulator";

/** Where the host runs: this repo's root, whose node_modules links `pulumi-vpsorg` to itself. */
export const PROGRAM_DIR = join(__dirname, "..", "..");

export interface HostOptions {
  /** Where the host runs: its node_modules decide which pulumi-vpsorg it loads. */
  cwd?: string;
  /** Added to (or replacing) the host's environment, e.g. other poll intervals or VPSORG_LOG. */
  env?: NodeJS.ProcessEnv;
  /** More stack config, beside the token and URL. */
  config?: Props;
}

/**
 * A real provider host, configured with TOKEN_A (as a secret) and `url` the way `pulumi up` does.
 * The caller stops it; if configure fails it is stopped here, as nobody else holds it.
 */
export async function startHost(
  url: string,
  { cwd = PROGRAM_DIR, env = {}, config = {} }: HostOptions = {},
): Promise<ProviderHost> {
  // No VPS_API_* in the host's environment: the token must come through configure.
  const { VPS_API_TOKEN: _t, VPS_API_URL: _u, ...inherited } = process.env;
  const host = await ProviderHost.start({
    cwd,
    env: { ...inherited, VPSORG_POLL_MIN_MS: "40", VPSORG_POLL_MAX_MS: "150", ...env },
  });
  try {
    await host.configure({ "vpsorg:apiToken": secret(TOKEN_A), "vpsorg:apiUrl": url, ...config });
  } catch (error) {
    await host.stop();
    throw error;
  }
  return host;
}

export function useStack() {
  const emu = useEmulator({ snapshotDurationMs: 200, backupDurationMs: 200, restoreDurationMs: 300 });
  const ctx = emu as typeof emu & { host: ProviderHost; engine: MiniEngine };
  beforeAll(async () => {
    ctx.host = await startHost(emu.url);
    setProgramConfig(TOKEN_A, emu.url); // the program's own lookups read the same stack config
  });
  beforeEach(() => {
    ctx.engine = new MiniEngine(ctx.host);
  });
  afterAll(async () => {
    await ctx.host?.stop();
  });
  return ctx;
}

/** The stack config as the program process sees it (what lookups read). */
export function setProgramConfig(token: string, url: string): void {
  runtime.setConfig("vpsorg:apiToken", token);
  runtime.setConfig("vpsorg:apiUrl", url);
}

/** One key of the program's own config: programs read it as `<project>:<key>`; the harness's project is "vpsorg". */
export function programConfig(key: string, value: string): void {
  runtime.setConfig(`vpsorg:${key}`, value);
}

/** A program from examples/, as the harness runs it. */
export const example = (name: string) => programFrom(join(PROGRAM_DIR, "examples", name, "index.ts"));

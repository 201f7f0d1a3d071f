// One emulator, one real provider host and one MiniEngine per test file, configured the way
// `pulumi config set --secret vpsorg:apiToken` would.
import { join } from "node:path";
import { runtime } from "@pulumi/pulumi";
import { MiniEngine } from "../harness/engine";
import { ProviderHost, secret } from "../harness/provider-host";
import { TOKEN_A, useEmulator } from "./emulator";

/** Where the host runs: this repo's root, whose node_modules links `pulumi-vpsorg` to itself. */
export const PROGRAM_DIR = join(__dirname, "..", "..");

export function useStack() {
  const emu = useEmulator({ snapshotDurationMs: 200, backupDurationMs: 200, restoreDurationMs: 300 });
  const ctx = emu as typeof emu & { host: ProviderHost; engine: MiniEngine };
  beforeAll(async () => {
    // No VPS_API_* in the host's environment: the token must come through configure.
    const { VPS_API_TOKEN: _t, VPS_API_URL: _u, ...env } = process.env;
    ctx.host = await ProviderHost.start({
      cwd: PROGRAM_DIR,
      env: { ...env, VPSORG_POLL_MIN_MS: "40", VPSORG_POLL_MAX_MS: "150" },
    });
    await ctx.host.configure({ "vpsorg:apiToken": secret(TOKEN_A), "vpsorg:apiUrl": emu.url });
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

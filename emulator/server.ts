// Starts the emulator on a real port: the package's entry (index.ts), typed without fastify's or
// zod's types (see app.ts).
import { API_PREFIX } from "./api-routes";
import { buildEmulatorApp } from "./app";
import { CONTROL_PREFIX } from "./control-routes";
import type { Emulator, EmulatorOptions } from "./types";

/** Starts the emulator on a real port. `close()` stops it. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { app, state } = buildEmulatorApp(options);
  const host = options.host ?? "127.0.0.1";
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 0);
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}${API_PREFIX}`,
    controlUrl: `${origin}${CONTROL_PREFIX}`,
    port,
    state,
    close: async () => {
      await app.close();
    },
  };
}

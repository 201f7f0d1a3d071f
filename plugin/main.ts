// pulumi-resource-vpsorg: the resource plugin's entry. The engine starts it as
// `pulumi-resource-vpsorg [--logtostderr] [-v=N] [--tracing ENDPOINT] <engine address>` in the
// user's program folder; it answers on a free loopback port, printed as its first stdout line, and
// stops on SIGINT or SIGTERM. It finds nothing through the working folder: everything it runs is
// inside it (a single executable, or the bundle next to its launcher).
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { createRuntime } from "../provider/runtime";
import { EngineLog } from "./engine-log";
import { pluginService } from "./service";

/** The engine's address: the last argument that is not one of the engine's logging flags. */
export function engineAddressOf(argv: readonly string[]): string | undefined {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--tracing") i++;
    else if (argv[i] === "--logtostderr" || /^-v=\d+$/.test(argv[i])) continue;
    else rest.push(argv[i]);
  }
  return rest.at(-1);
}

/** Serves the protocol until the engine stops the plugin. */
export async function main(): Promise<void> {
  const log = new EngineLog(engineAddressOf(process.argv.slice(2)));
  const runtime = createRuntime({ write: log.write, userAgent: "plugin" });
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(ResourceProviderService, pluginService(runtime));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const stop = () => {
    server.forceShutdown();
    void log.close().then(() => process.exit(0)); // the lines already written reach the engine first
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.stdout.write(`${port}\n`); // the engine reads this line, and nothing before it
}

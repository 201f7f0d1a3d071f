// Lines for the user go through the engine's log (Engine.Log), with the URN of the resource they
// are about, so that Pulumi shows them beside it. A wait's progress is sent as ephemeral: Pulumi
// shows it in the resource's status while it stands and does not keep it among the diagnostics.
// Without an engine to talk to, lines go to stderr: the engine keeps a plugin's stderr in its own
// logs (shown with `pulumi -v=9 --logtostderr` or `--logflow`), and prints it if the plugin dies.
import * as grpc from "@grpc/grpc-js";
import { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";

export class EngineLog {
  readonly #client: EngineClient | undefined;
  #pending = 0;
  #drained: Array<() => void> = [];

  constructor(engineAddress: string | undefined) {
    this.#client = engineAddress ? new EngineClient(engineAddress, grpc.credentials.createInsecure()) : undefined;
  }

  /** Writes one line, beside `urn` when given; never throws, never waits. */
  write = (line: string, urn?: string, passing = false): void => {
    if (!this.#client) return void process.stderr.write(`${line}\n`);
    const request = new LogRequest();
    request.setSeverity(LogSeverity.INFO);
    request.setMessage(line);
    request.setEphemeral(passing);
    if (urn) request.setUrn(urn);
    this.#pending++;
    this.#client.log(request, (error) => {
      if (error) process.stderr.write(`${line}\n`); // the engine is gone: the line still reaches its logs
      if (--this.#pending === 0) for (const done of this.#drained.splice(0)) done();
    });
  };

  /** Sends what is still on its way (at most `timeoutMs`), then closes the connection. */
  async close(timeoutMs = 1000): Promise<void> {
    if (this.#pending > 0) {
      await new Promise<void>((resolve) => {
        this.#drained.push(resolve);
        setTimeout(resolve, timeoutMs).unref();
      });
    }
    this.#client?.close();
  }
}

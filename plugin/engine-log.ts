// Lines for the user go through the engine's log (Engine.Log), with the URN of the resource they
// are about, so that Pulumi shows them beside it. Without an engine to talk to, they go to stderr,
// which the engine forwards to its own logs.
import * as grpc from "@grpc/grpc-js";
import { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";

export class EngineLog {
  readonly #client: EngineClient | undefined;

  constructor(engineAddress: string | undefined) {
    this.#client = engineAddress ? new EngineClient(engineAddress, grpc.credentials.createInsecure()) : undefined;
  }

  /** Writes one line, beside `urn` when given; never throws, never waits. */
  write = (line: string, urn?: string): void => {
    if (!this.#client) return void process.stderr.write(`${line}\n`);
    const request = new LogRequest();
    request.setSeverity(LogSeverity.INFO);
    request.setMessage(line);
    if (urn) request.setUrn(urn);
    this.#client.log(request, (error) => {
      if (error) process.stderr.write(`${line}\n`); // the engine is gone: the line still reaches the user's logs
    });
  };

  close(): void {
    this.#client?.close();
  }
}

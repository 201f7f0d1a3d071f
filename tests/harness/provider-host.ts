// Spawns the real dynamic-provider host that ships in @pulumi/pulumi and speaks to it over gRPC,
// exactly as the Pulumi engine does during `pulumi up`, `refresh` and `destroy`.
import { type ChildProcess, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";

// The generated protobuf code of @pulumi/pulumi, loaded from the copy the program uses.
const pulumiDir = require.resolve("@pulumi/pulumi/package.json").replace(/package\.json$/, "");
const provrpc = require(`${pulumiDir}proto/provider_grpc_pb`);
const provproto = require(`${pulumiDir}proto/provider_pb`);
const statusproto = require(`${pulumiDir}proto/status_pb`);
const structproto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));

export type Props = Record<string, unknown>;

/** The engine's wire form of a secret value (what `pulumi config set --secret` sends). */
export const secret = (value: unknown) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

/** A create or update that failed after the object existed: the engine records `id` and `properties`. */
export class InitFailure extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

export interface CheckResult {
  inputs: Props;
  failures: Array<{ property: string; reason: string }>;
}

export interface DiffResult {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: InstanceType<typeof provrpc.ResourceProviderClient>,
    readonly stderr: string[],
    /** Everything the host wrote to stdout (its port first), to check that nothing secret is printed. */
    readonly stdout: string[] = [],
  ) {}

  /** Starts the host in `cwd` (the Pulumi program's directory, where `pulumi-vpsorg` resolves). */
  static async start(options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ProviderHost> {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr: string[] = [];
    const stdout: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^(\d+)\s*$/m.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.on("exit", (code) => reject(new Error(`provider host exited with ${code}: ${stderr.join("")}`)));
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, stderr, stdout);
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      this.child.kill();
      await exited;
    }
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[method](request, (error: grpc.ServiceError | null, response: T) => {
        if (error) reject(toError(error));
        else resolve(response);
      });
    });
  }

  /** Configure: the stack's whole config, keys namespaced (`vpsorg:apiToken`), secrets wrapped. */
  async configure(config: Props): Promise<void> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(structproto.Struct.fromJavaScript(config));
    req.setAcceptsecrets(true);
    await this.call("configure", req);
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(structproto.Struct.fromJavaScript(olds));
    req.setNews(structproto.Struct.fromJavaScript(news));
    const resp = await this.call<{
      getInputs(): { toJavaScript(): Props };
      getFailuresList(): Array<{ getProperty(): string; getReason(): string }>;
    }>("check", req);
    return {
      inputs: resp.getInputs().toJavaScript(),
      failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffResult> {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(structproto.Struct.fromJavaScript(olds));
    req.setNews(structproto.Struct.fromJavaScript(news));
    const resp = await this.call<{
      getChanges(): number;
      getReplacesList(): string[];
      getDeletebeforereplace(): boolean;
    }>("diff", req);
    const changes = { 0: "unknown", 1: "none", 2: "some" }[resp.getChanges()] as DiffResult["changes"];
    return { changes, replaces: resp.getReplacesList(), deleteBeforeReplace: resp.getDeletebeforereplace() };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; outputs: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(structproto.Struct.fromJavaScript(properties));
    const resp = await this.call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>("create", req);
    return { id: resp.getId(), outputs: resp.getProperties().toJavaScript() };
  }

  async read(id: string, urn: string, properties: Props): Promise<{ id: string; outputs: Props }> {
    const req = new provproto.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(structproto.Struct.fromJavaScript(properties));
    const resp = await this.call<{ getId(): string; getProperties(): { toJavaScript(): Props } | undefined }>(
      "read",
      req,
    );
    return { id: resp.getId(), outputs: resp.getProperties()?.toJavaScript() ?? {} };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<{ outputs: Props }> {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(structproto.Struct.fromJavaScript(olds));
    req.setNews(structproto.Struct.fromJavaScript(news));
    const resp = await this.call<{ getProperties(): { toJavaScript(): Props } }>("update", req);
    return { outputs: resp.getProperties().toJavaScript() };
  }

  async delete(id: string, urn: string, properties: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(structproto.Struct.fromJavaScript(properties));
    await this.call("delete", req);
  }
}

/**
 * The ErrorResourceInitFailed detail a provider (a dynamic-provider host, or the resource plugin)
 * sends for a partial failure, unpacked as the engine does; undefined for any other error.
 */
export function initFailedDetail(
  error: grpc.ServiceError,
): { id: string; properties: Props; reasons: string[] } | undefined {
  const raw = error.metadata?.get("grpc-status-details-bin")?.[0];
  if (!raw) return undefined;
  const status = statusproto.Status.deserializeBinary(new Uint8Array(raw as Buffer));
  for (const any of status.getDetailsList()) {
    if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
    const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
    return {
      id: detail.getId(),
      properties: detail.getProperties()?.toJavaScript() ?? {},
      reasons: detail.getReasonsList(),
    };
  }
  return undefined;
}

/** The host's error as the engine reads it: an InitFailure for a partial failure. */
function toError(error: grpc.ServiceError): Error {
  const detail = initFailedDetail(error);
  const message = error.details || error.message;
  return detail ? new InitFailure(message, detail.id, detail.properties, detail.reasons) : new Error(message);
}

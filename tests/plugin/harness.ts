// The resource plugin as the Pulumi engine runs it: its tarball (npm run build:plugin) unpacked as
// `pulumi plugin install` unpacks it, its executable started with the engine's address in the
// user's program folder (not its own), its port read from its first stdout line; and a small
// stand-in for the engine's Engine service that records the Log calls the plugin makes.
import { type ChildProcess, spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import type { LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { initFailedDetail, secret } from "../harness/provider-host";

const REPO = join(__dirname, "..", "..");
export const PLUGIN_DIR = join(REPO, "dist-plugin");
/** The plugin's version, as its package says. */
export const VERSION = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version as string;
export type Props = Record<string, unknown>;
/** The engine's wire form of a secret, as the dynamic-provider harness writes it. */
export { secret };

export const urnOf = (type: string, name: string) => `urn:pulumi:dev::vpsorg-test::${type}::${name}`;

/** The newest change to what the plugin is built from. */
function newestSource(): number {
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
        entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
      ),
    );
  return Math.max(newest(join(REPO, "plugin")), newest(join(REPO, "provider")));
}

/**
 * The tarball npm run build:plugin made for this machine; a test run without it, or with one older
 * than the sources, says what to run (tests of a stale plugin would test something else).
 */
export function pluginTarball(): string {
  const name = `pulumi-resource-vpsorg-v${VERSION}-linux-amd64.tar.gz`;
  const tarball = join(PLUGIN_DIR, name);
  if (!existsSync(tarball)) throw new Error(`no ${name} in ${PLUGIN_DIR}: run \`npm run build:plugin\` first`);
  if (statSync(tarball).mtimeMs < newestSource()) {
    throw new Error(`${tarball} is older than plugin/ or provider/: run \`npm run build:plugin\` again`);
  }
  return tarball;
}

/**
 * Unpacks the tarball flat into a folder of its own, as the plugin cache holds it; returns the
 * executable. The folder goes when the test file ends.
 */
export function installPlugin(): string {
  const dir = mkdtempSync(join(tmpdir(), "resource-vpsorg-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync("tar", ["-xzf", pluginTarball(), "-C", dir]);
  return join(dir, "pulumi-resource-vpsorg");
}

/**
 * The plugin processes of one test file, each started as the engine starts it, in a program folder
 * of their own, beside one fake engine; stopped after each test, when no token may appear in
 * anything they wrote or answered, nor in the engine's log.
 */
export function usePlugins(options: { tokens: string[]; env?: NodeJS.ProcessEnv }) {
  const executable = installPlugin();
  const plugins: Plugin[] = [];
  const ctx = {
    engine: undefined as unknown as FakeEngine,
    /** The user's program folder: empty, and not the plugin's. */
    programDir: "",
    start: async (env: NodeJS.ProcessEnv = {}) => {
      const plugin = await Plugin.start(executable, ctx.engine, {
        cwd: ctx.programDir,
        env: { ...options.env, ...env },
      });
      plugins.push(plugin);
      return plugin;
    },
  };
  const stopAll = async () => {
    for (const plugin of plugins.splice(0)) {
      for (const token of options.tokens) expect(plugin.output()).not.toContain(token);
      await plugin.stop();
    }
    for (const token of options.tokens) expect(JSON.stringify(ctx.engine.logs)).not.toContain(token);
  };
  beforeAll(async () => {
    ctx.engine = await FakeEngine.start();
    ctx.programDir = mkdtempSync(join(tmpdir(), "vpsorg-program-"));
  });
  afterEach(stopAll);
  afterAll(async () => {
    await stopAll();
    await ctx.engine?.stop();
    rmSync(ctx.programDir, { recursive: true, force: true });
  });
  return ctx;
}

/** The engine's Engine service, as much as a provider uses: Log, recorded. */
export class FakeEngine {
  logs: Array<{ severity: number; message: string; urn: string }> = [];
  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
  ) {}

  static async start(): Promise<FakeEngine> {
    const server = new grpc.Server();
    const logs: FakeEngine["logs"] = [];
    server.addService(EngineService, {
      log: (call: grpc.ServerUnaryCall<LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
        const request = call.request;
        logs.push({ severity: request.getSeverity(), message: request.getMessage(), urn: request.getUrn() });
        callback(null, new Empty());
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    const engine = new FakeEngine(server, `127.0.0.1:${port}`);
    engine.logs = logs;
    return engine;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}

/** A gRPC error of the plugin: its message, and the id and properties of a partial failure. */
export class PluginError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly id?: string,
    readonly properties?: Props,
  ) {
    super(message);
  }
}

function pluginError(error: grpc.ServiceError): PluginError {
  const detail = initFailedDetail(error);
  return new PluginError(error.details || error.message, error.code, detail?.id, detail?.properties);
}

/** The plugin process, started as the engine starts it, and a client of its protocol. */
export class Plugin {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  /** Every answer and error the plugin gave, as text: for "no token in any response". */
  readonly answers: string[] = [];
  /** The inputs the last CheckConfig answered. */
  checkedConfig: Props = {};
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    /** How long the executable took to print its port. */
    readonly startMs: number,
  ) {}

  /** `executable <engine address>` in `cwd` (the user's program folder), with the engine's logging flags. */
  static async start(executable: string, engine: FakeEngine, options: { cwd: string; env?: NodeJS.ProcessEnv }) {
    const started = Date.now();
    const { VPS_API_TOKEN: _t, VPS_API_URL: _u, ...inherited } = process.env;
    const child = spawn(executable, ["--logtostderr", "-v=3", engine.address], {
      cwd: options.cwd,
      env: { ...inherited, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: string[] = [];
    const err: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.on("data", () => {
        const first = out.join("").split("\n");
        if (first.length > 1) resolve(Number(first[0].trim()));
      });
      child.on("exit", (code) => reject(new Error(`the plugin exited with ${code} before its port: ${err.join("")}`)));
    });
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const plugin = new Plugin(child, client, Date.now() - started);
    plugin.stdout.push(...out);
    child.stdout?.on("data", (chunk: Buffer) => plugin.stdout.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => plugin.stderr.push(chunk.toString()));
    return plugin;
  }

  /** Stops it as the engine does (SIGINT); `kill` instead: SIGKILL, a host that dies mid-call. */
  async stop(signal: NodeJS.Signals = "SIGINT"): Promise<number | null> {
    this.client.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    this.child.kill(signal);
    return await exited;
  }

  private call<Req, Res>(method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      (this.client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[
        method
      ](request, (error, response) => {
        if (error) {
          const failed = pluginError(error);
          this.answers.push(`${failed.message} ${JSON.stringify(failed.properties ?? {})}`);
          reject(failed);
        } else {
          const message = response as { toObject?: () => unknown };
          this.answers.push(JSON.stringify(message?.toObject?.() ?? null));
          resolve(response);
        }
      });
    });
  }

  getPluginInfo = async () =>
    (await this.call<Empty, { getVersion(): string }>("getPluginInfo", new Empty())).getVersion();

  getSchema = async () => {
    const response = await this.call<pb.GetSchemaRequest, pb.GetSchemaResponse>("getSchema", new pb.GetSchemaRequest());
    return JSON.parse(response.getSchema());
  };

  handshake = async () => {
    const request = new pb.ProviderHandshakeRequest();
    request.setEngineAddress("127.0.0.1:1");
    return await this.call<pb.ProviderHandshakeRequest, pb.ProviderHandshakeResponse>("handshake", request);
  };

  /** CheckConfig of the provider named `provider` (the default one's name carries its version). */
  checkConfig = async (news: Props, provider = `default_${VERSION.replace(/\./g, "_")}`) => {
    const request = new pb.CheckRequest();
    request.setUrn(urnOf("pulumi:providers:vpsorg", provider));
    request.setNews(Struct.fromJavaScript(news as never));
    request.setOlds(Struct.fromJavaScript({}));
    const response = await this.call<pb.CheckRequest, pb.CheckResponse>("checkConfig", request);
    // Its inputs are the configuration, token included (as a secret): the engine keeps them as the
    // provider's. Only its failures count as what it says.
    this.answers.pop();
    this.answers.push(JSON.stringify(failures(response)));
    this.checkedConfig = response.getInputs()?.toJavaScript() ?? {};
    return failures(response);
  };

  diffConfig = async (olds: Props, news: Props) => {
    const request = new pb.DiffRequest();
    request.setOlds(Struct.fromJavaScript(olds as never));
    request.setNews(Struct.fromJavaScript(news as never));
    const response = await this.call<pb.DiffRequest, pb.DiffResponse>("diffConfig", request);
    return { changes: response.getChanges(), diffs: response.getDiffsList(), replaces: response.getReplacesList() };
  };

  /** Configure as the engine sends it: the provider's config as args, secrets wrapped. */
  configure = async (args: Props) => {
    const request = new pb.ConfigureRequest();
    request.setArgs(Struct.fromJavaScript(args as never));
    request.setAcceptsecrets(true);
    request.setAcceptresources(true);
    await this.call("configure", request);
  };

  /** Configure as an engine that sends only the legacy `variables` map sends it. */
  configureVariables = async (variables: Record<string, string>) => {
    const request = new pb.ConfigureRequest();
    for (const [key, value] of Object.entries(variables)) request.getVariablesMap().set(key, value);
    await this.call("configure", request);
  };

  check = async (type: string, name: string, news: Props, olds: Props = {}) => {
    const request = new pb.CheckRequest();
    aim(request, type, name);
    request.setOlds(Struct.fromJavaScript(olds as never));
    request.setNews(Struct.fromJavaScript(news as never));
    const response = await this.call<pb.CheckRequest, pb.CheckResponse>("check", request);
    return { inputs: response.getInputs()?.toJavaScript() ?? {}, failures: failures(response) };
  };

  diff = async (type: string, name: string, id: string, olds: Props, news: Props) => {
    const request = new pb.DiffRequest();
    aim(request, type, name);
    request.setId(id);
    request.setOlds(Struct.fromJavaScript(olds as never));
    request.setNews(Struct.fromJavaScript(news as never));
    const response = await this.call<pb.DiffRequest, pb.DiffResponse>("diff", request);
    const detailed = Object.fromEntries(
      [...response.getDetaileddiffMap().entries()].map(([key, d]) => [key, d.getKind()]),
    );
    return {
      changes: response.getChanges(),
      replaces: response.getReplacesList(),
      diffs: response.getDiffsList(),
      detailed,
      hasDetailed: response.getHasdetaileddiff(),
    };
  };

  create = async (
    type: string,
    name: string,
    properties: Props,
    options: { preview?: boolean; timeout?: number } = {},
  ) => {
    const request = new pb.CreateRequest();
    aim(request, type, name);
    request.setProperties(Struct.fromJavaScript(properties as never));
    request.setPreview(options.preview ?? false);
    request.setTimeout(options.timeout ?? 0);
    const response = await this.call<pb.CreateRequest, pb.CreateResponse>("create", request);
    return { id: response.getId(), outputs: response.getProperties()?.toJavaScript() ?? {} };
  };

  read = async (type: string, name: string, id: string, properties: Props) => {
    const request = new pb.ReadRequest();
    aim(request, type, name);
    request.setId(id);
    request.setProperties(Struct.fromJavaScript(properties as never));
    const response = await this.call<pb.ReadRequest, pb.ReadResponse>("read", request);
    return {
      id: response.getId(),
      outputs: response.getProperties()?.toJavaScript() ?? {},
      inputs: response.getInputs()?.toJavaScript() ?? {},
    };
  };

  update = async (type: string, name: string, id: string, olds: Props, news: Props, preview = false) => {
    const request = new pb.UpdateRequest();
    aim(request, type, name);
    request.setId(id);
    request.setOlds(Struct.fromJavaScript(olds as never));
    request.setNews(Struct.fromJavaScript(news as never));
    request.setPreview(preview);
    const response = await this.call<pb.UpdateRequest, pb.UpdateResponse>("update", request);
    return { outputs: response.getProperties()?.toJavaScript() ?? {} };
  };

  delete = async (type: string, name: string, id: string, properties: Props) => {
    const request = new pb.DeleteRequest();
    aim(request, type, name);
    request.setId(id);
    request.setProperties(Struct.fromJavaScript(properties as never));
    await this.call("delete", request);
  };

  invoke = async (token: string, args: Props) => {
    const request = new pb.InvokeRequest();
    request.setTok(token);
    request.setArgs(Struct.fromJavaScript(args as never));
    const response = await this.call<pb.InvokeRequest, pb.InvokeResponse>("invoke", request);
    return { result: response.getReturn()?.toJavaScript() ?? {}, failures: failures(response) };
  };

  cancel = () => this.call("cancel", new Empty());

  /** Everything the plugin wrote and answered, for "no token anywhere". */
  output(): string {
    return [...this.stdout, ...this.stderr, ...this.answers].join("\n");
  }
}

/** A resource request's URN, name and type, as the engine sets them. */
function aim(
  request: { setUrn(v: string): unknown; setName(v: string): unknown; setType(v: string): unknown },
  type: string,
  name: string,
) {
  request.setUrn(urnOf(type, name));
  request.setName(name);
  request.setType(type);
}

function failures(response: { getFailuresList(): Array<{ getProperty(): string; getReason(): string }> }) {
  return response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
}

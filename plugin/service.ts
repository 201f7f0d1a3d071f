// The plugin's gRPC service: Pulumi's ResourceProvider protocol, written on the generated code of
// @pulumi/pulumi/proto (not on `@pulumi/pulumi/provider`'s main(), which hands a provider no
// configuration and no detailed diff). Every RPC is a thin translation: the work is the runtime's
// and the resources' (provider/), the same as in a dynamic provider.
import * as grpc from "@grpc/grpc-js";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { adapt } from "../provider/adapter";
import type { ProviderSettings } from "../provider/core/accounts";
import { clean, explain } from "../provider/core/messages";
import type { ProviderKind } from "../provider/kinds";
import { RESOURCES } from "../provider/resources";
import type { Runtime } from "../provider/runtime";
import { VERSION } from "../provider/version";
import { CONFIG_KEYS, keyOf, settingsOf } from "./config";
import { type Invokes, invokes } from "./invoke";
import { resourceCalls } from "./resources";
import { packageSchema } from "./schema";
import { fromStruct, type Props, toStruct } from "./values";

const { Status } = require("@pulumi/pulumi/proto/status_pb") as { Status: new () => StatusMessage };
interface StatusMessage {
  setCode(code: number): void;
  setMessage(message: string): void;
  addDetails(detail: Any): void;
  serializeBinary(): Uint8Array;
}

type Handler<Req, Res> = grpc.handleUnaryCall<Req, Res>;

/**
 * A gRPC error the engine understands: the message alone; for an object that exists but is not
 * ready (a wait that timed out, a failed job recorded), ErrorResourceInitFailed with its id and
 * properties, so the engine records it and the next `up` updates it instead of creating another.
 */
function grpcError(error: unknown): Partial<grpc.StatusObject> {
  const cleaned = clean(error) as Error & { id?: string; properties?: Props; reasons?: string[] };
  const metadata = new grpc.Metadata();
  if (cleaned.id) {
    const detail = new pb.ErrorResourceInitFailed();
    detail.setId(cleaned.id);
    detail.setProperties(toStruct(cleaned.properties ?? {}));
    detail.setReasonsList(cleaned.reasons ?? [cleaned.message]);
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(cleaned.message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: cleaned.message, metadata };
}

/** A unary handler from an async function: its answer, or its error as grpcError says it. */
function unary<Req, Res>(run: (request: Req) => Promise<Res> | Res): Handler<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => run(call.request))
      .then(
        (response) => callback(null, response),
        (error) => callback(grpcError(error), null),
      );
  };
}

export interface PluginService {
  implementation: grpc.UntypedServiceImplementation;
  /** The calls for tests of the service itself; the engine goes through `implementation`. */
  invokes: Invokes;
}

/** The service on one runtime: Configure's settings are kept here, in this one object. */
export function pluginService(runtime: Runtime): PluginService {
  let settings: ProviderSettings | undefined;
  const adapters = Object.fromEntries(
    (Object.keys(RESOURCES) as ProviderKind[]).map((kind) => [kind, adapt(RESOURCES[kind], runtime)]),
  ) as Record<ProviderKind, ReturnType<typeof adapt>>;
  const resources = resourceCalls(runtime, adapters, () => settings);
  const functions = invokes(runtime, () => settings);
  const failure = (property: string, reason: string) => {
    const f = new pb.CheckFailure();
    f.setProperty(property);
    f.setReason(reason);
    return f;
  };

  const implementation: grpc.UntypedServiceImplementation = {
    getPluginInfo: unary<Empty, PluginInfo>(() => {
      const info = new PluginInfo();
      info.setVersion(VERSION);
      return info;
    }),

    handshake: unary<pb.ProviderHandshakeRequest, pb.ProviderHandshakeResponse>(() => {
      // Secrets not taken: the engine strips them from inputs and marks outputs of the same name.
      const response = new pb.ProviderHandshakeResponse();
      response.setAcceptSecrets(false);
      response.setAcceptResources(false);
      return response;
    }),

    getSchema: unary<pb.GetSchemaRequest, pb.GetSchemaResponse>(() => {
      const response = new pb.GetSchemaResponse();
      response.setSchema(JSON.stringify(packageSchema()));
      return response;
    }),

    checkConfig: unary<pb.CheckRequest, pb.CheckResponse>((request) => {
      const response = new pb.CheckResponse();
      response.setInputs(request.getNews());
      try {
        settingsOf(fromStruct(request.getNews()), runtime.env);
      } catch (error) {
        const message = explain(error);
        response.addFailures(failure(keyOf(message), message));
      }
      return response;
    }),

    diffConfig: unary<pb.DiffRequest, pb.DiffResponse>((request) => {
      const olds = fromStruct(request.getOlds());
      const news = fromStruct(request.getNews());
      const changed = CONFIG_KEYS.filter(
        (key) => JSON.stringify(olds[key] ?? null) !== JSON.stringify(news[key] ?? null),
      );
      const response = new pb.DiffResponse();
      // A new token or URL changes no resource: never a replacement of the provider.
      response.setChanges(
        changed.length ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE,
      );
      response.setDiffsList([...changed]);
      return response;
    }),

    configure: unary<pb.ConfigureRequest, pb.ConfigureResponse>((request) => {
      settings = settingsOf(fromStruct(request.getArgs()), runtime.env);
      const response = new pb.ConfigureResponse();
      response.setAcceptsecrets(false);
      response.setSupportspreview(true);
      response.setAcceptresources(false);
      return response;
    }),

    check: unary<pb.CheckRequest, pb.CheckResponse>(async (request) => {
      const { inputs, failures } = await resources.check(
        request.getType(),
        request.getUrn(),
        request.getName(),
        fromStruct(request.getOlds()),
        fromStruct(request.getNews()),
      );
      const response = new pb.CheckResponse();
      response.setInputs(toStruct(inputs));
      for (const f of failures) response.addFailures(failure(f.property, f.reason));
      return response;
    }),

    diff: unary<pb.DiffRequest, pb.DiffResponse>(async (request) => {
      const verdict = await resources.diff(
        request.getType(),
        request.getId(),
        fromStruct(request.getOlds()),
        fromStruct(request.getNews()),
      );
      const response = new pb.DiffResponse();
      const { DiffChanges } = pb.DiffResponse;
      response.setChanges(verdict.changes ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE);
      response.setReplacesList(verdict.replaces);
      response.setDeletebeforereplace(verdict.deleteBeforeReplace);
      response.setDiffsList(verdict.diffs.map(([key]) => key));
      for (const [key, replace] of verdict.diffs) {
        const diff = new pb.PropertyDiff();
        diff.setKind(replace ? pb.PropertyDiff.Kind.UPDATE_REPLACE : pb.PropertyDiff.Kind.UPDATE);
        diff.setInputdiff(true);
        response.getDetaileddiffMap().set(key, diff);
      }
      response.setHasdetaileddiff(true);
      return response;
    }),

    create: unary<pb.CreateRequest, pb.CreateResponse>(async (request) => {
      const { id, outs } = await resources.create(
        request.getType(),
        request.getUrn(),
        request.getName(),
        fromStruct(request.getProperties()),
        request.getTimeout(),
        request.getPreview(),
      );
      const response = new pb.CreateResponse();
      response.setId(id);
      response.setProperties(toStruct(outs));
      return response;
    }),

    read: unary<pb.ReadRequest, pb.ReadResponse>(async (request) => {
      const answer = await resources.read(
        request.getType(),
        request.getUrn(),
        request.getName(),
        request.getId(),
        fromStruct(request.getProperties()),
      );
      const response = new pb.ReadResponse();
      response.setId(answer.id); // "" only with proof that it is gone (provider/operations/proof.ts)
      if (answer.id) {
        response.setProperties(toStruct(answer.props));
        response.setInputs(toStruct(answer.inputs));
      }
      return response;
    }),

    update: unary<pb.UpdateRequest, pb.UpdateResponse>(async (request) => {
      const { outs } = await resources.update(
        request.getType(),
        request.getUrn(),
        request.getName(),
        request.getId(),
        fromStruct(request.getOlds()),
        fromStruct(request.getNews()),
        request.getTimeout(),
        request.getPreview(),
      );
      const response = new pb.UpdateResponse();
      response.setProperties(toStruct(outs));
      return response;
    }),

    delete: unary<pb.DeleteRequest, Empty>(async (request) => {
      await resources.delete(
        request.getType(),
        request.getUrn(),
        request.getName(),
        request.getId(),
        fromStruct(request.getProperties()),
      );
      return new Empty();
    }),

    invoke: unary<pb.InvokeRequest, pb.InvokeResponse>(async (request) => {
      const response = new pb.InvokeResponse();
      const answer = await functions.invoke(request.getTok(), fromStruct(request.getArgs()));
      if ("failure" in answer) response.addFailures(failure(answer.failure.property, answer.failure.reason));
      else response.setReturn(toStruct(answer.result));
      return response;
    }),

    // Waits end with their deadline or their object; nothing of a cancelled run is left half done.
    cancel: unary<Empty, Empty>(() => new Empty()),
  };
  return { implementation, invokes: functions };
}

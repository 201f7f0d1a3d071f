// The plugin's gRPC service: Pulumi's ResourceProvider protocol, written on the generated code of
// @pulumi/pulumi/proto (not on `@pulumi/pulumi/provider`'s main(), which hands a provider no
// configuration and no detailed diff). Every RPC is a thin translation: the work is the runtime's
// and the resources' (provider/), the same as in a dynamic provider.
//
// Secrets are accepted: the engine sends them wrapped, the resources get their values (values.ts),
// and every output made from a secret input leaves wrapped again (resources.ts, secretOutputs).
import type * as grpc from "@grpc/grpc-js";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { adapt } from "../provider/adapter";
import type { ProviderKind } from "../provider/kinds";
import { RESOURCES } from "../provider/resources";
import type { Runtime } from "../provider/runtime";
import { VERSION } from "../provider/version";
import { CONFIG_KEYS, ProviderConfig } from "./config";
import { invokes } from "./invoke";
import { resourceCalls, secretOutputs, stored } from "./resources";
import { packageSchema } from "./schema";
import { unary } from "./status";
import { fromStruct, type Props, secretKeys, toStruct, withSecrets } from "./values";

const failure = (property: string, reason: string) => {
  const f = new pb.CheckFailure();
  f.setProperty(property);
  f.setReason(reason);
  return f;
};

/** The service on one runtime, for one provider instance (the engine starts a process per provider). */
export function pluginService(runtime: Runtime): grpc.UntypedServiceImplementation {
  const config = new ProviderConfig(runtime.env);
  const adapters = Object.fromEntries(
    (Object.keys(RESOURCES) as ProviderKind[]).map((kind) => [kind, adapt(RESOURCES[kind], runtime)]),
  ) as Record<ProviderKind, ReturnType<typeof adapt>>;
  const resources = resourceCalls(adapters, config);
  const functions = invokes(runtime, () => config.settings());

  /** Outputs as the engine takes them: secret where an input they come from was. */
  const outputs = (type: string, secrets: Set<string>, props: Props): Struct =>
    toStruct(withSecrets(props, secretOutputs(type, secrets)));
  /** Runs a create or update; a partial failure's properties leave as its outputs would. */
  const recording = async <T>(type: string, secrets: Set<string>, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const failed = error as { properties?: Props };
      if (failed.properties) failed.properties = withSecrets(stored(failed.properties), secretOutputs(type, secrets));
      throw error;
    }
  };

  return {
    getPluginInfo: unary<Empty, PluginInfo>(() => {
      const info = new PluginInfo();
      info.setVersion(VERSION);
      return info;
    }),

    handshake: unary<pb.ProviderHandshakeRequest, pb.ProviderHandshakeResponse>(() => {
      const response = new pb.ProviderHandshakeResponse();
      response.setAcceptSecrets(true);
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
      // The inputs go back as the provider's own (Configure gets them), the tokens in them secret.
      response.setInputs(toStruct(withSecrets(fromStruct(request.getNews()), ["apiToken", "accounts"])));
      for (const f of config.check(request.getUrn(), fromStruct(request.getNews()))) {
        response.addFailures(failure(f.property, f.reason));
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
      const { DiffChanges } = pb.DiffResponse;
      response.setChanges(changed.length ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE);
      response.setDiffsList([...changed]);
      return response;
    }),

    configure: unary<pb.ConfigureRequest, pb.ConfigureResponse>((request) => {
      config.configure(request);
      const response = new pb.ConfigureResponse();
      response.setAcceptsecrets(true);
      response.setSupportspreview(true);
      response.setAcceptresources(false);
      return response;
    }),

    check: unary<pb.CheckRequest, pb.CheckResponse>(async (request) => {
      const secrets = secretKeys(request.getNews());
      const { inputs, failures } = await resources.check(
        request.getType(),
        request.getUrn(),
        request.getName(),
        fromStruct(request.getOlds()),
        fromStruct(request.getNews()),
      );
      const response = new pb.CheckResponse();
      response.setInputs(toStruct(withSecrets(inputs, secrets)));
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
      response.setDiffsList(verdict.diffs.filter((d) => d.input).map((d) => d.key));
      for (const { key, replace, input } of verdict.diffs) {
        const diff = new pb.PropertyDiff();
        diff.setKind(replace ? pb.PropertyDiff.Kind.UPDATE_REPLACE : pb.PropertyDiff.Kind.UPDATE);
        diff.setInputdiff(input);
        response.getDetaileddiffMap().set(key, diff);
      }
      response.setHasdetaileddiff(true);
      return response;
    }),

    create: unary<pb.CreateRequest, pb.CreateResponse>(async (request) => {
      const type = request.getType();
      const secrets = secretKeys(request.getProperties());
      const { id, outs } = await recording(type, secrets, () =>
        resources.create(
          type,
          request.getUrn(),
          request.getName(),
          fromStruct(request.getProperties()),
          request.getTimeout(),
          request.getPreview(),
        ),
      );
      const response = new pb.CreateResponse();
      response.setId(id);
      response.setProperties(outputs(type, secrets, outs));
      return response;
    }),

    read: unary<pb.ReadRequest, pb.ReadResponse>(async (request) => {
      const type = request.getType();
      const secrets = new Set([...secretKeys(request.getProperties()), ...secretKeys(request.getInputs())]);
      const answer = await resources.read(
        type,
        request.getUrn(),
        request.getName(),
        request.getId(),
        fromStruct(request.getProperties()),
      );
      const response = new pb.ReadResponse();
      response.setId(answer.id); // "" only with proof that it is gone (provider/operations/proof.ts)
      if (answer.id) {
        response.setProperties(outputs(type, secrets, answer.props));
        response.setInputs(toStruct(withSecrets(answer.inputs, secrets)));
      }
      return response;
    }),

    update: unary<pb.UpdateRequest, pb.UpdateResponse>(async (request) => {
      const type = request.getType();
      const secrets = new Set([...secretKeys(request.getOlds()), ...secretKeys(request.getNews())]);
      const { outs } = await recording(type, secrets, () =>
        resources.update(
          type,
          request.getUrn(),
          request.getName(),
          request.getId(),
          fromStruct(request.getOlds()),
          fromStruct(request.getNews()),
          request.getTimeout(),
          request.getPreview(),
        ),
      );
      const response = new pb.UpdateResponse();
      response.setProperties(outputs(type, secrets, outs));
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
      else response.setReturn(toStruct(withSecrets(answer.result, secretKeys(request.getArgs()))));
      return response;
    }),

    // Ctrl-C: every wait in progress ends as its deadline would, so each resource is recorded with
    // its id and the next `up` resumes it; nothing is left half made. Harmless when nothing waits
    // (engines send Cancel before closing a plugin).
    cancel: unary<Empty, Empty>(() => {
      runtime.poller.cancelAll();
      return new Empty();
    }),
  };
}

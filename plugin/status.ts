// How the plugin's RPCs answer errors: as gRPC statuses the engine understands, one clean sentence
// (provider/core/messages.ts), with the id and properties of an object that exists but is not ready.
import * as grpc from "@grpc/grpc-js";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { clean } from "../provider/core/messages";
import { type Props, toStruct } from "./values";

const { Status } = require("@pulumi/pulumi/proto/status_pb") as { Status: new () => StatusMessage };
interface StatusMessage {
  setCode(code: number): void;
  setMessage(message: string): void;
  addDetails(detail: Any): void;
  serializeBinary(): Uint8Array;
}

export type Handler<Req, Res> = grpc.handleUnaryCall<Req, Res>;

/**
 * A gRPC error the engine understands: the message alone; for an object that exists but is not
 * ready (a wait that timed out, a failed job recorded), ErrorResourceInitFailed with its id and
 * properties, so the engine records it and the next `up` updates it instead of creating another.
 */
export function grpcError(error: unknown): Partial<grpc.StatusObject> {
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
export function unary<Req, Res>(run: (request: Req) => Promise<Res> | Res): Handler<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => run(call.request))
      .then(
        (response) => callback(null, response),
        (error) => callback(grpcError(error), null),
      );
  };
}

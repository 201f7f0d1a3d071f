// Property values between the engine's wire form (google.protobuf.Struct) and the plain values the
// resources take. The engine marks secrets (`{<sig>: <secret sig>, value}`) and values not known
// until `up` (one sentinel string per type); the resources know a secret's value and one UNKNOWN.
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { UNKNOWN } from "../provider/resources/engine";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The engine's sentinels of unknown values, one per type (sdk/go/common/resource/plugin/rpc.go). */
const UNKNOWNS = new Set([
  UNKNOWN, // string
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // bool
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
]);

export type Props = Record<string, unknown>;

const isSecret = (value: unknown): value is { value: unknown } =>
  typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG] === SECRET_SIG;

/** A wire value as the resources take it: secrets unwrapped, every unknown the one UNKNOWN. */
export function fromWire(value: unknown): unknown {
  if (isSecret(value)) return fromWire(value.value);
  if (typeof value === "string" && UNKNOWNS.has(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(fromWire);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, fromWire(v)]));
  }
  return value;
}

/** A value as a Struct can hold it: undefined keys dropped (Struct.fromJavaScript throws on them). */
function toWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toWire(v)));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([key, v]) => [key, toWire(v)]),
    );
  }
  return value;
}

/** The top-level keys whose values are secret, or hold a secret, in a wire Struct. */
export function secretKeys(struct: Struct | undefined): Set<string> {
  const holds = (value: unknown): boolean =>
    isSecret(value) ||
    (Array.isArray(value) && value.some(holds)) ||
    (typeof value === "object" && value !== null && Object.values(value).some(holds));
  const wire = (struct?.toJavaScript() ?? {}) as Props;
  return new Set(Object.keys(wire).filter((key) => holds(wire[key])));
}

/** `props` with the values of `keys` wrapped as secrets, for an engine that accepts secrets. */
export function withSecrets(props: Props, keys: Iterable<string>): Props {
  const out = { ...props };
  for (const key of keys) {
    if (out[key] !== undefined && out[key] !== null) out[key] = { [SIG]: SECRET_SIG, value: out[key] };
  }
  return out;
}

export const fromStruct = (struct: Struct | undefined): Props =>
  (struct ? fromWire(struct.toJavaScript()) : {}) as Props;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const toStruct = (props: Props): Struct => Struct.fromJavaScript(toWire(props) as any);

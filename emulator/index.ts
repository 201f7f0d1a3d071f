// The local VPS.org API emulator, for tests, benchmarks and users' own CI.

export type { FaultRule } from "./faults";
export { buildEmulatorApp, type Emulator, type EmulatorOptions, startEmulator } from "./server";
export { DEFAULT_SETTINGS, type Settings } from "./state";
export type { RateLimitConfig, RateLimitInput } from "./rate-limit";

// The local VPS.org API emulator, for tests, benchmarks and users' own CI.

export { startEmulator } from "./server";
export { DEFAULT_TOKEN, PASTABLE_TOKEN, TOKEN_RULE } from "./tokens";
export type { Emulator, EmulatorOptions, FaultRule, RateLimitConfig, RateLimitInput } from "./types";
export { DEFAULT_SETTINGS, type Settings } from "./state";

// Masks secrets in text that leaves the client (log lines, error messages).
import type { LogLevel } from "../settings";

export type { LogLevel } from "../settings";

export function makeRedactor(secret: string): (text: string) => string {
  return (text) => {
    let out = text.replace(/Bearer\s+[^\s"',}]+/gi, "Bearer ***");
    if (secret) out = out.split(secret).join("***");
    return out;
  };
}

/**
 * Anything shaped like a VPS.org token (`vps_` and more) masked: for values a user may have put in
 * the wrong place (a token pasted as the API URL, or as another input) before they reach a message.
 */
export const maskTokenLike = (text: string): string => text.replace(/\bvps_[A-Za-z0-9][\w-]{3,}/g, "vps_***");

export type Logger = (level: LogLevel, message: string) => void;

/** Log lines on stderr (the only stream a Pulumi dynamic provider shows) from `min` up; none when undefined. */
export function stderrLogger(min: LogLevel | undefined): Logger | undefined {
  if (!min) return undefined;
  const order: LogLevel[] = ["debug", "info", "warn"];
  return (level, message) => {
    if (order.indexOf(level) >= order.indexOf(min)) process.stderr.write(`[vpsorg ${level}] ${message}\n`);
  };
}

// Masks secrets in text that leaves the client (log lines, error messages).

export function makeRedactor(secret: string): (text: string) => string {
  return (text) => {
    let out = text.replace(/Bearer\s+[^\s"',}]+/gi, "Bearer ***");
    if (secret) out = out.split(secret).join("***");
    return out;
  };
}

export type LogLevel = "debug" | "info" | "warn";
export type Logger = (level: LogLevel, message: string) => void;

/** Log lines on stderr (the only stream a Pulumi dynamic provider shows), when VPSORG_LOG is set. */
export function stderrLogger(env: NodeJS.ProcessEnv = process.env): Logger | undefined {
  const wanted = env.VPSORG_LOG;
  if (!wanted) return undefined;
  const order: LogLevel[] = ["debug", "info", "warn"];
  const min = Math.max(0, order.indexOf(wanted as LogLevel));
  return (level, message) => {
    if (order.indexOf(level) >= min) process.stderr.write(`[vpsorg ${level}] ${message}\n`);
  };
}

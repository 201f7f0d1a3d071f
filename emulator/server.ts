// Builds the emulator's HTTP server: the documented API under /api/v1, the control API under
// /_emulator, fault injection and request counting around the API routes.
import Fastify, { type FastifyInstance } from "fastify";
import { API_PREFIX, registerApiRoutes } from "./api-routes";
import { CONTROL_PREFIX, registerControlRoutes } from "./control-routes";
import { FaultInjector } from "./faults";
import { RateLimiter } from "./rate-limit";
import { RequestCounter } from "./request-counter";
import { seed } from "./seed";
import { EmulatorState, type Settings } from "./state";

export interface EmulatorOptions extends Partial<Settings> {
  /** Accepted tokens; each is an account of its own. Default: [DEFAULT_TOKEN], "vps_test_token". */
  tokens?: string[];
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Log each request with pino (never the Authorization header). */
  log?: boolean;
}

export interface Emulator {
  /** The API base URL, e.g. http://127.0.0.1:PORT/api/v1 */
  url: string;
  /** The control API's base URL, e.g. http://127.0.0.1:PORT/_emulator */
  controlUrl: string;
  port: number;
  app: FastifyInstance;
  state: EmulatorState;
  close(): Promise<void>;
}

/** The token the emulator accepts when given none: one account. */
export const DEFAULT_TOKEN = "vps_test_token";

/** A token that pastes into a shell unquoted and into an HTTP header as it is: RFC 6750's token68. */
export const PASTABLE_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;
export const TOKEN_RULE = "a token may hold only letters, digits and - . _ ~ + / (then =), as HTTP bearer tokens do";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function buildEmulatorApp(options: EmulatorOptions = {}) {
  const { tokens = [DEFAULT_TOKEN], port: _port, host: _host, log = false, ...settings } = options;
  if (tokens.length === 0) throw new Error("the emulator needs at least one token");
  const bad = tokens.find((token) => !PASTABLE_TOKEN.test(token));
  if (bad !== undefined) throw new Error(`the token ${JSON.stringify(bad)} cannot be used: ${TOKEN_RULE}`);
  const state = new EmulatorState(tokens, settings);
  seed(state);
  const faults = new FaultInjector();
  const counter = new RequestCounter();
  const limiter = new RateLimiter();
  const app = Fastify({
    logger: log ? { redact: ["req.headers.authorization"] } : false,
  });
  // A body that is not JSON is the API's own 400 with a `detail`, not fastify's error shape.
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    if (body === "") return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const error = Object.assign(new Error("Malformed request: the body is not valid JSON."), { statusCode: 400 });
      done(error, undefined);
    }
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    void reply.code(status).send({ detail: status === 500 ? "Internal server error." : error.message });
  });
  app.setNotFoundHandler((_req, reply) => void reply.code(404).send({ detail: "Not found." }));

  app.addHook("onRequest", async (req, reply) => {
    if (!req.url.startsWith(`${API_PREFIX}/`)) return;
    const route = req.routeOptions.url ?? "(unknown)";
    counter.add(req.method, route, req.headers["user-agent"]);
    // The rate limit comes first: a refused request does nothing, not even take a fault.
    const { retryAfter, headers } = limiter.take(req.headers.authorization ?? "");
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    if (retryAfter !== undefined) {
      counter.addRateLimited(req.method, route);
      reply.header("Retry-After", retryAfter);
      return reply.code(429).send({ detail: `Request was throttled. Expected available in ${retryAfter} seconds.` });
    }
    const fired = faults.pick(req.method, req.url, state.now());
    for (const rule of fired) if (rule.latencyMs) await sleep(rule.latencyMs);
    for (const rule of fired) {
      if (rule.effect === "drop") {
        reply.hijack();
        req.raw.socket.destroy();
        return;
      }
      if (rule.status !== undefined) {
        if (rule.retryAfter !== undefined) reply.header("Retry-After", String(rule.retryAfter));
        for (const [name, value] of Object.entries(rule.headers ?? {})) reply.header(name, value);
        return reply.code(rule.status).send(rule.body ?? { detail: "Injected fault" });
      }
      if (rule.effect) (req as { afterEffect?: string }).afterEffect = rule.effect;
    }
  });
  app.addHook("onSend", async (req, reply, payload) => {
    const effect = (req as { afterEffect?: string }).afterEffect;
    if (effect === "commit-then-drop") {
      reply.raw.socket?.destroy();
      return payload;
    }
    if (effect === "malformed") return '{"count": 1, "results": [{"id": ';
    return payload;
  });

  registerApiRoutes(app, state);
  registerControlRoutes(app, {
    state,
    faults,
    counter,
    limiter,
    reset: () => {
      const fresh = new EmulatorState(tokens, settings);
      seed(fresh);
      // Routes hold the state object: refill it in place rather than swapping it.
      Object.assign(state, fresh);
      faults.clear();
      counter.clear();
      limiter.clear();
    },
  });
  return { app, state, faults, counter, limiter, prefixes: { api: API_PREFIX, control: CONTROL_PREFIX } };
}

/** Starts the emulator on a real port. `close()` stops it. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { app, state } = buildEmulatorApp(options);
  const host = options.host ?? "127.0.0.1";
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 0);
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}${API_PREFIX}`,
    controlUrl: `${origin}${CONTROL_PREFIX}`,
    port,
    app,
    state,
    close: async () => {
      await app.close();
    },
  };
}

// Builds the emulator's HTTP server: the documented API under /api/v1, the control API under
// /_emulator, fault injection and request counting around the API routes. Internal: the package's
// types (server.ts, types.ts) name nothing of fastify's, so a program that imports the emulator
// compiles under Pulumi's template tsconfig.
import Fastify from "fastify";
import { API_PREFIX, registerApiRoutes } from "./api-routes";
import { CONTROL_PREFIX, registerControlRoutes } from "./control-routes";
import { FaultInjector } from "./faults";
import { RateLimiter } from "./rate-limit";
import { RequestCounter } from "./request-counter";
import { seed } from "./seed";
import type { EmulatorOptions } from "./types";
import { EmulatorState } from "./state";
import { DEFAULT_TOKEN, PASTABLE_TOKEN, TOKEN_RULE } from "./tokens";

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

// The test-control API under /_emulator/ (no token): reset, add servers, change timings, finish
// or fail jobs and restores, move the clock, inject faults, count requests. Modelled on moto's
// state manager and LocalStack's chaos API.
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { type FaultInjector, faultRuleSchema } from "./faults";
import { type RateLimiter, rateLimitSchema } from "./rate-limit";
import type { RequestCounter } from "./request-counter";
import type { EmulatorState, Settings } from "./state";
import { backupView, serverView, snapshotView } from "./views";

export const CONTROL_PREFIX = "/_emulator";

const settingsSchema = z
  .object({
    backupDurationMs: z.number().int().nonnegative(),
    snapshotDurationMs: z.number().int().nonnegative(),
    restoreDurationMs: z.number().int().nonnegative(),
    manual: z.boolean(),
    pageSize: z.number().int().min(1).max(100),
    pageLinks: z.boolean(),
    manualBackupLimit: z.number().int().nonnegative(),
    snapshotLimit: z.number().int().nonnegative(),
  })
  .partial()
  .strict();

const newServerSchema = z
  .object({
    /** Which account: its token, or its index in the emulator's token list (default 0). */
    token: z.string().optional(),
    account: z.number().int().nonnegative().optional(),
    id: z.number().int().positive().optional(),
    name: z.string().optional(),
    status: z.string().optional(),
    location: z.string().optional(),
    /** When the server was made (ISO 8601); default now. */
    created_at: z.iso.datetime().optional(),
  })
  .strict();

const newBackupSchema = z
  .object({
    server_id: z.number().int(),
    backup_type: z.enum(["manual", "automatic"]).default("automatic"),
    status: z.string().default("completed"),
    description: z.string().default("Automatic daily backup"),
    /** Created this long ago. */
    age_ms: z.number().int().nonnegative().default(0),
    /** For automatic backups: expires this long after now (default 7 days). */
    expires_in_ms: z.number().int().optional(),
  })
  .strict();

export interface ControlDeps {
  state: EmulatorState;
  faults: FaultInjector;
  counter: RequestCounter;
  limiter: RateLimiter;
  reset: () => void;
}

export function registerControlRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { state, faults, counter, limiter } = deps;
  const p = CONTROL_PREFIX;
  const bad = (reply: FastifyReply, message: string) => reply.code(400).send({ detail: message });
  const parse = <T extends z.ZodType>(schema: T, body: unknown, reply: FastifyReply): z.infer<T> | undefined => {
    const result = schema.safeParse(body ?? {});
    if (result.success) return result.data;
    void bad(reply, z.prettifyError(result.error));
    return undefined;
  };

  app.post(`${p}/reset`, async () => {
    deps.reset();
    return { reset: true };
  });

  app.get(`${p}/settings`, async () => state.settings);
  app.put(`${p}/settings`, async (req, reply) => {
    const patch = parse(settingsSchema, req.body, reply);
    if (!patch) return reply;
    state.advance(); // jobs already running keep the timing they started with
    Object.assign(state.settings, patch as Partial<Settings>);
    return state.settings;
  });

  app.post(`${p}/servers`, async (req, reply) => {
    const body = parse(newServerSchema, req.body, reply);
    if (!body) return reply;
    const account = body.token !== undefined ? state.accountOf(body.token) : (body.account ?? 0);
    if (account === undefined || account >= state.tokens.length) return bad(reply, "No such account.");
    if (body.id !== undefined && state.servers.has(body.id)) return bad(reply, `Server ${body.id} already exists.`);
    const { token: _t, account: _a, ...fields } = body;
    return reply.code(201).send(serverView(state.addServer(account, fields)));
  });

  app.patch<{ Params: { id: string }; Body: { status?: string } }>(`${p}/servers/:id`, async (req, reply) => {
    const server = state.servers.get(Number(req.params.id));
    if (!server) return reply.code(404).send({ detail: "Server not found." });
    if (typeof req.body?.status !== "string") return bad(reply, "status (string) is required.");
    state.advance();
    server.status = req.body.status;
    server.restoreDoneAt = req.body.status === "restoring" ? Number.POSITIVE_INFINITY : undefined;
    return serverView(server);
  });

  // A server deleted for real, with everything it held: its snapshots and its backups, manual and
  // automatic, go with it (VPS.org does not say; this is the emulator's reading, see the README).
  app.delete<{ Params: { id: string } }>(`${p}/servers/:id`, async (req, reply) => {
    const server = state.servers.get(Number(req.params.id));
    if (!server) return reply.code(404).send({ detail: "Server not found." });
    state.advance();
    const snapshots = [...state.snapshots.values()].filter((s) => s.serverId === server.id);
    const backups = [...state.backups.values()].filter((b) => b.serverId === server.id);
    for (const s of snapshots) state.snapshots.delete(s.id);
    for (const b of backups) state.backups.delete(b.id);
    state.servers.delete(server.id);
    return { deleted: server.id, snapshots: snapshots.map((s) => s.id), backups: backups.map((b) => b.id) };
  });

  app.post<{ Params: { id: string; outcome: string } }>(`${p}/servers/:id/restore/:outcome`, async (req, reply) => {
    const server = state.servers.get(Number(req.params.id));
    if (!server) return reply.code(404).send({ detail: "Server not found." });
    state.advance();
    if (server.status !== "restoring")
      return bad(reply, `Server ${server.id} is not restoring (status: ${server.status}).`);
    if (req.params.outcome === "complete") state.finishRestore(server, "active");
    else if (req.params.outcome === "fail") state.finishRestore(server, "error");
    else return reply.code(404).send({ detail: "Use complete or fail." });
    return serverView(server);
  });

  app.post(`${p}/backups`, async (req, reply) => {
    const body = parse(newBackupSchema, req.body, reply);
    if (!body) return reply;
    const server = state.servers.get(body.server_id);
    if (!server) return reply.code(404).send({ detail: "Server not found." });
    const now = state.now();
    const expiresIn = body.expires_in_ms ?? 7 * 86_400_000;
    const backup = state.addBackup(server, {
      backup_type: body.backup_type,
      status: body.status,
      description: body.description,
      size_mb: body.status === "completed" ? 2048 : null,
      doneAt: body.status === "in_progress" ? state.doneAt(state.settings.backupDurationMs) : 0,
      created_at: new Date(now - body.age_ms).toISOString(),
      expires_at: body.backup_type === "automatic" ? new Date(now + expiresIn).toISOString() : null,
    });
    return reply.code(201).send(backupView(state, backup));
  });

  app.post<{ Params: { kind: string; id: string; outcome: string } }>(
    `${p}/jobs/:kind/:id/:outcome`,
    async (req, reply) => {
      const { kind, id, outcome } = req.params;
      const store = kind === "backups" ? state.backups : kind === "snapshots" ? state.snapshots : undefined;
      const job = store?.get(Number(id));
      if (!store || !job) return reply.code(404).send({ detail: `No ${kind} job ${id}.` });
      state.advance();
      if (outcome === "complete") state.completeJob(job);
      else if (outcome === "fail") job.status = "failed";
      else return reply.code(404).send({ detail: "Use complete or fail." });
      job.doneAt = 0;
      return kind === "backups"
        ? backupView(state, state.backups.get(job.id)!)
        : snapshotView(state, state.snapshots.get(job.id)!);
    },
  );

  app.post<{ Body: { advanceMs?: number } }>(`${p}/clock`, async (req, reply) => {
    const advance = req.body?.advanceMs;
    if (typeof advance !== "number" || advance < 0) return bad(reply, "advanceMs (a non-negative number) is required.");
    state.clockOffsetMs += advance;
    state.advance();
    return { now: new Date(state.now()).toISOString() };
  });

  app.get(`${p}/state`, async () => {
    state.advance();
    return {
      servers: [...state.servers.values()].map((s) => ({ ...serverView(s), account: s.account })),
      backups: [...state.backups.values()].map((b) => backupView(state, b)),
      snapshots: [...state.snapshots.values()].map((s) => snapshotView(state, s)),
    };
  });

  app.get(`${p}/faults`, async () => ({ rules: faults.list(), hits: faults.hits() }));
  app.put(`${p}/faults`, async (req, reply) => {
    const raw = Array.isArray(req.body) ? req.body : (req.body as { rules?: unknown })?.rules;
    const rules = parse(z.array(faultRuleSchema), raw, reply);
    if (!rules) return reply;
    faults.set(rules);
    return { rules: faults.list() };
  });
  app.delete(`${p}/faults`, async () => {
    faults.clear();
    return { rules: [] };
  });

  // The rate limit: `{requestsPerMinute, burst, scope, timeScale}`; null when there is none.
  app.get(`${p}/rate-limit`, async () => ({ rateLimit: limiter.config ?? null }));
  app.put(`${p}/rate-limit`, async (req, reply) => {
    const config = parse(rateLimitSchema, req.body, reply);
    if (!config) return reply;
    return { rateLimit: limiter.set(config) };
  });
  app.delete(`${p}/rate-limit`, async () => {
    limiter.clear();
    return { rateLimit: null };
  });

  app.get(`${p}/requests`, async () => counter.snapshot());
  app.delete(`${p}/requests`, async () => {
    counter.clear();
    return counter.snapshot();
  });
}

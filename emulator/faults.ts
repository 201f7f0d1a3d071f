// Fault injection, after LocalStack's chaos API: rules matched by method and path pattern,
// each firing with a probability (and at most `times` times), adding latency and one effect.
import { z } from "zod";
import type { FaultRule } from "./types";

export const faultRuleSchema = z
  .object({
    /** HTTP method to match ("*" or absent = any). */
    method: z.string().optional(),
    /** Regular expression matched against the request path (absent = any API path). */
    path: z.string().optional(),
    /** Chance that a matching request is hit, 0..1 (default 1). */
    probability: z.number().min(0).max(1).default(1),
    /** How many requests the rule may hit before it retires (absent = no limit). */
    times: z.number().int().positive().optional(),
    /**
     * Fire on every n-th matching request only (then `probability` applies to those): a share that
     * stays the same whatever the rate, as a flaky API's 429s do.
     */
    every: z.number().int().positive().optional(),
    /** Added delay before the request is handled. */
    latencyMs: z.number().int().nonnegative().optional(),
    /** Answer with this status instead of handling the request (the request does nothing). */
    status: z.number().int().min(100).max(599).optional(),
    /** With `status` 429 (or any status): the Retry-After header, in seconds. */
    retryAfter: z.number().nonnegative().optional(),
    /** With `status`: the body to answer (default `{"detail": "Injected fault"}`); a string is sent as it is. */
    body: z.unknown().optional(),
    /** With `status`: headers of the answer (a proxy's `Content-Type: text/html`, a redirect's `Location`). */
    headers: z.record(z.string(), z.string()).optional(),
    /**
     * "drop": close the connection before handling (nothing happens).
     * "commit-then-drop": handle the request (it takes effect), then close without answering.
     * "malformed": handle the request, then answer a body that is not valid JSON.
     */
    effect: z.enum(["drop", "commit-then-drop", "malformed"]).optional(),
  })
  .strict();
export type { FaultRule } from "./types";

/** The schema reads exactly the public type (types.ts): a change to one without the other fails to compile. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const FAULT_RULE_TYPE_MATCHES: Same<FaultRule, z.infer<typeof faultRuleSchema>> = true;

interface ActiveRule extends FaultRule {
  pattern: RegExp | undefined;
  hits: number;
  /** Matching requests seen (for `every`). */
  seen: number;
}

/** One request a rule fired on: when (the emulator's clock), which request, and what it did. */
export interface FaultHit {
  at: number;
  method: string;
  /** The path with its query, as sent. */
  url: string;
  status?: number;
  retryAfter?: number;
  effect?: string;
  latencyMs?: number;
}

/** Hits kept for `GET /_emulator/faults`: enough for a test's run, bounded for a long one. */
const MAX_HITS = 10_000;

export class FaultInjector {
  #rules: ActiveRule[] = [];
  #hits: FaultHit[] = [];

  set(rules: FaultRule[]): void {
    this.#rules = rules.map((rule) => ({
      ...rule,
      pattern: rule.path ? new RegExp(rule.path) : undefined,
      hits: 0,
      seen: 0,
    }));
    this.#hits = [];
  }

  clear(): void {
    this.#rules = [];
    this.#hits = [];
  }

  list() {
    return this.#rules.map(({ pattern: _pattern, ...rule }) => rule);
  }

  /** What the rules did, oldest first (since they were last set). */
  hits(): FaultHit[] {
    return [...this.#hits];
  }

  /** The rules that fire for this request (each counted as a hit, and logged). */
  pick(method: string, url: string, at: number, random: () => number = Math.random): FaultRule[] {
    const path = url.split("?")[0];
    const fired: FaultRule[] = [];
    for (const rule of this.#rules) {
      if (rule.method && rule.method !== "*" && rule.method.toUpperCase() !== method) continue;
      if (rule.pattern && !rule.pattern.test(path)) continue;
      if (rule.times !== undefined && rule.hits >= rule.times) continue;
      rule.seen++;
      if (rule.every !== undefined && rule.seen % rule.every !== 0) continue;
      if (random() >= rule.probability) continue;
      rule.hits++;
      fired.push(rule);
      if (this.#hits.length < MAX_HITS) {
        const { status, retryAfter, effect, latencyMs } = rule;
        this.#hits.push({ at, method, url, status, retryAfter, effect, latencyMs });
      }
    }
    return fired;
  }
}

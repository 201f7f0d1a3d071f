// Counts API requests by method and route pattern ("GET /api/v1/snapshots/"), so tests can say
// "preview sent no request" and benchmarks can count list calls; and by User-Agent, so tests can
// say who sent them. Requests the rate limit turned away with 429 are counted in both: every
// request sent, and separately those refused.
export class RequestCounter {
  #byRoute = new Map<string, number>();
  #limitedByRoute = new Map<string, number>();
  #byUserAgent = new Map<string, number>();

  add(method: string, route: string, userAgent = "(none)"): void {
    bump(this.#byRoute, `${method} ${route}`);
    bump(this.#byUserAgent, userAgent);
  }

  /** A request (already counted by `add`) that the rate limit answered with 429. */
  addRateLimited(method: string, route: string): void {
    bump(this.#limitedByRoute, `${method} ${route}`);
  }

  clear(): void {
    this.#byRoute.clear();
    this.#limitedByRoute.clear();
    this.#byUserAgent.clear();
  }

  snapshot(): {
    total: number;
    byRoute: Record<string, number>;
    rateLimited: { total: number; byRoute: Record<string, number> };
    byUserAgent: Record<string, number>;
  } {
    return {
      ...summary(this.#byRoute),
      rateLimited: summary(this.#limitedByRoute),
      byUserAgent: summary(this.#byUserAgent).byRoute,
    };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function summary(map: Map<string, number>) {
  const byRoute = Object.fromEntries([...map.entries()].sort());
  return { total: [...map.values()].reduce((a, b) => a + b, 0), byRoute };
}

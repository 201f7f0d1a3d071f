// Counts API requests by method and route pattern ("GET /api/v1/snapshots/"), so tests can say
// "preview sent no request" and benchmarks can count list calls.
export class RequestCounter {
  #byRoute = new Map<string, number>();

  add(method: string, route: string): void {
    const key = `${method} ${route}`;
    this.#byRoute.set(key, (this.#byRoute.get(key) ?? 0) + 1);
  }

  clear(): void {
    this.#byRoute.clear();
  }

  snapshot(): { total: number; byRoute: Record<string, number> } {
    const byRoute = Object.fromEntries([...this.#byRoute.entries()].sort());
    return { total: [...this.#byRoute.values()].reduce((a, b) => a + b, 0), byRoute };
  }
}

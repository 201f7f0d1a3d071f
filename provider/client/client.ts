// The VPS.org client: one object per token and URL, with one property per API resource.
import { HttpClient } from "./http";
import { Backups } from "./resources/backups";
import { Servers } from "./resources/servers";
import { Snapshots } from "./resources/snapshots";
import type { RateLimiterStats } from "./limiter";
import type { ClientOptions } from "./types";

export type { ClientOptions } from "./types";

export class VpsOrgClient {
  readonly backups: Backups;
  readonly snapshots: Snapshots;
  readonly servers: Servers;
  /** Names the account without revealing the token: a hash of URL and token, for sharing pollers. */
  readonly accountKey: string;
  readonly baseUrl: string;
  readonly #http: HttpClient;

  constructor(options: ClientOptions = {}) {
    const http = new HttpClient(options);
    this.#http = http;
    this.baseUrl = http.baseUrl;
    this.backups = new Backups(http);
    this.snapshots = new Snapshots(http);
    this.servers = new Servers(http);
    this.accountKey = http.accountKey;
  }

  /** What this client's rate limiter is doing (every request of the client goes through it). */
  rateLimitStats(): RateLimiterStats {
    return this.#http.rateLimiter.stats();
  }
}

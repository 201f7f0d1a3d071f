// The peers' HTTP client: a model of what their SDKs do (hashicorp/go-retryablehttp under godo,
// as the DigitalOcean provider configures it; the AWS and hcloud SDKs retry alike): up to 4
// retries of a 429, 5xx or dropped connection, honouring Retry-After, else waiting 1 s doubling
// to 30 s; no client-side rate limit. It is the bench's own, so the peers stay the same whatever
// this project's client learns (its limiter and 429 budget serve only "ours").

export interface PeerSnapshot {
  id: number;
  status: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PeerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    /** Time runs this many times faster: backoff steps are divided by it (Retry-After already is). */
    private readonly scale: number,
    private readonly maxRetries = 4,
  ) {}

  /** One server's snapshots, every page (`next` links), as the peers' list-by-server calls do. */
  async listSnapshots(serverId: number): Promise<PeerSnapshot[]> {
    const items: PeerSnapshot[] = [];
    let url: string | null = `${this.baseUrl}/snapshots/?server_id=${serverId}&page_size=100`;
    while (url) {
      const page = (await this.send("GET", url)) as { next: string | null; results: PeerSnapshot[] };
      items.push(...page.results);
      url = page.next;
    }
    return items;
  }

  async createSnapshot(serverId: number, name: string): Promise<PeerSnapshot> {
    return (await this.send("POST", `${this.baseUrl}/snapshots/`, { server_id: serverId, name })) as PeerSnapshot;
  }

  private async send(method: "GET" | "POST", url: string, body?: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      let status: number;
      let retryAfter: string | null = null;
      let text = "";
      try {
        const response = await fetch(url, {
          method,
          headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        status = response.status;
        retryAfter = response.headers.get("retry-after");
        text = await response.text();
      } catch (error) {
        status = 0; // no answer: retried like a 5xx
        text = (error as Error).message;
      }
      if (status >= 200 && status < 300) return JSON.parse(text);
      const retryable = status === 0 || status === 429 || status >= 500;
      const path = new URL(url).pathname + new URL(url).search;
      if (!retryable || attempt >= this.maxRetries) {
        throw new Error(`${method} ${path}: ${status || "no answer"} ${detail(text)}`);
      }
      const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
      const delayMs = Number.isFinite(seconds)
        ? seconds * 1000 // the emulator scales Retry-After itself
        : Math.min(30_000, 1_000 * 2 ** attempt) / this.scale;
      await sleep(delayMs);
    }
  }
}

function detail(text: string): string {
  try {
    return String((JSON.parse(text) as { detail?: unknown }).detail ?? text);
  } catch {
    return text.slice(0, 200);
  }
}

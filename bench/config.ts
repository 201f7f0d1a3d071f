// What `npm run bench` runs: the scenarios, their sizes, the time scale and the seeded job schedule.
// Every policy of a scenario gets the same schedule; every interval and job duration is divided by
// `scale`, and every time reported is multiplied back (so tables read in real-world seconds).

export type ScenarioId = "single" | "fleet" | "limited" | "refresh" | "memory" | "processes";
export const SCENARIO_IDS: ScenarioId[] = ["single", "fleet", "limited", "refresh", "memory", "processes"];

export interface BenchConfig {
  mode: "full" | "quick" | "custom";
  /** Time runs this many times faster than in the real world. */
  scale: number;
  seed: number;
  scenarios: ScenarioId[];
  /** (a) one wait at a time, these job durations (real seconds). */
  singleDurationsS: number[];
  /** (b) many waits at once. */
  fleet: { waits: number; servers: number };
  /** (c) many waits at once behind the emulator's rate limit (real-scale rate). */
  limited: { waits: number; servers: number; requestsPerMinute: number; burst: number };
  /**
   * (d) a refresh: one read per resource, all at once; `gone` of them were deleted outside Pulumi
   * (ours proves them gone before it drops them: see provider/operations/proof.ts).
   */
  refresh: { resources: number; servers: number; gone: number };
  /** (e) memory only: this many waits at once, no limit, every job the same length (real seconds). */
  memory: { waits: number; servers: number; jobDurationS: number };
  /**
   * (f) several provider processes on one account: the same waits behind the same rate limit, from
   * one process, then split over `processes` (each its own servers, as stacks of a monorepo), ours only.
   */
  processes: { waits: number; servers: number; processes: number; requestsPerMinute: number; burst: number };
  /** Job durations of (b) and (c), drawn uniformly from this range (real seconds): the vendor's 3 to 10 minutes. */
  jobDurationS: [number, number];
  /** Run the policies of a scenario one after another instead of side by side. */
  sequential: boolean;
}

export const FULL: BenchConfig = {
  mode: "full",
  scale: 10,
  seed: 20_261_125,
  scenarios: SCENARIO_IDS,
  singleDurationsS: [180, 300, 420, 600],
  fleet: { waits: 50, servers: 10 },
  limited: { waits: 1_000, servers: 200, requestsPerMinute: 300, burst: 50 },
  refresh: { resources: 500, servers: 100, gone: 50 },
  memory: { waits: 1_000, servers: 200, jobDurationS: 120 },
  processes: { waits: 500, servers: 100, processes: 4, requestsPerMinute: 300, burst: 50 },
  jobDurationS: [180, 600],
  sequential: false,
};

export const QUICK: BenchConfig = {
  ...FULL,
  mode: "quick",
  scale: 40,
  singleDurationsS: [180, 420],
  limited: { ...FULL.limited, waits: 250, servers: 50 },
  refresh: { resources: 250, servers: 50, gone: 25 },
  memory: { ...FULL.memory, waits: 500, servers: 100 },
};

export const SCENARIO_LETTERS: Record<ScenarioId, string> = {
  single: "a",
  fleet: "b",
  limited: "c",
  refresh: "d",
  memory: "e",
  processes: "f",
};

export const SCENARIO_TITLES: Record<ScenarioId, (c: BenchConfig) => string> = {
  single: (c) => `(a) single wait, one at a time (jobs of ${c.singleDurationsS.join(", ")} s)`,
  fleet: (c) => `(b) ${c.fleet.waits} waits on ${c.fleet.servers} servers`,
  limited: (c) =>
    `(c) ${c.limited.waits} waits on ${c.limited.servers} servers, API limited to ` +
    `${c.limited.requestsPerMinute} requests/min (burst ${c.limited.burst})`,
  refresh: (c) =>
    `(d) refresh of ${c.refresh.resources} resources on ${c.refresh.servers} servers, ${c.refresh.gone} of them gone`,
  memory: (c) => `(e) memory: ${c.memory.waits} waits at once on ${c.memory.servers} servers, no limit`,
  processes: (c) =>
    `(f) ${c.processes.waits} waits on ${c.processes.servers} servers behind ${c.processes.requestsPerMinute} ` +
    `requests/min, from 1 process and from ${c.processes.processes}`,
};

/** One job of a schedule: which of the scenario's servers, and how long it runs after its POST. */
export interface PlannedJob {
  server: number;
  durationMs: number;
}

/** The seeded schedule: job i goes to server i mod servers (so each server gets waits/servers jobs). */
export function jobSchedule(config: BenchConfig, waits: number, servers: number): PlannedJob[] {
  const random = mulberry32(config.seed);
  const [low, high] = config.jobDurationS;
  return Array.from({ length: waits }, (_, i) => ({
    server: i % servers,
    durationMs: Math.round((low + random() * (high - low)) * 1000),
  }));
}

/** A small seeded PRNG (public domain), so the schedule is the same on every run and machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Reads `--quick`, `--scale N`, `--seed N`, `--scenarios a,b`, `--sequential`, `--out DIR`, `--waits N`. */
export function parseArgs(argv: string[]): { config: BenchConfig; outDir: string | undefined } {
  const has = (flag: string) => argv.includes(flag);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (flag: string) => {
    const raw = value(flag);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got "${raw}"`);
    return n;
  };
  const config: BenchConfig = structuredClone(has("--quick") ? QUICK : FULL);
  const scale = number("--scale");
  const seed = number("--seed");
  const waits = number("--waits");
  if (scale !== undefined || seed !== undefined || waits !== undefined) config.mode = "custom";
  if (scale !== undefined) config.scale = scale;
  if (seed !== undefined) config.seed = Math.round(seed);
  if (waits !== undefined) {
    // A tiny run (tests): every scenario shrinks to about this many waits.
    const n = Math.round(waits);
    config.singleDurationsS = config.singleDurationsS.slice(0, Math.max(1, Math.min(n, 2)));
    config.fleet = { waits: n, servers: Math.max(1, Math.ceil(n / 5)) };
    config.limited = { ...config.limited, waits: n, servers: Math.max(1, Math.ceil(n / 5)) };
    config.refresh = { resources: n, servers: Math.max(1, Math.ceil(n / 5)), gone: Math.floor(n / 10) };
    config.memory = { ...config.memory, waits: n, servers: Math.max(1, Math.ceil(n / 5)) };
    config.processes = {
      ...config.processes,
      waits: n,
      servers: Math.max(config.processes.processes, Math.ceil(n / 5)),
    };
  }
  const scenarios = value("--scenarios");
  if (scenarios !== undefined) {
    const ids = scenarios.split(",").map((s) => s.trim());
    for (const id of ids) {
      if (!SCENARIO_IDS.includes(id as ScenarioId))
        throw new Error(`--scenarios: unknown "${id}" (use ${SCENARIO_IDS.join(",")})`);
    }
    config.scenarios = ids as ScenarioId[];
    config.mode = "custom";
  }
  if (has("--sequential")) config.sequential = true;
  return { config, outDir: value("--out") };
}

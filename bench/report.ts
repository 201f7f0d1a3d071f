// Turns the runs into real-scale numbers, the markdown report, the targets and the last line.
import { type BenchConfig, SCENARIO_TITLES, type ScenarioId } from "./config";
import { POLICY_IDS, POLICY_LABELS, POLICY_NOTES, type PolicyId } from "./policies";
import type { RunResult } from "./scenarios";

/** One run in real-world units (seconds, MB); counts, failures and notes as the run gave them. */
export interface Row extends Pick<
  RunResult,
  | "scenario"
  | "policy"
  | "processes"
  | "waits"
  | "listRequests"
  | "allRequests"
  | "rateLimited"
  | "failures"
  | "failureSamples"
  | "stderrLines"
  | "serverRequests"
  | "notes"
> {
  lagP50S: number | null;
  lagP95S: number | null;
  lagMaxS: number | null;
  wallS: number;
  lastDoneS: number;
  longestJobS: number;
  peakRssMb: number;
  rssGrowthMb: number;
  heapGrowthMb: number;
  /** After a full GC with every create answered: MB held per 1,000 pending waits (heap, RSS). */
  retainedPer1000?: { pendingWaits: number; heapMb: number; rssMb: number };
}

export function toRow(run: RunResult, scale: number): Row {
  const lags = [...run.lagsMs].sort((a, b) => a - b).map((ms) => (ms * scale) / 1000);
  const mb = (bytes: number) => bytes / 1_048_576;
  return {
    scenario: run.scenario,
    policy: run.policy,
    processes: run.processes,
    waits: run.waits,
    listRequests: run.listRequests,
    allRequests: run.allRequests,
    rateLimited: run.rateLimited,
    failures: run.failures,
    lagP50S: percentile(lags, 0.5),
    lagP95S: percentile(lags, 0.95),
    lagMaxS: lags.length ? lags[lags.length - 1] : null,
    // A refresh has no scaled interval in it (reads back to back, no limit): its wall time is real.
    wallS: (run.wallMs * (run.scenario === "refresh" ? 1 : scale)) / 1000,
    lastDoneS: (run.lastDoneMs * scale) / 1000,
    longestJobS: run.longestJobMs / 1000,
    peakRssMb: mb(run.rssPeakBytes),
    rssGrowthMb: mb(run.rssPeakBytes - run.rssStartBytes),
    heapGrowthMb: mb(run.heapPeakBytes - run.heapStartBytes),
    retainedPer1000:
      run.retained && run.retained.pendingWaits > 0
        ? {
            pendingWaits: run.retained.pendingWaits,
            heapMb: (mb(run.retained.heapBytes - run.retained.baseHeapBytes) / run.retained.pendingWaits) * 1000,
            rssMb: (mb(run.retained.rssBytes - run.retained.baseRssBytes) / run.retained.pendingWaits) * 1000,
          }
        : undefined,
    failureSamples: run.failureSamples,
    stderrLines: run.stderrLines,
    serverRequests: run.serverRequests,
    notes: run.notes,
  };
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const find = (rows: Row[], scenario: ScenarioId, policy: PolicyId, processes = 1) =>
  rows.find((r) => r.scenario === scenario && r.policy === policy && r.processes === processes);

/** Scenario (f): ours from one process, and from several. */
const processRows = (rows: Row[]) => {
  const single = find(rows, "processes", "ours");
  const multi = rows.find((r) => r.scenario === "processes" && r.processes > 1);
  return { single, multi };
};

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || b === 0) return null;
  return a / b;
}

const fmtRatio = (r: number | null) => (r === null ? "n/a" : r.toFixed(2));

/** The ratios both the last line and the targets report (null: not measured). */
function ratios(rows: Row[]) {
  const ours = (s: ScenarioId) => find(rows, s, "ours");
  const scc = (s: ScenarioId) => find(rows, s, "statechangeconf");
  const { single, multi } = processRows(rows);
  return {
    // Ours against StateChangeConf.
    requests: ratio(ours("fleet")?.listRequests, scc("fleet")?.listRequests),
    lagP95: ratio(ours("fleet")?.lagP95S, scc("fleet")?.lagP95S),
    singleRequests: ratio(ours("single")?.listRequests, scc("single")?.listRequests),
    // (f): several processes against one doing the same work.
    multiFailures: multi?.failures ?? null,
    multiThrottled: ratio(multi?.rateLimited, multi?.allRequests),
    multiRequests: ratio(multi?.listRequests, single?.listRequests),
    multiLag: ratio(multi?.lagP95S, single?.lagP95S),
    progressLines: single?.stderrLines ?? null,
  };
}

/**
 * `bench: requests_ratio=... lag_p95_ratio=... single_requests_ratio=... failures_1000=...
 * multi_process_failures=... multi_process_throttled_share=... multi_process_requests_vs_single=...
 * multi_process_lag_vs_single=... progress_lines_500=...`
 */
export function finalLine(rows: Row[]): string {
  const r = ratios(rows);
  const plain = (v: number | null) => (v === null ? "n/a" : String(v));
  return (
    `bench: requests_ratio=${fmtRatio(r.requests)}` +
    ` lag_p95_ratio=${fmtRatio(r.lagP95)}` +
    ` single_requests_ratio=${fmtRatio(r.singleRequests)}` +
    ` failures_1000=${find(rows, "limited", "ours")?.failures ?? "n/a"}` +
    ` multi_process_failures=${plain(r.multiFailures)}` +
    ` multi_process_throttled_share=${r.multiThrottled === null ? "n/a" : r.multiThrottled.toFixed(3)}` +
    ` multi_process_requests_vs_single=${fmtRatio(r.multiRequests)}` +
    ` multi_process_lag_vs_single=${fmtRatio(r.multiLag)}` +
    ` progress_lines_500=${plain(r.progressLines)}`
  );
}

/** The targets, each with its measured value and whether it is met. */
export function targets(rows: Row[]): Array<{ target: string; measured: string; met: boolean | null }> {
  const ours = (s: ScenarioId) => find(rows, s, "ours");
  const scc = (s: ScenarioId) => find(rows, s, "statechangeconf");
  const r = ratios(rows);
  const out: Array<{ target: string; measured: string; met: boolean | null }> = [];
  const add = (target: string, value: number | null, limit: number, unit = "x") =>
    out.push({
      target,
      measured:
        value === null
          ? "n/a"
          : unit === "x"
            ? `${value.toFixed(2)}x`
            : unit === "%"
              ? `${(value * 100).toFixed(1)}%`
              : String(value),
      met: value === null ? null : value <= limit,
    });
  add("(b) list requests, ours / StateChangeConf <= 0.2", r.requests, 0.2);
  add("(b) p95 lag, ours / StateChangeConf <= 0.5", r.lagP95, 0.5);
  add("(a) list requests, ours / StateChangeConf <= 1", r.singleRequests, 1);
  add("(a) worst lag, ours / StateChangeConf <= 1", ratio(ours("single")?.lagMaxS, scc("single")?.lagMaxS), 1);
  const limited = ours("limited");
  if (limited) {
    out.push({ target: "(c) failures = 0", measured: String(limited.failures), met: limited.failures === 0 });
    add("(c) answers that are 429 < 5%", ratio(limited.rateLimited, limited.allRequests), 0.05, "%");
    add("(c) p95 lag, ours / StateChangeConf <= 0.5", ratio(limited.lagP95S, scc("limited")?.lagP95S), 0.5);
  }
  const { single, multi } = processRows(rows);
  if (single && multi) {
    const n = multi.processes;
    out.push({
      target: `(f) failures from ${n} processes = 0`,
      measured: String(multi.failures),
      met: multi.failures === 0,
    });
    add(`(f) answers that are 429, ${n} processes < 5%`, r.multiThrottled, 0.05, "%");
    add(`(f) list requests, ${n} processes / 1 <= 4.5`, r.multiRequests, 4.5);
    add(`(f) p95 lag, ${n} processes / 1 <= 1.5`, r.multiLag, 1.5);
    if (single.waits === 500) add("(f) lines on stderr for 500 waits <= 100", single.stderrLines, 100, "");
  }
  const refresh = ours("refresh");
  if (refresh) {
    const perServer = refresh.waits / 5; // 5 resources per server in every configuration
    add(`(d) list requests per server <= 1`, ratio(refresh.listRequests, perServer), 1);
  }
  return out;
}

const num = (n: number) => n.toLocaleString("en-US");
const secs = (s: number | null) => (s === null ? "–" : `${roundSeconds(s)} s`);

/** Seconds with two decimals under 1 s, one under 10 s, else whole (the report's tables, the chart's labels). */
export function roundSeconds(s: number): string {
  return s < 1 ? s.toFixed(2) : s < 10 ? s.toFixed(1) : String(Math.round(s));
}

export interface ReportMeta {
  command: string;
  startedAt: string;
  runSeconds: number;
  chartFile: string;
}

export function markdownReport(config: BenchConfig, rows: Row[], meta: ReportMeta): string {
  const lines: string[] = [];
  lines.push(`# Benchmark results (${config.mode})`, "");
  lines.push(
    `\`${meta.command}\`, ${meta.startedAt}, Node ${process.version}, ${require("node:os").cpus().length} CPUs; ` +
      `the whole run took ${Math.round(meta.runSeconds)} s. Time scaled ${config.scale}x (every interval and job ` +
      `duration divided by ${config.scale}); every time below is at real-world scale. Seed ${config.seed}.`,
    "",
  );
  lines.push("Policies (each against its own emulator over HTTP, same seeded job schedule):", "");
  for (const id of POLICY_IDS) lines.push(`- **${POLICY_LABELS[id]}**: ${POLICY_NOTES[id]}.`);
  lines.push(
    "",
    "Ours uses this project's HTTP client; the peers a model of their SDKs' (go-retryablehttp as the DigitalOcean " +
      "provider sets it: 4 retries of a 429, 5xx or lost answer, Retry-After honoured, else 1 s doubling; no " +
      "client-side rate limit; bench/peer-http.ts). All resources of a " +
      "scenario start at once, as with Pulumi's default (unbounded) parallelism; Terraform's default " +
      "`-parallelism=10` would run (b) and (c) in batches of 10 instead. Jobs finish by the emulator's control API " +
      "at their scheduled time after their POST; lag is the time from that moment to the wait returning, over the " +
      "waits that succeeded (failed creates and waits are counted apart). Wall time runs from the first POST to " +
      "the last wait returning; in brackets, when the last job completed. " +
      `${config.sequential ? "Policies ran one after another." : "The policies of a scenario ran side by side (one process each)."}`,
    "",
  );
  const pollNote = rows.flatMap((r) => r.notes).find((n) => n.startsWith("our poll settings"));
  if (pollNote) lines.push(`pulumi-vpsorg: ${pollNote}.`, "");
  lines.push(`![list requests and p95 lag per scenario and policy](${meta.chartFile})`, "");
  lines.push("## Summary (list requests / p95 lag)", "", readmeTable(config, rows), "");
  for (const scenario of config.scenarios) {
    lines.push(`## ${SCENARIO_TITLES[scenario](config)}`, "");
    const longest = rows.find((r) => r.scenario === scenario)?.longestJobS ?? 0;
    if (longest > 0 && scenario !== "memory") {
      lines.push(`Longest job: ${Math.round(longest)} s from its POST (the least wall time a policy can take).`, "");
    }
    const table =
      scenario === "memory"
        ? memoryTable(rows)
        : scenario === "processes"
          ? processesTable(rows)
          : scenarioTable(rows, scenario);
    lines.push(...table, "");
    for (const r of rows.filter((x) => x.scenario === scenario)) {
      for (const sample of r.failureSamples) lines.push(`- ${POLICY_LABELS[r.policy]} failure: ${sample}`);
      for (const note of r.notes.filter((n) => n !== pollNote)) lines.push(`- ${POLICY_LABELS[r.policy]}: ${note}`);
    }
    lines.push("");
  }
  const memory = memoryLine(rows);
  if (memory) lines.push("## RSS growth per 1,000 waits", "", memory, "");
  lines.push("## Targets", "", "| target | measured | met |", "| --- | --: | --- |");
  for (const t of targets(rows))
    lines.push(`| ${t.target} | ${t.measured} | ${t.met === null ? "–" : t.met ? "yes" : "**no**"} |`);
  lines.push("");
  lines.push("```", finalLine(rows), "```", "");
  return lines.join("\n");
}

function scenarioTable(rows: Row[], scenario: ScenarioId): string[] {
  const lines = [
    "| policy | list requests | all requests | 429s | failures | lag p50 | lag p95 | lag max | wall (last job done) | peak RSS |",
    "| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |",
  ];
  for (const id of POLICY_IDS) {
    const r = find(rows, scenario, id);
    if (!r) continue;
    const wall = scenario === "refresh" ? `${secs(r.wallS)} (not scaled)` : `${secs(r.wallS)} (${secs(r.lastDoneS)})`;
    lines.push(
      `| ${POLICY_LABELS[id]} | ${num(r.listRequests)} | ${num(r.allRequests)} | ${num(r.rateLimited)} | ` +
        `${num(r.failures)} of ${num(r.waits)} | ${secs(r.lagP50S)} | ${secs(r.lagP95S)} | ${secs(r.lagMaxS)} | ` +
        `${wall} | ${r.peakRssMb.toFixed(0)} MB |`,
    );
  }
  return lines;
}

/** (f): the same work from one provider process and from several, on one account behind one limit. */
function processesTable(rows: Row[]): string[] {
  const lines = [
    "| ours, from | list requests | all requests | 429s | share 429 | failures | lag p50 | lag p95 | lag max | wall | lines on stderr |",
    "| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |",
  ];
  for (const r of rows.filter((x) => x.scenario === "processes")) {
    const share = r.allRequests ? `${((r.rateLimited / r.allRequests) * 100).toFixed(1)}%` : "–";
    lines.push(
      `| ${r.processes} process${r.processes > 1 ? "es" : ""} | ${num(r.listRequests)} | ${num(r.allRequests)} | ` +
        `${num(r.rateLimited)} | ${share} | ${num(r.failures)} of ${num(r.waits)} | ${secs(r.lagP50S)} | ` +
        `${secs(r.lagP95S)} | ${secs(r.lagMaxS)} | ${secs(r.wallS)} | ${num(r.stderrLines)} |`,
    );
  }
  return lines;
}

/** (e): what waiting holds once every create has answered, after a full GC, per 1,000 waits. */
function memoryTable(rows: Row[]): string[] {
  const lines = [
    "| policy | waits pending | heap per 1,000 waits | RSS growth per 1,000 waits | peak RSS | list requests | failures |",
    "| --- | --: | --: | --: | --: | --: | --: |",
  ];
  for (const id of POLICY_IDS) {
    const r = find(rows, "memory", id);
    if (!r) continue;
    const m = r.retainedPer1000;
    lines.push(
      `| ${POLICY_LABELS[id]} | ${m ? num(m.pendingWaits) : "–"} | ${m ? `${m.heapMb.toFixed(1)} MB` : "–"} | ` +
        `${m ? `${m.rssMb.toFixed(1)} MB` : "–"} | ${r.peakRssMb.toFixed(0)} MB | ${num(r.listRequests)} | ` +
        `${num(r.failures)} of ${num(r.waits)} |`,
    );
  }
  return lines;
}

/**
 * Memory per 1,000 waits for ours, from (e): after a full GC once every create has answered (the
 * waits pending), against a GC'd look before the first request. RSS includes what the burst of
 * creates left the process holding; heap is what the waiting itself keeps.
 */
export function memoryLine(rows: Row[]): string | undefined {
  const r = find(rows, "memory", "ours");
  const m = r?.retainedPer1000;
  if (!r || !m) return undefined;
  return (
    `pulumi-vpsorg, with ${num(m.pendingWaits)} waits pending (scenario (e), after a full GC): ` +
    `**RSS grew ${m.rssMb.toFixed(1)} MB per 1,000 waits**, of which ${m.heapMb.toFixed(1)} MB is JavaScript heap ` +
    `(the rest is what the burst of ${num(r.waits)} creates left the process holding: sockets, buffers, ` +
    `code); peak RSS ${r.peakRssMb.toFixed(0)} MB.`
  );
}

/** A short table for the README: per scenario, list requests and p95 lag of each policy. */
export function readmeTable(config: BenchConfig, rows: Row[]): string {
  const head = `| scenario | ${POLICY_IDS.map((id) => POLICY_LABELS[id]).join(" | ")} |`;
  const lines = [head, `| --- | ${POLICY_IDS.map(() => "---").join(" | ")} |`];
  for (const scenario of config.scenarios.filter((s) => s !== "memory" && s !== "processes")) {
    const cells = POLICY_IDS.map((id) => {
      const r = find(rows, scenario, id);
      if (!r) return "–";
      const fails = r.failures ? `, **${num(r.failures)} failed**` : "";
      const lag = scenario === "refresh" ? `${secs(r.wallS)} wall` : `p95 ${secs(r.lagP95S)}`;
      const limited = r.rateLimited ? `, ${num(r.rateLimited)} × 429` : "";
      return `${num(r.listRequests)} lists${limited} / ${lag}${fails}`;
    });
    lines.push(`| ${SCENARIO_TITLES[scenario](config)} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

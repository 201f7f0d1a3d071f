// npm run bench [-- --quick] [--scale N] [--seed N] [--scenarios single,fleet,limited,refresh,memory]
//                 [--waits N] [--sequential] [--out DIR]
// Every waiting policy side by side against the emulator over HTTP (see bench/policies.ts and
// bench/config.ts); writes bench/results/<mode>.md, .svg and .json and prints the report. The
// last line printed sums the run up:
//   bench: requests_ratio=... lag_p95_ratio=... single_requests_ratio=... failures_1000=...
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { compileBench } from "./compile";
import { type BenchConfig, parseArgs, SCENARIO_TITLES } from "./config";
import { POLICY_IDS, type PolicyId } from "./policies";
import { finalLine, markdownReport, type Row, toRow } from "./report";
import { runScenario } from "./scenarios";
import { chartSvg } from "./svg";

export interface BenchOutput {
  rows: Row[];
  markdown: string;
  svg: string;
  finalLine: string;
  files: string[];
}

export async function runBench(config: BenchConfig, outDir: string, command: string): Promise<BenchOutput> {
  const started = Date.now();
  const rows: Row[] = [];
  const paths = compileBench();
  try {
    for (const scenario of config.scenarios) {
      const t0 = Date.now();
      console.log(`running ${SCENARIO_TITLES[scenario](config)} ...`);
      const run = (policy: PolicyId) => runScenario(config, scenario, policy, paths);
      if (scenario === "processes") {
        // Ours only: one process, then several, one after the other (each its own emulator).
        for (const processes of [1, config.processes.processes]) {
          rows.push(toRow(await runScenario(config, scenario, "ours", paths, processes), config.scale));
        }
      } else if (config.sequential) {
        for (const policy of POLICY_IDS) rows.push(toRow(await run(policy), config.scale));
      } else {
        rows.push(...(await Promise.all(POLICY_IDS.map(run))).map((result) => toRow(result, config.scale)));
      }
      console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    paths.cleanup();
  }
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, config.mode);
  const chartFile = `${config.mode}.svg`;
  const markdown = markdownReport(config, rows, {
    command,
    startedAt: new Date(started).toISOString().replace(/\.\d+Z$/, "Z"),
    runSeconds: (Date.now() - started) / 1000,
    chartFile,
  });
  const svg = chartSvg(config, rows);
  const files = [`${base}.md`, `${base}.svg`, `${base}.json`];
  writeFileSync(files[0], await pretty(markdown, "markdown"));
  writeFileSync(files[1], svg);
  writeFileSync(files[2], await pretty(JSON.stringify({ config, rows }), "json"));
  return { rows, markdown, svg, finalLine: finalLine(rows), files };
}

/** Formats like the repository's prettier config, so `npm run lint` accepts the committed results. */
async function pretty(text: string, parser: "markdown" | "json"): Promise<string> {
  try {
    const prettier = require("prettier") as typeof import("prettier");
    return await prettier.format(text, { parser, printWidth: 120 });
  } catch {
    return text; // prettier is a dev dependency; without it the results are still written
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { config, outDir } = parseArgs(argv);
  const dir = outDir ?? join(__dirname, "results");
  const out = await runBench(config, dir, `npm run bench${argv.length ? ` -- ${argv.join(" ")}` : ""}`);
  console.log("");
  // The report without its title and its closing copy of the last line, which follows on its own.
  console.log(out.markdown.slice(out.markdown.indexOf("\n") + 1, out.markdown.lastIndexOf("```\nbench:")).trim());
  console.log(`results: ${out.files.map((f) => relative(process.cwd(), f)).join(", ")}`);
  console.log(out.finalLine);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

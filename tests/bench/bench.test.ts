// The benchmark's code paths in a tiny configuration: not its speed (that is what `npm run bench`
// reports), but that every policy runs, the report has its shape and the last line parses.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peerDelays, POLICY_LABELS } from "../../bench/policies";

const ROOT = join(__dirname, "..", "..");

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", join(ROOT, "scripts", "register-ts.js"), join(ROOT, "bench", "main.ts"), ...args],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The summary line: the ratios of scenarios (a) to (c), then (f)'s against one process, and (f)'s stderr lines. */
const LAST_LINE = new RegExp(
  "^bench: requests_ratio=(\\S+) lag_p95_ratio=(\\S+) single_requests_ratio=(\\S+) failures_1000=(\\S+) " +
    "multi_process_failures=(\\S+) multi_process_throttled_share=(\\S+) multi_process_requests_vs_single=(\\S+) " +
    "multi_process_lag_vs_single=(\\S+) progress_lines_500=(\\S+)$",
);

test("the peers' schedules are the documented ones", () => {
  const checksAt = (next: () => number, n: number) => {
    let t = 0;
    return Array.from({ length: n }, () => (t += next()) / 1000);
  };
  expect(checksAt(peerDelays("statechangeconf"), 6)).toEqual([10, 13, 19, 29, 39, 49]);
  expect(checksAt(peerDelays("aws"), 4)).toEqual([0, 15, 30, 45]);
  expect(checksAt(peerDelays("hcloud"), 8)).toEqual([1, 3, 7, 15, 31, 63, 123, 183]);
});

test("a tiny run of scenario (b) writes the report, the chart and the data, and ends with the summary line", async () => {
  const out = mkdtempSync(join(tmpdir(), "vpsorg-bench-"));
  try {
    const { code, stdout, stderr } = await run([
      "--scenarios",
      "fleet",
      "--waits",
      "3",
      "--scale",
      "200",
      "--out",
      out,
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });

    const last = stdout.trimEnd().split("\n").pop();
    const match = LAST_LINE.exec(last ?? "");
    expect(match).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(0);
    expect(Number(match?.[2])).toBeGreaterThan(0);
    expect(match?.[3]).toBe("n/a"); // scenario (a) did not run
    expect(match?.[4]).toBe("n/a"); // nor (c)
    expect(match?.slice(5)).toEqual(["n/a", "n/a", "n/a", "n/a", "n/a"]); // nor (f)

    const data = JSON.parse(readFileSync(join(out, "custom.json"), "utf8")) as {
      rows: Array<{
        policy: string;
        scenario: string;
        waits: number;
        listRequests: number;
        failures: number;
        lagP95S: number;
      }>;
    };
    expect(data.rows.map((r) => r.policy).sort()).toEqual(["aws", "hcloud", "ours", "statechangeconf"]);
    for (const row of data.rows) {
      expect(row).toMatchObject({ scenario: "fleet", waits: 3, failures: 0 });
      expect(row.listRequests).toBeGreaterThan(0);
      expect(row.lagP95S).toBeGreaterThanOrEqual(0);
    }

    const markdown = readFileSync(join(out, "custom.md"), "utf8");
    expect(markdown).toContain("## (b) 3 waits on 1 servers");
    for (const label of Object.values(POLICY_LABELS)) expect(markdown).toContain(`| ${label}`);
    expect(markdown).toContain("## Targets");
    expect(markdown).toContain("![list requests and p95 lag per scenario and policy](custom.svg)");

    const svg = readFileSync(join(out, "custom.svg"), "utf8");
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<rect /g)?.length).toBe(1 + 4 + 2 * 4); // background, legend, 4 bars in each of 2 panels
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("a tiny run of scenario (f) runs ours from one process and from several, and sums it up", async () => {
  const out = mkdtempSync(join(tmpdir(), "vpsorg-bench-"));
  try {
    const { code, stdout, stderr } = await run([
      "--scenarios",
      "processes",
      "--waits",
      "8",
      "--scale",
      "200",
      "--out",
      out,
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const match = LAST_LINE.exec(stdout.trimEnd().split("\n").pop() ?? "");
    expect(match?.slice(1, 5)).toEqual(["n/a", "n/a", "n/a", "n/a"]);
    expect(match?.[5]).toBe("0"); // no failure from several processes
    expect(Number(match?.[6])).toBeGreaterThanOrEqual(0);
    expect(Number(match?.[7])).toBeGreaterThan(0);
    expect(Number(match?.[8])).toBeGreaterThan(0);
    expect(Number(match?.[9])).toBeGreaterThanOrEqual(0);
    const data = JSON.parse(readFileSync(join(out, "custom.json"), "utf8")) as {
      rows: Array<{ scenario: string; policy: string; processes: number; waits: number; failures: number }>;
    };
    expect(data.rows.map((r) => [r.scenario, r.policy, r.processes, r.waits, r.failures])).toEqual([
      ["processes", "ours", 1, 8, 0],
      ["processes", "ours", 4, 8, 0],
    ]);
    const markdown = readFileSync(join(out, "custom.md"), "utf8");
    expect(markdown).toMatch(/\| 1 process +\|/);
    expect(markdown).toMatch(/\| 4 processes +\|/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

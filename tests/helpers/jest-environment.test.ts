// The suite's test environment (jest-environment.js) keeps jest workers small: without it, every
// test file that serializes a provider stays in the worker's memory, and a worker grown to a
// gigabyte takes longer than jest's 500 ms to exit ("A worker process has failed to exit
// gracefully"). Runs jest in band over four such files, once on it and once on jest's plain "node"
// environment, and reads which earlier files' sandboxes are still reachable after a full garbage
// collection.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const CASES = join(ROOT, "tests", "fixtures", "worker-memory");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vpsorg-retention-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Per test file, in the order jest ran them: the earlier files whose sandbox is still reachable. */
function runCases(environment: "ours" | "plain"): { file: string; retained: string[] }[] {
  const log = join(dir, `retention-${environment}.jsonl`);
  const config = {
    rootDir: ROOT,
    roots: [CASES],
    testMatch: ["**/*.case.ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.check.json", diagnostics: false }] },
    testEnvironment: join(CASES, "environment.js"),
  };
  const env: NodeJS.ProcessEnv = { ...process.env, RETENTION_LOG: log };
  if (environment === "plain") env.PLAIN_NODE_ENVIRONMENT = "1";
  const jest = require.resolve("jest/bin/jest");
  const run = spawnSync(
    process.execPath,
    ["--expose-gc", jest, "--runInBand", "--ci", "--config", JSON.stringify(config)],
    { cwd: ROOT, encoding: "utf8", env },
  );
  expect({ status: run.status, stderr: run.status === 0 ? "" : run.stderr }).toEqual({ status: 0, stderr: "" });
  return readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

test("on the suite's environment, no test file's modules outlive it but the worker's first", () => {
  const files = runCases("ours");
  expect(files).toHaveLength(4);
  // The first file a worker runs stays reachable for reasons of Node's own (a file that only loads
  // axios does that too, with or without Pulumi): a constant, not a growth.
  const first = files[0].file;
  for (const { retained } of files) expect(retained.filter((f) => f !== first)).toEqual([]);
}, 120_000);

test("on jest's plain node environment, every file that serialized a provider stays (the test can fail)", () => {
  const files = runCases("plain");
  expect(files).toHaveLength(4);
  expect(files[3].retained).toEqual(files.slice(0, 3).map((f) => f.file));
}, 120_000);

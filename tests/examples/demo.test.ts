// `npm run demo` as a new user sees it: progress lines and one short table, no object dumps.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { table } from "../../scripts/demo";
import { PROGRAM_DIR } from "../helpers/stack";

test("the demo prints timed progress lines, a summary table and the request counts", async () => {
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ["-r", "./scripts/register-ts.js", join("scripts", "demo.ts")],
    { cwd: PROGRAM_DIR, timeout: 60_000 },
  );
  expect(stderr).toBe("");
  const lines = stdout.trimEnd().split("\n");
  expect(lines[0]).toMatch(/^\[ +\d+\.\d s\] emulator: http:\/\/127\.0\.0\.1:\d+\/api\/v1/);
  expect(stdout).toMatch(/^\[ +\d+\.\d s\] destroy: 2 deleted, 0 left in the state$/m);
  expect(stdout).toMatch(/^resource +kind +id +name +status +size MB$/m);
  expect(stdout).toMatch(/^pre-upgrade +Snapshot +\d+ +pre-upgrade-\w+ +completed +\d+$/m);
  expect(stdout).toMatch(/^pre-deploy +Backup +\d+ +- +completed +\d+$/m);
  expect(lines.at(-1)).toMatch(/^API requests: (\d+ (GET|POST|DELETE)(, )?)+/);
  expect(stdout).not.toMatch(/[{}]/); // no object dumps
}, 60_000);

test("table pads columns to the widest cell and shows absent values as -", () => {
  expect(
    table(
      ["a", "long header"],
      [
        ["wide cell", null],
        ["x", 1],
      ],
    ),
  ).toBe(["a          long header", "---------  -----------", "wide cell  -", "x          1"].join("\n"));
});

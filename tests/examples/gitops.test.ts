// examples/gitops as shipped: its workflow (parsed), its own dependencies (vendored tarballs and a
// lock file that matches them), and its program, installed from the vendored tarball, run the way
// the workflow's test job runs it: up, up again with no changes, a new release, destroy.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { MiniEngine } from "../harness/engine";
import { programFrom } from "../harness/load-program";
import { runProgram } from "../harness/program";
import type { ProviderHost } from "../harness/provider-host";
import { useEmulator } from "../helpers/emulator";
import { PROGRAM_DIR, programConfig, startHost } from "../helpers/stack";
import { installTarball } from "../packaging/tarball";

const EXAMPLE = join(PROGRAM_DIR, "examples", "gitops");
const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
const workflow = load(readFileSync(join(EXAMPLE, ".github", "workflows", "infrastructure.yml"), "utf8")) as {
  on: { pull_request: { paths: string[] }; push: { branches: string[]; paths: string[] } };
  permissions: Record<string, string>;
  defaults: { run: { "working-directory": string } };
  jobs: Record<string, Job>;
};
const dir = workflow.defaults.run["working-directory"];
const runs = (job: string) => workflow.jobs[job].steps.map((s) => s.run ?? "").join("\n");
const pulumiAction = (job: string) =>
  workflow.jobs[job].steps.find((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command);

describe("the workflow", () => {
  test("runs in the stack's folder: run steps, the Pulumi action, the npm cache and the path filters", () => {
    expect(dir).toBe("infra");
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
      expect([name, node?.with?.["cache-dependency-path"]]).toEqual([name, `${dir}/package-lock.json`]);
      expect([name, runs(name)]).toEqual([name, expect.stringMatching(/^npm ci$/m)]);
    }
    for (const job of ["preview", "up"]) expect(pulumiAction(job)?.with?.["work-dir"]).toBe(dir);
    expect(workflow.on.pull_request.paths).toContain(`${dir}/**`);
    expect(workflow.on.push.paths).toContain(`${dir}/**`);
  });

  test("has least-privilege permissions: read everywhere, a pull-request comment only in preview", () => {
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(workflow.jobs.test.permissions).toEqual({ contents: "read" });
    expect(workflow.jobs.preview.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(workflow.jobs.up.permissions).toEqual({ contents: "read" });
    expect(pulumiAction("preview")?.with).toMatchObject({
      "comment-on-pr": true,
      "github-token": "${{ secrets.GITHUB_TOKEN }}",
    });
  });

  test("previews pull requests and applies main, both after the emulator test passed", () => {
    expect(workflow.on.push.branches).toEqual(["main"]);
    expect(pulumiAction("preview")?.with?.command).toBe("preview");
    expect(workflow.jobs.preview.if).toBe("github.event_name == 'pull_request'");
    expect(pulumiAction("up")?.with?.command).toBe("up");
    expect(workflow.jobs.up.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(workflow.jobs.preview.needs).toBe("test");
    expect(workflow.jobs.up.needs).toBe("test");
  });

  test("tests the stack against the emulator with no VPS.org account and no secret", () => {
    const test = runs("test");
    expect(test).toMatch(/npx vpsorg-emulator --port 8080 --token vps_ci /);
    expect(test).toMatch(/grep -q "listening on"/); // the CLI's first line (tests/emulator/cli.test.ts)
    expect(test).toMatch(/pulumi config set vpsorg:apiUrl http:\/\/127\.0\.0\.1:8080\/api\/v1\n/);
    expect(test).toMatch(/pulumi config set --secret vpsorg:apiToken vps_ci\n/);
    expect(test).toMatch(
      /pulumi up --yes --skip-preview\n\s*pulumi up --yes --expect-no-changes\n\s*pulumi destroy --yes/,
    );
    expect(JSON.stringify(workflow.jobs.test)).not.toMatch(/secrets\./);
  });
});

describe("its dependencies", () => {
  const manifest = json(join(EXAMPLE, "package.json"));
  const lock = json(join(EXAMPLE, "package-lock.json"));
  const vendored = {
    "pulumi-vpsorg": manifest.dependencies["pulumi-vpsorg"],
    "vpsorg-emulator": manifest.devDependencies["vpsorg-emulator"],
  };

  test("resolve in a copy of the folder: vendored tarballs, no path into this repository", () => {
    const specs = JSON.stringify({ ...manifest.dependencies, ...manifest.devDependencies });
    expect(specs).not.toMatch(/file:\.\./);
    const root = json(join(PROGRAM_DIR, "package.json"));
    for (const [name, spec] of Object.entries(vendored)) {
      // A version bump must re-vendor (scripts/vendor-gitops.sh).
      expect([name, spec]).toEqual([name, `file:vendor/${name}-${root.version}.tgz`]);
    }
  });

  test("the lock file matches package.json and the vendored tarballs byte for byte (npm ci checks both)", () => {
    const top = lock.packages[""];
    expect({ dependencies: top.dependencies, devDependencies: top.devDependencies }).toEqual({
      dependencies: manifest.dependencies,
      devDependencies: manifest.devDependencies,
    });
    for (const [name, spec] of Object.entries(vendored)) {
      const file = String(spec).replace(/^file:/, "");
      const integrity = `sha512-${createHash("sha512")
        .update(readFileSync(join(EXAMPLE, file)))
        .digest("base64")}`;
      expect(lock.packages[`node_modules/${name}`]).toMatchObject({ resolved: spec, integrity });
    }
    expect(lock.packages["node_modules/@pulumi/pulumi"].version).toBe("3.248.0"); // the last for Node.js 20
  });

  test("the vendored packages hold the files this checkout packs (re-vendor when files are added)", () => {
    const expected = json(join(PROGRAM_DIR, "tests", "packaging", "expected-files.json"));
    for (const [name, spec] of Object.entries(vendored)) {
      const listing = execFileSync("tar", ["-tzf", join(EXAMPLE, String(spec).replace(/^file:/, ""))], {
        encoding: "utf8",
      });
      const files = listing
        .trim()
        .split("\n")
        .map((f) => f.replace(/^package\//, ""))
        .sort();
      expect([name, files]).toEqual([name, expected[name]]);
    }
  });
});

describe("its program, installed from the vendored tarball", () => {
  const emu = useEmulator({ snapshotDurationMs: 200 });
  let work: string;
  let host: ProviderHost;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "vpsorg-gitops-"));
    for (const file of ["index.ts", "Pulumi.yaml", "package.json"]) copyFileSync(join(EXAMPLE, file), join(work, file));
    const spec = json(join(EXAMPLE, "package.json")).dependencies["pulumi-vpsorg"];
    installTarball(join(EXAMPLE, spec.replace(/^file:/, "")), work);
    host = await startHost(emu.url, { cwd: work });
  });
  afterAll(async () => {
    await host?.stop();
    programConfig("release", "unreleased");
    rmSync(work, { recursive: true, force: true });
  });

  test("up, up again with no changes, a new release replaces the snapshot, destroy leaves nothing", async () => {
    const program = programFrom(join(work, "index.ts"));
    const engine = new MiniEngine(host);
    programConfig("release", "sha-1");
    const first = await runProgram(program, engine, "up");
    expect(first.errors).toEqual([]);
    expect(first.steps.get("pre-release")).toBe("create");
    const again = await runProgram(program, engine, "up"); // pulumi up --expect-no-changes
    expect(Object.fromEntries(again.steps)).toEqual({ "pre-release": "same" });

    programConfig("release", "sha-2");
    const next = await runProgram(program, engine, "up");
    expect(next.errors).toEqual([]);
    expect(next.steps.get("pre-release")).toBe("replace");
    const mine = (await emu.control.state()).snapshots.filter((s) => s.name.startsWith("pre-release-"));
    expect(mine.map((s) => s.name)).toEqual([next.outputs.snapshotName]);

    await engine.deleteAllBut();
    expect((await emu.control.state()).snapshots.map((s) => s.id)).toEqual([801, 798]);
  });
});

// The README's Quickstart, run as written: every command of its shell blocks, in order, from a clone
// to a program running against the emulator. What needs no Pulumi CLI runs for real (mkdir, cd, the
// pack, every `npm install` into an empty stack folder, `npx vpsorg-emulator`); what does is stood in
// for: `git clone` by this checkout, `pulumi new typescript` by the template's files, `pulumi config
// set` by the stack config the provider host is given (and it must be what the emulator printed),
// `pulumi up` and `destroy` by the real dynamic-provider host driven as the engine drives it. A
// command this test does not know fails it, so the README and the test cannot drift apart.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { MiniEngine } from "../harness/engine";
import { programFrom } from "../harness/load-program";
import { runProgram } from "../harness/program";
import { type ProviderHost, secret } from "../harness/provider-host";
import { controlFor } from "../helpers/emulator";
import { startHost } from "../helpers/stack";
import { fences, readDoc, REPO } from "./markdown";

const README = readDoc("README.md");
const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));

/** The Quickstart's blocks, from its heading to the next section. */
function quickstart() {
  const lines = README.split("\n");
  const start = lines.indexOf("## Quickstart against the emulator") + 1;
  const end = lines.findIndex((line, i) => i > start && line.startsWith("## "));
  expect([start > 0, end > start]).toEqual([true, true]);
  return fences("README.md", README).filter((f) => f.line > start && f.line < end);
}

/** A command of a shell block, with the README line it is on; comments dropped, `a && b` split. */
function commands(code: string, firstLine: number): Array<{ command: string; line: number }> {
  return code.split("\n").flatMap((text, i) =>
    text
      .replace(/\s+#.*$/, "")
      .split(" && ")
      .map((command) => ({ command: command.trim(), line: firstLine + i }))
      .filter(({ command }) => command !== ""),
  );
}

/** npm's environment without what an outer `npm test` set for its own package, and with no prompt or audit. */
function npmEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };
}

interface Run {
  root: string;
  cwd: string;
  emulator?: { child: ChildProcess; url: string; printed: string[] };
  config: Record<string, string>;
  host?: ProviderHost;
  engine?: MiniEngine;
  seeded?: { snapshots: number[]; backups: number[] };
}

/** How each command of the Quickstart is run here; the first match wins. */
const STEPS: Array<[RegExp, (run: Run, m: RegExpExecArray) => void | Promise<void>]> = [
  [
    /^git clone (\S+)$/,
    (run, [, url]) => {
      // This checkout is the clone: its repository is the one the README names.
      expect(url).toBe(manifest.repository.url.replace(/^git\+/, ""));
      mkdirSync(join(run.cwd, basename(url, ".git")));
    },
  ],
  [/^cd (\S+)$/, (run, [, dir]) => void (run.cwd = resolve(run.cwd, dir))],
  [/^mkdir (\S+)$/, (run, [, dir]) => mkdirSync(resolve(run.cwd, dir))],
  // The checkout's dependencies are installed: this test runs after `npm ci`.
  [/^npm ci$/, () => undefined],
  [
    /^npm run pack:local$/,
    (run) => {
      // `npm test` builds before jest; the script's other half packs into the clone's packages/.
      expect(manifest.scripts["pack:local"]).toBe("npm run build && node scripts/pack-local.js");
      for (const built of ["dist/sdk/index.js", "emulator/dist/cli.js"])
        expect(existsSync(join(REPO, built))).toBe(true);
      execFileSync(process.execPath, [join(REPO, "scripts", "pack-local.js"), join(run.cwd, "packages")], {
        env: npmEnv(),
        stdio: "pipe",
      });
    },
  ],
  [/^pulumi login --local$/, () => undefined], // the harness keeps the state itself
  [
    /^pulumi new typescript --yes$/,
    (run) => {
      // The README promises an empty folder; `pulumi new` lays out Pulumi's TypeScript template there.
      expect(readdirSync(run.cwd)).toEqual([]);
      const template = join(REPO, "tests", "packaging", "consumer");
      const { dependencies, ...pkg } = JSON.parse(readFileSync(join(template, "package.json"), "utf8"));
      delete dependencies["pulumi-vpsorg"];
      const name = basename(run.cwd);
      writeFileSync(join(run.cwd, "package.json"), JSON.stringify({ ...pkg, name, dependencies }, null, 2));
      writeFileSync(join(run.cwd, "tsconfig.json"), readFileSync(join(template, "tsconfig.json")));
      writeFileSync(join(run.cwd, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
      writeFileSync(join(run.cwd, "index.ts"), 'import * as pulumi from "@pulumi/pulumi";\n');
    },
  ],
  [
    /^npm install (.+)$/,
    (run, [, args]) => {
      execFileSync("npm", ["install", ...args.split(/\s+/)], { cwd: run.cwd, env: npmEnv(), stdio: "pipe" });
    },
  ],
  [
    /^npx vpsorg-emulator (.*)$/,
    async (run, [, args]) => {
      // Port 8080 may be taken on this machine: a free one instead, and the printed lines compared as if 8080.
      const argv = args.replace("--port 8080", "--port 0").split(/\s+/);
      const child = spawn("npx", ["vpsorg-emulator", ...argv], { cwd: run.cwd, env: npmEnv(), detached: true });
      const printed = await new Promise<string>((ok, fail) => {
        let out = "";
        child.stdout?.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("Ctrl-C stops it.")) ok(out);
        });
        child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("exit", (code) => fail(new Error(`the emulator exited with ${code}: ${out}`)));
      });
      const url = /listening on (http:\/\/\S+)/.exec(printed)![1];
      const as8080 = printed.replaceAll(new URL(url).host, "127.0.0.1:8080");
      run.emulator = { child, url, printed: as8080.split("\n").map((line) => line.trim()) };
      const state = await controlFor(url.replace(/\/api\/v1$/, "/_emulator")).state();
      run.seeded = { snapshots: state.snapshots.map((s) => s.id), backups: state.backups.map((b) => b.id) };
    },
  ],
  [
    /^pulumi config set (--secret )?(vpsorg:\w+) (\S+)$/,
    (run, m) => {
      // Exactly a line the emulator printed to paste.
      expect(run.emulator?.printed).toContain(m[0]);
      run.config[m[2]] = m[3].replace("http://127.0.0.1:8080", new URL(run.emulator!.url).origin);
    },
  ],
  [/^pulumi up --yes$/, (run) => up(run)],
  [/^pulumi destroy --yes$/, (run) => destroy(run)],
];

/** `pulumi up`: index.ts run through the real provider host, which loads the stack's installed packages. */
async function up(run: Run) {
  // The harness mocks the engine in its own copy of @pulumi/pulumi, so the program must load that copy:
  // the stack's is replaced by it, once shown to be the same release.
  const installed = join(run.cwd, "node_modules", "@pulumi", "pulumi");
  const version = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  const ours = join(REPO, "node_modules", "@pulumi", "pulumi");
  expect(version(installed).split(".").slice(0, 2)).toEqual(version(ours).split(".").slice(0, 2));
  rmSync(installed, { recursive: true });
  symlinkSync(ours, installed, "dir");
  expect(existsSync(join(run.cwd, "node_modules", "pulumi-vpsorg", "node_modules", "@pulumi"))).toBe(false);

  const { "vpsorg:apiUrl": url, "vpsorg:apiToken": token } = run.config;
  run.host = await startHost(url, { cwd: run.cwd, config: { "vpsorg:apiToken": secret(token) } });
  run.engine = new MiniEngine(run.host);
  const result = await runProgram(programFrom(join(run.cwd, "index.ts")), run.engine, "up");
  expect(result.errors).toEqual([]);
  const state = await controlFor(run.emulator!.url.replace(/\/api\/v1$/, "/_emulator")).state();
  const made = [...state.snapshots, ...state.backups].filter(
    (o) => !run.seeded!.snapshots.includes(o.id) && !run.seeded!.backups.includes(o.id),
  );
  expect(made.length).toBeGreaterThan(0);
  expect(made.map((o) => o.status)).toEqual(made.map(() => "completed"));
  expect(run.engine.resources.size).toBe(made.length);
}

async function destroy(run: Run) {
  await run.engine!.deleteAllBut();
  const state = await controlFor(run.emulator!.url.replace(/\/api\/v1$/, "/_emulator")).state();
  expect(state.snapshots.map((s) => s.id)).toEqual(run.seeded!.snapshots);
  expect(state.backups.map((b) => b.id)).toEqual(run.seeded!.backups);
}

let run: Run;
afterAll(async () => {
  await run?.host?.stop();
  try {
    if (run?.emulator?.child.pid) process.kill(-run.emulator.child.pid, "SIGTERM"); // npx and the emulator under it
  } catch {
    // already gone
  }
  if (run) rmSync(run.root, { recursive: true, force: true });
});

test("the Quickstart's commands, run in order from a clone to a program against the emulator, all succeed", async () => {
  const root = mkdtempSync(join(tmpdir(), "vpsorg-quickstart-"));
  run = { root, cwd: root, config: {} };
  const ran: string[] = [];
  for (const block of quickstart()) {
    if (block.lang === "ts") {
      // "Replace index.ts with:" the program.
      writeFileSync(join(run.cwd, "index.ts"), block.code);
      ran.push("index.ts");
      continue;
    }
    expect([block.line, block.lang]).toEqual([block.line, "sh"]);
    for (const { command, line } of commands(block.code, block.line)) {
      const step = STEPS.map(([pattern, fn]) => [pattern.exec(command), fn] as const).find(([m]) => m);
      if (!step) throw new Error(`README.md:${line}: the test does not know how to run \`${command}\``);
      try {
        await step[1](run, step[0]!);
      } catch (error) {
        throw new Error(`README.md:${line}: \`${command}\` failed: ${(error as Error).message}`);
      }
      ran.push(command);
    }
  }
  // What makes it a quickstart: the packages installed from the pack, the emulator, a program up and down.
  expect(ran).toEqual(
    expect.arrayContaining([
      "npm run pack:local",
      expect.stringMatching(/^npm install \S*packages\/pulumi-vpsorg\.tgz$/),
      expect.stringMatching(/^npm install --save-dev \S*packages\/vpsorg-emulator\.tgz$/),
      expect.stringMatching(/^npx vpsorg-emulator /),
      "index.ts",
      "pulumi up --yes",
      "pulumi destroy --yes",
    ]),
  );
}, 300_000);

test("the README's test command is the one CI runs", () => {
  const ci = readFileSync(join(REPO, ".ci", "run"), "utf8");
  expect(ci).toMatch(/^npm ci && npm test$/m);
  const lines = fences("README.md", README)
    .filter((f) => f.lang === "sh")
    .flatMap((f) => f.code.split("\n").map((line) => line.replace(/\s+#.*$/, "").trim()));
  expect(lines).toContain("npm ci && npm test");
});

test("what the README's commands leave in the clone is ignored by git: packed tarballs, the plugin's build", () => {
  const ignored = readFileSync(join(REPO, ".gitignore"), "utf8").split("\n");
  // npm run pack:local writes packages/, npm pack *.tgz, npm run build:plugin dist-plugin/.
  expect(ignored).toEqual(expect.arrayContaining(["packages/", "*.tgz", "dist-plugin/"]));
});

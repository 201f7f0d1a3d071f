// The emulator's CLI, run as npx runs the bin of the vpsorg-emulator package: through its shebang
// and executable bit, from the built emulator/dist.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { OPTIONS } from "../../emulator/cli";
import { VpsOrgClient } from "../../provider/client";

const PACKAGE = join(__dirname, "..", "..", "emulator");
const BIN = join(PACKAGE, JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")).bin["vpsorg-emulator"]);

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end (it must end by itself within a few seconds). */
function run(args: string[]): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const cli = spawn(BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    cli.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    cli.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => cli.kill(), 10_000);
    cli.on("error", reject);
    cli.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the CLI, returns what it printed on start, and stops it (SIGTERM) after `use`. */
async function started(args: string[], use: (printed: string) => Promise<void>): Promise<Ended> {
  const cli = spawn(BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
  const ended = new Promise<Ended>((resolve) => {
    let stdout = "";
    let stderr = "";
    cli.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    cli.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    cli.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  try {
    const printed = await new Promise<string>((resolve, reject) => {
      let out = "";
      cli.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("Ctrl-C stops it.")) resolve(out);
      });
      cli.on("error", reject);
      cli.on("exit", (code) => reject(new Error(`exited with ${code} before it was ready`)));
    });
    await use(printed);
  } finally {
    cli.kill("SIGTERM");
  }
  return ended;
}

test("on start it prints the URL, every account with its server, and lines to paste that work as printed", async () => {
  const args = ["--port", "0", "--token", "vps_a", "--token", "vps_b", "--token", "prod=vps_c"];
  const ended = await started(args, async (printed) => {
    expect(printed).toMatch(/^vpsorg-emulator \d+\.\d+\.\d+ listening on http:\/\/127\.0\.0\.1:\d+\/api\/v1$/m);
    expect(printed).toMatch(/^control API: http:\/\/127\.0\.0\.1:\d+\/_emulator$/m);
    expect(printed).toMatch(/^ {2}default: vps_a {2}server 12345 \(web-server-01: the vendor's example/m);
    const servers = Object.fromEntries(
      [...printed.matchAll(/^ {2}(\w+): (\S+) {2}server (\d+) /gm)].map((m) => [m[2], Number(m[3])]),
    );
    expect(Object.keys(servers)).toEqual(["vps_a", "vps_b", "vps_c"]);
    const exported = Object.fromEntries([...printed.matchAll(/^ {2}export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
    expect(exported).toMatchObject({
      VPS_API_TOKEN: "vps_a",
      VPS_API_TOKEN_ACCOUNT2: "vps_b",
      VPS_API_TOKEN_PROD: "vps_c",
    });
    expect(printed).toContain(`pulumi config set vpsorg:apiUrl ${exported.VPS_API_URL}\n`);
    expect(printed).toContain("pulumi config set --secret vpsorg:apiToken vps_a\n");
    expect(printed).toContain("pulumi config set --secret --path vpsorg:accounts.account2.apiToken vps_b\n");
    expect(printed).toContain("pulumi config set --secret --path vpsorg:accounts.prod.apiToken vps_c\n");
    // Each printed token sees the server printed beside it, and only that one.
    for (const [token, serverId] of Object.entries(servers)) {
      const seen = await new VpsOrgClient({ token, baseUrl: exported.VPS_API_URL }).servers.list();
      expect([token, seen.map((s) => s.id)]).toEqual([token, [serverId]]);
    }
  });
  expect(ended).toMatchObject({ code: 0, stderr: "" }); // SIGTERM: closed cleanly
});

test.each([["vps a"], ['vps"a'], ["prod=vps a"], ["vps_a;rm"]])(
  "a token that cannot be pasted (%j) is refused, exit code 2",
  async (token) => {
    const { code, stdout, stderr } = await run(["--token", "vps_ok", "--token", token]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^vpsorg-emulator: --token ".*" cannot be pasted as it is: a token may hold only letters/);
  },
);

test("a port in use is one line saying so and how to choose another, exit code 3", async () => {
  const busy: Server = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  const { port } = busy.address() as { port: number };
  try {
    const { code, stdout, stderr } = await run(["--port", String(port)]);
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `vpsorg-emulator: port ${port} on 127.0.0.1 is already in use: stop what uses it, or choose --port 0 for a free one\n`,
    );
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
});

test("--version prints the emulator package's version", async () => {
  const { version } = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8"));
  expect(await run(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
});

test("--help lists every flag the CLI accepts, and -h is the same", async () => {
  const help = await run(["--help"]);
  expect(help.code).toBe(0);
  for (const [flag, spec] of Object.entries(OPTIONS)) {
    expect([flag, help.stdout.includes(`--${flag}`)]).toEqual([flag, true]);
    if ("short" in spec) expect(help.stdout).toContain(`-${spec.short}, --${flag}`);
  }
  // ... and lists no flag it does not accept.
  const listed = [...help.stdout.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]);
  expect([...new Set(listed)].sort()).toEqual(Object.keys(OPTIONS).sort());
  expect(await run(["-h"])).toEqual(help);
});

test.each([
  [["--prot", "8080"], /^vpsorg-emulator: Unknown option '--prot'/],
  [["--port", "99999"], /^vpsorg-emulator: --port must be a whole number from 0 to 65535, got "99999"/],
  [["--backup-duration", "soon"], /^vpsorg-emulator: --backup-duration must be a whole number/],
])("bad arguments %j: the flag named, a pointer to --help, exit code 2, no stack", async (args, message) => {
  const { code, stdout, stderr } = await run(args);
  expect(code).toBe(2);
  expect(stdout).toBe("");
  expect(stderr).toMatch(message);
  expect(stderr).toMatch(/\nRun vpsorg-emulator --help for every flag\.\n$/);
  expect(stderr).not.toMatch(/^\s+at /m);
});

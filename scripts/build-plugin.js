#!/usr/bin/env node
// npm run build:plugin [-- OUT_DIR]: builds the resource plugin, pulumi-resource-vpsorg, for this
// machine's OS and architecture, as Pulumi installs plugins:
//   OUT_DIR/pulumi-resource-vpsorg-v<version>-<os>-<arch>.tar.gz  (unpacked flat: the executable, LICENSE, LICENSE.node)
//   OUT_DIR/schema.json                                             (the package schema, as GetSchema answers)
// The executable is a Node.js single executable application: a Node.js LTS runtime (RUNTIME below,
// fetched once from the npm registry, where Node.js publishes it as node-<os>-<arch>, and checked
// against the registry's integrity) with the plugin bundled into it (esbuild), so users need no
// Node.js of their own, and the Node.js that builds it may be any of this project's. The runtime
// ignores NODE_OPTIONS (execArgvExtension "none"): the engine starts the plugin in the user's
// folder, whose environment must not load code into it. OUT_DIR: dist-plugin.
// VPSORG_PLUGIN_NODE=/path/to/node builds on that runtime instead (offline; Node.js 24.6 or later).
const { execFileSync } = require("node:child_process");
const {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} = require("node:fs");
const { tmpdir } = require("node:os");
const { join, resolve } = require("node:path");

/** The Node.js release inside the executable: an active LTS line. */
const RUNTIME = "24.22.3";
const repo = resolve(__dirname, "..");
const out = resolve(process.argv[2] ?? join(repo, "dist-plugin"));
const { version } = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
// Pulumi names platforms as Go does; Node.js's packages as Node.js does.
const os = { linux: "linux", darwin: "darwin", win32: "windows" }[process.platform];
const arch = { x64: "amd64", arm64: "arm64" }[process.arch];
if (!os || !arch) throw new Error(`no plugin build for ${process.platform}-${process.arch}`);
const name = "pulumi-resource-vpsorg";
const executable = os === "windows" ? `${name}.exe` : name;

/** The runtime's executable and its licence: VPSORG_PLUGIN_NODE, or RUNTIME from the npm registry (cached). */
function runtime() {
  if (process.env.VPSORG_PLUGIN_NODE) {
    return { node: process.env.VPSORG_PLUGIN_NODE, license: undefined };
  }
  const pkg = `node-${process.platform === "win32" ? "win" : process.platform}-${process.arch}`;
  const dir = join(repo, "node_modules", ".cache", name, `${pkg}-${RUNTIME}`);
  const node = join(dir, "package", "bin", process.platform === "win32" ? "node.exe" : "node");
  if (!existsSync(node)) {
    mkdirSync(dir, { recursive: true });
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", `${pkg}@${RUNTIME}`, "--json", "--pack-destination", dir], { encoding: "utf8" }),
    );
    execFileSync("tar", ["-xzf", join(dir, packed.filename), "-C", dir]);
    rmSync(join(dir, packed.filename));
  }
  return { node, license: join(dir, "package", "LICENSE") };
}

async function build() {
  const work = mkdtempSync(join(tmpdir(), "vpsorg-plugin-"));
  try {
    // 1. One file with everything the plugin runs (a single executable can load only built-in modules).
    const bundle = join(work, "plugin.js");
    await require("esbuild").build({
      entryPoints: [join(repo, "plugin", "bin.ts")],
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      outfile: bundle,
      logLevel: "warning",
      legalComments: "inline",
    });
    // 2. The executable: the runtime, with the bundle injected.
    const { node, license } = runtime();
    const blob = join(work, "sea-prep.blob");
    const seaConfig = join(work, "sea-config.json");
    const sea = { main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true };
    writeFileSync(seaConfig, JSON.stringify({ ...sea, execArgvExtension: "none" }));
    execFileSync(node, ["--experimental-sea-config", seaConfig], { stdio: "ignore" });
    const stage = join(work, "stage");
    mkdirSync(stage);
    const binary = join(stage, executable);
    copyFileSync(node, binary);
    chmodSync(binary, 0o755);
    // macOS runs only signed executables: the runtime's signature goes before the injection, an
    // ad-hoc one after (not built or tested on this project's CI, which is Linux).
    if (os === "darwin") execFileSync("codesign", ["--remove-signature", binary]);
    if (os === "linux") {
      try {
        execFileSync("strip", [binary]); // symbols the plugin never needs
      } catch {
        // no strip here: the executable works as it is, only larger
      }
    }
    // postject's own CLI, in a process of its own: its library prints a harmless warning about the
    // stripped runtime's sections straight to stdout; shown here only if the injection fails.
    const inject = [require.resolve("postject/dist/cli.js"), binary, "NODE_SEA_BLOB", blob];
    inject.push("--sentinel-fuse", "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2");
    if (os === "darwin") inject.push("--macho-segment-name", "NODE_SEA");
    execFileSync(process.execPath, inject, { stdio: "pipe" });
    if (os === "darwin") execFileSync("codesign", ["--sign", "-", binary]);
    copyFileSync(join(repo, "LICENSE"), join(stage, "LICENSE"));
    const files = [executable, "LICENSE"];
    if (license) {
      copyFileSync(license, join(stage, "LICENSE.node")); // Node.js's own licence, for the runtime inside
      files.push("LICENSE.node");
    }
    // 3. The tarball, flat, as `pulumi plugin install` and pluginDownloadURL expect it; and the schema.
    mkdirSync(out, { recursive: true });
    const tarball = join(out, `${name}-v${version}-${os}-${arch}.tar.gz`);
    execFileSync("tar", ["-czf", tarball, "-C", stage, ...files]);
    require(join(repo, "scripts", "register-ts.js"));
    const { packageSchema } = require(join(repo, "plugin", "schema.ts"));
    writeFileSync(join(out, "schema.json"), `${JSON.stringify(packageSchema(), null, 2)}\n`);
    console.log(tarball);
    console.log(join(out, "schema.json"));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

build().catch((error) => {
  console.error(`build-plugin: ${error.message}`);
  process.exit(1);
});

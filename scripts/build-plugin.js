#!/usr/bin/env node
// npm run build:plugin [-- OUT_DIR]: builds the resource plugin, pulumi-resource-vpsorg, for this
// machine's OS and architecture, as Pulumi installs plugins:
//   OUT_DIR/pulumi-resource-vpsorg-v<version>-<os>-<arch>.tar.gz  (unpacked flat: the executable, LICENSE)
//   OUT_DIR/schema.json                                             (the package schema, as GetSchema answers)
// The executable is a Node.js single executable application: this Node (20 or later) with the
// plugin bundled into it (esbuild), so users need no Node.js of their own. OUT_DIR: dist-plugin.
const { execFileSync } = require("node:child_process");
const { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join, resolve } = require("node:path");

const repo = resolve(__dirname, "..");
const out = resolve(process.argv[2] ?? join(repo, "dist-plugin"));
const { version } = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
// Pulumi names platforms as Go does.
const os = { linux: "linux", darwin: "darwin", win32: "windows" }[process.platform];
const arch = { x64: "amd64", arm64: "arm64" }[process.arch];
if (!os || !arch) throw new Error(`no plugin build for ${process.platform}-${process.arch}`);
const name = "pulumi-resource-vpsorg";
const executable = os === "windows" ? `${name}.exe` : name;

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
    // 2. The executable: this node, with the bundle injected.
    const blob = join(work, "sea-prep.blob");
    const seaConfig = join(work, "sea-config.json");
    writeFileSync(
      seaConfig,
      JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }),
    );
    execFileSync(process.execPath, ["--experimental-sea-config", seaConfig], { stdio: "ignore" });
    const stage = join(work, "stage");
    mkdirSync(stage);
    const binary = join(stage, executable);
    copyFileSync(process.execPath, binary);
    chmodSync(binary, 0o755);
    if (os === "linux") {
      try {
        execFileSync("strip", [binary]); // some 12 MB of symbols the plugin never needs
      } catch {
        // no strip here: the executable works as it is, only larger
      }
    }
    await require("postject").inject(binary, "NODE_SEA_BLOB", readFileSync(blob), {
      sentinelFuse: "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2",
      machoSegmentName: os === "darwin" ? "NODE_SEA" : undefined,
    });
    copyFileSync(join(repo, "LICENSE"), join(stage, "LICENSE"));
    // 3. The tarball, flat, as `pulumi plugin install` and pluginDownloadURL expect it; and the schema.
    mkdirSync(out, { recursive: true });
    const tarball = join(out, `${name}-v${version}-${os}-${arch}.tar.gz`);
    execFileSync("tar", ["-czf", tarball, "-C", stage, executable, "LICENSE"]);
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

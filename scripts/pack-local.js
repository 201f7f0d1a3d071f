#!/usr/bin/env node
// npm run pack:local [-- DIR]: packs this checkout's two packages into DIR (default ./packages) as
// pulumi-vpsorg.tgz and vpsorg-emulator.tgz, names without a version, so that a stack's
// `npm install /path/to/packages/pulumi-vpsorg.tgz` stays the same command from one release to the
// next. Until the packages are on npm, this is how a stack installs them. Expects a build (the npm
// script builds first).
const { execFileSync } = require("node:child_process");
const { mkdirSync, renameSync } = require("node:fs");
const { join, resolve } = require("node:path");

const repo = resolve(__dirname, "..");
const dir = resolve(process.argv[2] ?? join(repo, "packages"));
mkdirSync(dir, { recursive: true });
for (const [name, workspace] of [["pulumi-vpsorg"], ["vpsorg-emulator", "vpsorg-emulator"]]) {
  const args = ["pack", "--json", "--ignore-scripts", "--pack-destination", dir];
  if (workspace) args.push("--workspace", workspace);
  const [packed] = JSON.parse(execFileSync("npm", args, { cwd: repo, encoding: "utf8" }));
  renameSync(join(dir, packed.filename), join(dir, `${name}.tgz`));
  console.log(`${join(dir, `${name}.tgz`)}  (${name} ${packed.version})`);
}

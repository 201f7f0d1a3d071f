#!/usr/bin/env bash
# Packs this checkout's two packages into examples/gitops/vendor/ and refreshes the example's lock
# file, so the example installs as shipped (`npm ci`) before the packages are on npm. Run it after
# a version bump, and before a release. Needs the npm registry for the example's other dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
rm -f examples/gitops/vendor/*.tgz
npm pack --ignore-scripts --pack-destination examples/gitops/vendor
npm pack --ignore-scripts --workspace vpsorg-emulator --pack-destination examples/gitops/vendor
cd examples/gitops
# package.json names the tarballs just packed (their names carry the version); npm keeps a locked
# tarball's old integrity when the version is unchanged, and old placements of their dependencies:
# forget those lock entries first.
node -e '
  const fs = require("fs");
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  for (const file of fs.readdirSync("vendor").filter((f) => f.endsWith(".tgz"))) {
    const name = file.replace(/-\d+\.\d+\.\d+(-[\w.]+)?\.tgz$/, "");
    for (const deps of [pkg.dependencies, pkg.devDependencies]) if (deps?.[name]) deps[name] = `file:vendor/${file}`;
  }
  fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
  if (!fs.existsSync("package-lock.json")) process.exit(0);
  const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
  // The two packages, and what the emulator brings (fastify, and the light-my-request it pins so that
  // Node 20 installs it without an engine warning): resolved again, as a fresh install resolves them.
  const again = /node_modules\/(pulumi-vpsorg|vpsorg-emulator|fastify|light-my-request|cookie|set-cookie-parser)(\/|$)/;
  for (const key of Object.keys(lock.packages)) if (again.test(key)) delete lock.packages[key];
  fs.writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");'
npm install --package-lock-only --ignore-scripts --no-audit --no-fund

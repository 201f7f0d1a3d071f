// `npm ci` on a supported Node version installs without a warning: no package of the lock refuses
// this Node (EBADENGINE), none refuses the oldest Node the packages declare, and every install
// script npm would ask about is decided in package.json's allowScripts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { REPO } from "./tarball";

interface LockEntry {
  version?: string;
  dev?: boolean;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
}
const lock = JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8")) as {
  packages: Record<string, LockEntry>;
};
const manifest = (dir: string) => JSON.parse(readFileSync(join(REPO, dir, "package.json"), "utf8"));
const nodeRange = (entry: LockEntry) => (Array.isArray(entry.engines) ? undefined : entry.engines?.node);

/** The lock's packages whose engines.node excludes `version`. */
function refusing(version: string, entries: Array<[string, LockEntry]>): string[] {
  return entries
    .filter(
      ([, entry]) => nodeRange(entry) && !semver.satisfies(version, nodeRange(entry)!, { includePrerelease: true }),
    )
    .map(([path, entry]) => `${path}@${entry.version} wants node ${nodeRange(entry)}`);
}

test("no installed package refuses the Node version running this (EBADENGINE)", () => {
  expect(refusing(process.version, Object.entries(lock.packages))).toEqual([]);
});

test("what users install runs on the oldest Node both packages declare, and they declare the same range", () => {
  const range = manifest(".").engines.node;
  expect(manifest("emulator").engines.node).toBe(range);
  // The oldest version of each alternative of the range: "^20.17.0 || >=22.9.0" is 20.17.0 and 22.9.0.
  const floors = new semver.Range(range).set.map(
    (set) => semver.minVersion(set.map((c) => c.value).join(" "))!.version,
  );
  expect(floors.length).toBeGreaterThan(0);
  const runtime = Object.entries(lock.packages).filter(([path, entry]) => path !== "" && !entry.dev);
  for (const floor of floors) {
    expect([floor, refusing(floor, runtime)]).toEqual([floor, []]);
  }
});

test("every install script in the lock is decided in allowScripts (npm 11 asks about the others)", () => {
  const decided = Object.keys(manifest(".").allowScripts ?? {});
  const scripted = Object.entries(lock.packages)
    .filter(([path, entry]) => entry.hasInstallScript && path.startsWith("node_modules/"))
    .map(([path]) => path.replace(/^.*node_modules\//, ""));
  expect(scripted.filter((name) => !decided.includes(name))).toEqual([]);
});

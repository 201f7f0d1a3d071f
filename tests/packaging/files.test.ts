// What `npm publish` would ship, checked against the list committed in expected-files.json.
// After adding or removing a source file on purpose, regenerate the list with
//   npm run build && UPDATE_PACKED_FILES=1 npx jest tests/packaging/files.test.ts
// and review the diff of expected-files.json like any other change of what users install.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pack, REPO } from "./tarball";

const EXPECTED = join(__dirname, "expected-files.json");
const packages = { "pulumi-vpsorg": undefined, "vpsorg-emulator": "vpsorg-emulator" } as const;
const packed = Object.fromEntries(
  Object.entries(packages).map(([name, workspace]) => [name, pack({ workspace }).files]),
) as Record<keyof typeof packages, string[]>;
const manifest = (dir: string) => JSON.parse(readFileSync(join(REPO, dir, "package.json"), "utf8"));
const root = manifest(".");
const emulator = manifest("emulator");

if (process.env.UPDATE_PACKED_FILES) {
  writeFileSync(EXPECTED, `${JSON.stringify(packed, null, 2)}\n`);
  console.log(
    `expected-files.json rewritten: ${packed["pulumi-vpsorg"].length} + ${packed["vpsorg-emulator"].length} files`,
  );
}

test.each(Object.keys(packages))("%s ships exactly the committed file list", (name) => {
  const expected: string[] = JSON.parse(readFileSync(EXPECTED, "utf8"))[name];
  const files = packed[name as keyof typeof packages];
  // Named differences first: a bare array diff of 60 paths hides the one that matters.
  expect({
    added: files.filter((f) => !expected.includes(f)),
    removed: expected.filter((f) => !files.includes(f)),
  }).toEqual({ added: [], removed: [] });
});

test("no source maps, and no compiled file points at one (the .ts sources are not shipped)", () => {
  for (const [name, files] of Object.entries(packed)) {
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    const dir = name === "vpsorg-emulator" ? "emulator" : ".";
    for (const file of files.filter((f) => f.endsWith(".js"))) {
      expect([file, readFileSync(join(REPO, dir, file), "utf8").includes("sourceMappingURL")]).toEqual([file, false]);
    }
  }
});

test("every entry point, typesVersions path and bin of both packages is in the tarball", () => {
  const shipped = (files: string[], path: string) => files.includes(path.replace(/^\.\//, ""));
  const rootFiles = packed["pulumi-vpsorg"];
  const targets = [root.main, root.types, ...Object.values(root.typesVersions["*"]).flat()];
  for (const entry of Object.values(root.exports) as Array<string | Record<string, string>>) {
    targets.push(...(typeof entry === "string" ? [entry] : Object.values(entry)));
  }
  for (const target of targets) expect([target, shipped(rootFiles, target)]).toEqual([target, true]);
  // Every subpath of `exports` has its types under "moduleResolution": "node" too (Pulumi's template).
  const subpaths = Object.keys(root.exports).filter((k) => k !== "." && !k.endsWith(".json"));
  expect(subpaths.map((k) => k.slice(2)).sort()).toEqual(Object.keys(root.typesVersions["*"]).sort());

  const emulatorFiles = packed["vpsorg-emulator"];
  for (const target of [emulator.main, emulator.types, emulator.bin["vpsorg-emulator"]]) {
    expect([target, shipped(emulatorFiles, target)]).toEqual([target, true]);
  }
  expect(readFileSync(join(REPO, "emulator", emulator.bin["vpsorg-emulator"]), "utf8")).toMatch(
    /^#!\/usr\/bin\/env node\n/,
  );
});

test("the provider package installs no server framework and no emulator", () => {
  expect(Object.keys(root.dependencies).sort()).toEqual(["@pulumi/pulumi", "axios", "zod"]);
  expect(root.bin).toBeUndefined();
  expect(Object.keys(root.exports)).not.toContain("./emulator");
  expect(packed["pulumi-vpsorg"].filter((f) => /emulator/.test(f))).toEqual([]);
  // light-my-request: pinned to the release that installs on Node 20 without an engine warning (fastify's own range pulls a newer one).
  expect(Object.keys(emulator.dependencies).sort()).toEqual(["fastify", "light-my-request", "zod"]);
});

test("both packages carry the same version, the Apache-2.0 licence text and their metadata", () => {
  expect(emulator.version).toBe(root.version);
  for (const pkg of [root, emulator]) {
    expect(pkg.license).toBe("Apache-2.0");
    expect(pkg.engines.node).toBe("^20.17.0 || >=22.9.0");
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(pkg.keywords).toEqual(expect.arrayContaining(["pulumi", "vps.org", "snapshots", "backups"]));
  }
  for (const dir of [".", "emulator"]) {
    expect(readFileSync(join(REPO, dir, "LICENSE"), "utf8")).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
  }
  expect(packed["pulumi-vpsorg"]).toContain("LICENSE");
  expect(packed["vpsorg-emulator"]).toContain("LICENSE");
});

// zod 4's own typings do not compile without esModuleInterop, which Pulumi's template tsconfig does
// not set, and skipLibCheck is off there too; nor do fastify's (pino's): a declaration a program can
// reach must import neither. (consumer.test.ts compiles a program; this names the file that broke it.)
test("no declaration reachable from an entry point of either package imports zod or fastify", () => {
  const reached = new Set<string>();
  const importingZod: string[] = [];
  const visit = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:from|import\()\s*"([^"]+)"/g)) {
      if (/^(zod|fastify|pino|light-my-request)(\/|$)/.test(spec)) importingZod.push(relative(REPO, file));
      if (!spec.startsWith(".")) continue;
      const base = join(dirname(file), spec);
      visit(existsSync(`${base}.d.ts`) ? `${base}.d.ts` : join(base, "index.d.ts"));
    }
  };
  for (const entry of [root.types, ...Object.values(root.typesVersions["*"]).flat()])
    visit(join(REPO, entry as string));
  visit(join(REPO, "emulator", emulator.types));
  expect(reached.size).toBeGreaterThan(10); // the walk followed imports
  expect([...reached].map((f) => relative(REPO, f))).toEqual(
    expect.arrayContaining(["dist/provider/client/http.d.ts", "emulator/dist/server.d.ts"]),
  );
  expect(importingZod).toEqual([]);
});

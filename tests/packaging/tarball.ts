// Packs this repository's packages the way `npm publish` would, and installs a tarball into a
// throwaway Pulumi program folder without the network: the tarball is extracted to
// node_modules/<name>, and each of its dependencies is a symlink to this repository's copy.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";

export const REPO = join(__dirname, "..", "..");

export interface Packed {
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Paths inside the package, as `npm pack --dry-run --json` lists them. */
  files: string[];
}

function ensureBuilt(): void {
  // `npm test` builds before jest; a test run on its own must say what is missing, not pack an empty package.
  for (const built of ["dist/sdk/index.js", "dist/provider/index.js", "emulator/dist/cli.js"]) {
    if (!existsSync(join(REPO, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
}

/** `npm pack` of the root package, or of a workspace; scripts off, since the build is already there. */
export function pack(options: { workspace?: string; destination?: string } = {}): Packed {
  ensureBuilt();
  const args = ["pack", "--json", "--ignore-scripts"];
  if (options.workspace) args.push("--workspace", options.workspace);
  args.push(...(options.destination ? ["--pack-destination", options.destination] : ["--dry-run"]));
  const out = execFileSync("npm", args, { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [result] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return {
    tarball: options.destination ? join(options.destination, result.filename) : "",
    files: result.files.map((f) => f.path).sort(),
  };
}

/** Links a package of this repository's node_modules into `programDir`'s node_modules. */
export function linkFromRepo(programDir: string, name: string): void {
  const target = join(programDir, "node_modules", name);
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(join(REPO, "node_modules", name), target, "dir");
}

/** What `npm install <tgz>` leaves behind, offline: the package, and its dependencies resolvable. */
export function installTarball(tarball: string, programDir: string): { name: string; version: string } {
  const unpacked = join(programDir, ".unpacked");
  rmSync(unpacked, { recursive: true, force: true });
  mkdirSync(unpacked, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", unpacked]);
  const manifest = JSON.parse(readFileSync(join(unpacked, "package", "package.json"), "utf8")) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
  };
  const target = join(programDir, "node_modules", manifest.name);
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(join(unpacked, "package"), target);
  rmSync(unpacked, { recursive: true, force: true });
  for (const dependency of Object.keys(manifest.dependencies ?? {})) linkFromRepo(programDir, dependency);
  return { name: manifest.name, version: manifest.version };
}

// The workers run plain JavaScript: the parent transpiles bench/, provider/ and emulator/ once per run into
// node_modules/.cache (so `axios` and `zod` still resolve from the repository's node_modules).
// Loading the TypeScript compiler in every worker would add ~100 MB to each worker's RSS and
// drown the memory a policy itself costs.
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const ROOT = join(__dirname, "..");

/** Transpiles the child processes' sources; returns their paths and a function removing the copy. */
export function compileBench(): { workerPath: string; hostPath: string; cleanup: () => void } {
  const ts = require("typescript") as typeof import("typescript");
  const out = join(ROOT, "node_modules", ".cache", "pulumi-vpsorg-bench", String(process.pid));
  rmSync(out, { recursive: true, force: true });
  for (const dir of ["bench", "provider", "emulator"]) {
    for (const file of tsFiles(join(ROOT, dir))) {
      const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      const target = join(out, relative(ROOT, file)).replace(/\.ts$/, ".js");
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, outputText);
    }
  }
  return {
    workerPath: join(out, "bench", "worker.js"),
    hostPath: join(out, "bench", "emulator-host.js"),
    cleanup: () => {
      rmSync(out, { recursive: true, force: true });
      try {
        rmdirSync(dirname(out)); // only when no other run is using it
      } catch {
        // another bench run's copy is still there
      }
    },
  };
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "results" ? [] : tsFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

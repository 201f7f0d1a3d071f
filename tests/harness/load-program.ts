// Runs a Pulumi program file afresh on each call, the way each `pulumi up` runs it once, while the
// modules it imports (@pulumi/pulumi, pulumi-vpsorg) are loaded once per test file and shared.
// jest.isolateModules would load a new @pulumi/pulumi for every run, and each copy adds its own
// process "exit" listener (its promise-leak detector): past ten runs, MaxListenersExceededWarning.
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import * as ts from "typescript";

export type Program = () => Record<string, unknown>;

/** `file` is a .ts (transpiled as Pulumi's TypeScript runtime does) or .js program; imports resolve from its folder. */
export function programFrom(file: string): Program {
  const source = readFileSync(file, "utf8");
  const js = file.endsWith(".ts")
    ? ts.transpileModule(source, {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText
    : source;
  const dir = dirname(file);
  // Through jest's require (this module's registry): a package resolved once is the same object every run.
  const load = (id: string) =>
    require(id.startsWith(".") || isAbsolute(id) ? resolve(dir, id) : require.resolve(id, { paths: [dir] }));
  const body = new Function("exports", "require", "module", "__filename", "__dirname", `${js}\n//# sourceURL=${file}`);
  return () => {
    const module = { exports: {} as Record<string, unknown> };
    body(module.exports, load, module, file, dir);
    return module.exports;
  };
}

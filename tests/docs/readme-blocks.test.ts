// Every TypeScript block of the documentation compiles as a user would compile it: each block its own
// file of a program laid out as Pulumi's TypeScript template lays it out, with the template's
// tsconfig (module commonjs, so no top-level await), against the packed packages installed from
// their tarballs. A block must be self-contained: whatever it uses, it declares or imports. A block
// that does not compile fails this test, named by its file and line.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { packageSchema } from "../../plugin/schema";
import { installTarball, linkFromRepo, pack } from "../packaging/tarball";
import { docFiles, type Fence, fences, readDoc, REPO } from "./markdown";

const TEMPLATE = JSON.parse(readFileSync(join(REPO, "tests", "packaging", "consumer", "tsconfig.json"), "utf8"));
const isTypeScript = (fence: Fence) => ["ts", "typescript"].includes(fence.lang);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vpsorg-doc-blocks-"));
  for (const workspace of [undefined, "vpsorg-emulator"])
    installTarball(pack({ workspace, destination: dir }).tarball, dir);
  linkFromRepo(dir, "typescript"); // the template's devDependencies
  linkFromRepo(dir, "@types/node");
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Compiles `blocks` in one tsc run; returns its errors as "file:line: error TSnnnn: message", each
 * at the line of the Markdown file it is on. Each block is made a module of its own (`export {}`), so
 * two blocks may declare the same names, and a top-level await is the error it is in a user's program.
 */
function compile(blocks: Fence[]): string[] {
  const names = new Map<string, Fence>();
  mkdirSync(join(dir, "blocks"), { recursive: true });
  for (const block of blocks) {
    const name = `blocks/${block.file.replace(/[^A-Za-z0-9]+/g, "_")}_L${block.line}.ts`;
    writeFileSync(join(dir, name), `${block.code}\nexport {};\n`);
    names.set(name, block);
  }
  const tsconfig = {
    ...TEMPLATE,
    compilerOptions: { ...TEMPLATE.compilerOptions, noEmit: true },
    files: [...names.keys()],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  let output = "";
  try {
    const tsc = join(dir, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "-p", dir, "--pretty", "false"], { cwd: dir, encoding: "utf8" });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  const errors: string[] = [];
  for (const line of output.split("\n")) {
    const at = /^(.+?)\((\d+),\d+\): (error TS\d+: .*)$/.exec(line);
    const block = at && names.get(at[1]);
    if (block) errors.push(`${block.file}:${block.line + Number(at![2]) - 1}: ${at![3]}`);
    else if (at)
      errors.push(line); // an error outside the blocks (a package's typings) is one too
    else if (line.trim() && errors.length) errors[errors.length - 1] += ` ${line.trim()}`;
  }
  return errors;
}

const documented = () => docFiles().flatMap((file) => fences(file, readDoc(file)).filter(isTypeScript));

test("every TypeScript block of README.md, docs/*.md and examples/*/README.md compiles with the template's tsconfig", () => {
  const blocks = documented();
  expect(blocks.filter((b) => b.file === "README.md").length).toBeGreaterThanOrEqual(5);
  // Every block with the template as it is (vpsorg-emulator's own types name none of fastify's or zod's).
  expect(blocks.some((b) => /from "vpsorg-emulator"/.test(b.code))).toBe(true);
  expect(compile(blocks)).toEqual([]);
}, 120_000);

test("a block that uses an undeclared name or a top-level await is reported by file and line (the check can fail)", () => {
  const markdown = [
    "# Example",
    "",
    "```ts",
    'import * as vpsorg from "pulumi-vpsorg";',
    "",
    "const found = await vpsorg.getSnapshots({ serverId: 12345 });",
    'if (config.getBoolean("rollback")) console.log(found.ids);',
    "```",
  ].join("\n");
  const errors = compile(fences("docs/example.md", markdown));
  expect(errors).toEqual([
    expect.stringMatching(/^docs\/example\.md:6: error TS1378: Top-level 'await' expressions are only allowed/),
    "docs/example.md:7: error TS2304: Cannot find name 'config'.",
  ]);
}, 120_000);

test("every YAML program in the docs names only the plugin's resource types and functions", () => {
  const schema = packageSchema() as { resources: object; functions: object };
  const known = new Set([
    ...Object.keys(schema.resources),
    ...Object.keys(schema.functions),
    "pulumi:providers:vpsorg",
  ]);
  const programs = docFiles().flatMap((file) =>
    fences(file, readDoc(file)).filter((f) => f.lang === "yaml" && /^resources:/m.test(f.code)),
  );
  expect(programs.length).toBeGreaterThan(0);
  const unknown: string[] = [];
  for (const program of programs) {
    const text = JSON.stringify(load(program.code));
    for (const [, token] of text.matchAll(/"(?:type|function)":"(vpsorg:[^"]+|pulumi:providers:[^"]+)"/g)) {
      if (!known.has(token)) unknown.push(`${program.file}:${program.line}: ${token}`);
    }
  }
  expect(unknown).toEqual([]);
});

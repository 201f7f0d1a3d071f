// Every relative link of the documentation resolves: to a file or folder of the repository, and, with
// an `#anchor`, to a heading of the Markdown file it names (as GitHub anchors headings). The README
// leads to docs/, so every page there must be linked from it.
import { existsSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { anchors, docFiles, links, readDoc, REPO, slug } from "./markdown";

/** What is wrong with the links of `file` (whose text is `text`): "file:line: target (why)". */
function brokenLinks(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const { line, target } of links(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ... are not checked here
    const [path, anchor] = target.split("#", 2) as [string, string | undefined];
    const resolved = path === "" ? join(REPO, file) : normalize(join(REPO, dirname(file), decodeURI(path)));
    const where = `${file}:${line}: ${target}`;
    if (relative(REPO, resolved).startsWith("..")) {
      problems.push(`${where} (outside the repository)`);
      continue;
    }
    if (path !== "" && !existsSync(resolved)) {
      problems.push(`${where} (no such file)`);
      continue;
    }
    if (anchor === undefined) continue;
    if (path !== "" && (statSync(resolved).isDirectory() || !resolved.endsWith(".md"))) {
      // GitHub's line anchors of a source file (#L10, #L10-L20) are the only others that resolve.
      if (!/^L\d+(-L\d+)?$/.test(anchor)) problems.push(`${where} (an anchor into a file that is not Markdown)`);
      continue;
    }
    const headings = anchors(path === "" ? text : readDoc(relative(REPO, resolved)));
    if (!headings.has(anchor)) problems.push(`${where} (no heading with this anchor)`);
  }
  return problems;
}

test("the slugs are GitHub's: punctuation dropped, spaces as hyphens, repeats numbered", () => {
  expect(slug("Other languages: YAML, Python, Go, C#, Java")).toBe("other-languages-yaml-python-go-c-java");
  expect(slug("After a killed run: pending creates")).toBe("after-a-killed-run-pending-creates");
  expect(slug("`Snapshot` and `Backup`")).toBe("snapshot-and-backup");
  expect(slug("The shim: what goes into the state")).toBe("the-shim-what-goes-into-the-state");
  expect([...anchors("# A\n\n## B\n\n```sh\n# not a heading\n```\n\n## B\n")]).toEqual(["a", "b", "b-1"]);
});

test("a broken file link and a broken anchor are found, by file and line (the check can fail)", () => {
  const text = [
    "# Page",
    "",
    "See [the design](design.md#no-such-heading), [gone](missing.md),",
    "[here](#page) and `[not a link](nowhere.md)`.",
    "",
    "```md",
    "[in a code block](nowhere.md)",
    "```",
  ].join("\n");
  expect(brokenLinks("docs/example.md", text)).toEqual([
    "docs/example.md:3: design.md#no-such-heading (no heading with this anchor)",
    "docs/example.md:3: missing.md (no such file)",
  ]);
});

test("every relative link and #anchor of README.md, docs/*.md and examples/*/README.md resolves", () => {
  const files = docFiles();
  expect(files).toEqual(expect.arrayContaining(["README.md", "docs/design.md", "examples/yaml/README.md"]));
  expect(files.flatMap((file) => brokenLinks(file, readDoc(file)))).toEqual([]);
});

test("the README links every page of docs/", () => {
  const linked = new Set(links(readDoc("README.md")).map(({ target }) => normalize(target.split("#")[0])));
  const pages = docFiles().filter((f) => f.startsWith("docs/"));
  expect(pages.length).toBeGreaterThan(0);
  expect(pages.filter((page) => !linked.has(page))).toEqual([]);
});

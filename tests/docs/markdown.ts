// What the documentation tests read in the Markdown files: which files are the docs, their fenced
// code blocks (with the line each starts on, so a failure can name it), their headings as GitHub
// anchors them, and their links.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(__dirname, "..", "..");

/**
 * The user's documentation, as paths relative to the repository: README.md, docs/*.md,
 * examples/*\/README.md, and the emulator package's own README (its npm page).
 */
export function docFiles(): string[] {
  const docs = readdirSync(join(REPO, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`);
  const examples = readdirSync(join(REPO, "examples"))
    .map((dir) => `examples/${dir}/README.md`)
    .filter((f) => existsSync(join(REPO, f)));
  return ["README.md", ...docs.sort(), ...examples.sort(), "emulator/README.md"];
}

export const readDoc = (file: string) => readFileSync(join(REPO, file), "utf8");

export interface Fence {
  file: string;
  /** The info string's first word: "ts", "sh", "yaml" ... ("" when none). */
  lang: string;
  /** 1-based line of the block's first line of code (the line after the opening fence). */
  line: number;
  code: string;
}

/** Every fenced code block of `text`, indented ones (in lists) included, their indentation removed. */
export function fences(file: string, text: string): Fence[] {
  const lines = text.split("\n");
  const found: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, marker, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^ *${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`);
      if (close.test(lines[j])) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    found.push({ file, lang: lang.toLowerCase(), line: i + 2, code: body.join("\n") });
    i = j;
  }
  return found;
}

/** `text` with every fenced block's lines blanked (line numbers kept): prose only. */
export function prose(text: string): string[] {
  const lines = text.split("\n");
  let marker: string | undefined;
  return lines.map((line) => {
    const fence = /^ *(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker === undefined && fence) {
      marker = fence;
      return "";
    }
    if (marker !== undefined) {
      if (fence && fence[0] === marker[0] && fence.length >= marker.length && /^ *[`~]+\s*$/.test(line))
        marker = undefined;
      return "";
    }
    return line;
  });
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens (github-slugger). */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") // a link in a heading anchors as its text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a file's headings, repeated ones numbered as GitHub numbers them (`-1`, `-2`). */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

export interface Link {
  line: number;
  target: string;
}

/** Inline links and images of the prose (`[text](target)`, `![alt](src)`); code spans are not links. */
export function links(text: string): Link[] {
  const found: Link[] = [];
  prose(text).forEach((line, index) => {
    const withoutCode = line.replace(/`+[^`]*`+/g, "``");
    for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      found.push({ line: index + 1, target: match[1] });
    }
  });
  return found;
}

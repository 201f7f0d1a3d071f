// The version the client names in its User-Agent is the package's, both packages carry one version,
// and the documentation names no other version of them (a command with an old tarball name fails).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../../provider/version";
import { docFiles, readDoc } from "../docs/markdown";

const manifest = (dir: string) => JSON.parse(readFileSync(join(__dirname, "..", "..", dir, "package.json"), "utf8"));

/** Ways the docs can name a version of this project's packages or plugin; group 1 is the version. */
const MENTIONS: RegExp[] = [
  /\bpulumi-vpsorg-(\d+\.\d+\.\d+)\.tgz/g, // npm pack's tarball name
  /\bvpsorg-emulator-(\d+\.\d+\.\d+)\.tgz/g,
  /\bresource vpsorg v?(\d+\.\d+\.\d+)/g, // pulumi plugin install resource vpsorg X.Y.Z
  /-v(\d+\.\d+\.\d+)-/g, // the plugin's tarball, pulumi-resource-vpsorg-vX.Y.Z-linux-amd64.tar.gz
  /"(?:pulumi-vpsorg|vpsorg-emulator)":\s*"[\^~]?(\d+\.\d+\.\d+)"/g, // a dependency range
  /\b(?:pulumi-vpsorg|vpsorg-emulator)@[\^~]?(\d+\.\d+\.\d+)/g, // npm install pulumi-vpsorg@X.Y.Z
  /\bvpsorg-emulator (\d+\.\d+\.\d+) listening/g, // the emulator's first line
  /\bpulumi-vpsorg\/(\d+\.\d+\.\d+) node\//g, // the User-Agent
];

/** Every version `text` names for this project, with its line: "line: match". */
function versionMentions(text: string): Array<{ version: string; where: string }> {
  const found: Array<{ version: string; where: string }> = [];
  text.split("\n").forEach((line, index) => {
    for (const pattern of MENTIONS) {
      for (const match of line.matchAll(pattern)) found.push({ version: match[1], where: `${index + 1}: ${match[0]}` });
    }
  });
  return found;
}

test("provider/version.ts says the version package.json says, as does the emulator's", () => {
  expect(VERSION).toBe(manifest(".").version);
  expect(manifest("emulator").version).toBe(VERSION);
});

test("every way of naming a version in the docs is recognised (the check below can fail)", () => {
  const text = [
    "npm install ./pulumi-vpsorg-0.2.1.tgz ./vpsorg-emulator-0.2.0.tgz",
    "pulumi plugin install resource vpsorg 0.1.9 --file dist-plugin/pulumi-resource-vpsorg-v0.1.8-linux-amd64.tar.gz",
    '"pulumi-vpsorg": "^0.1.7", npm install vpsorg-emulator@0.1.6',
    "vpsorg-emulator 0.1.5 listening on http://127.0.0.1:8080/api/v1 (User-Agent pulumi-vpsorg/0.1.4 node/20)",
    "npm install @pulumi/pulumi@3.248 (another package's version: not ours)",
  ].join("\n");
  expect(versionMentions(text).map((m) => m.version)).toEqual([
    "0.2.1",
    "0.2.0",
    "0.1.9",
    "0.1.8",
    "0.1.7",
    "0.1.6",
    "0.1.5",
    "0.1.4",
  ]);
});

test("README.md, docs/*.md and examples/*/README.md name no version of the packages but package.json's", () => {
  const wrong = docFiles().flatMap((file) =>
    versionMentions(readDoc(file))
      .filter((mention) => mention.version !== VERSION)
      .map((mention) => `${file}:${mention.where}`),
  );
  expect(wrong).toEqual([]);
});

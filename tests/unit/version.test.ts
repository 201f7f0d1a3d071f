// The version the client names in its User-Agent is the package's, and both packages carry one version.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../../provider/version";

const manifest = (dir: string) => JSON.parse(readFileSync(join(__dirname, "..", "..", dir, "package.json"), "utf8"));

test("provider/version.ts says the version package.json says, as does the emulator's", () => {
  expect(VERSION).toBe(manifest(".").version);
  expect(manifest("emulator").version).toBe(VERSION);
});

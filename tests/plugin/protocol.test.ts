// The resource plugin as the engine starts it (the built tarball, unpacked flat, its executable
// started in the user's program folder with the engine's address): the protocol around the
// resources: plugin info, the schema, the provider's configuration with a secret token.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DiffResponse } from "@pulumi/pulumi/proto/provider_pb";
import { RESOURCES } from "../../provider/resources";
import { UNKNOWN } from "../../provider/resources/engine";
import { TOKEN_A, useEmulator } from "../helpers/emulator";
import { rejection } from "../helpers/expect";
import { TOKENS } from "../../plugin/resources";
import { PLUGIN_DIR, secret, usePlugins, VERSION } from "./harness";

const { DIFF_NONE, DIFF_SOME } = DiffResponse.DiffChanges;
const ctx = useEmulator();
const plugins = usePlugins({ tokens: [TOKEN_A] });
const start = plugins.start;
const TYPES = TOKENS;

describe("started as the engine starts it", () => {
  test("prints its port alone on the first line, in the user's folder, and answers its version", async () => {
    const plugin = await start();
    expect(plugin.stdout.join("").split("\n")[0]).toMatch(/^\d+$/);
    expect(await plugin.getPluginInfo()).toBe(VERSION);
    const handshake = await plugin.handshake();
    expect(handshake.getAcceptSecrets()).toBe(true);
  });

  test("needs no Node.js, and nothing of the user's environment loads code into it", async () => {
    // A NODE_OPTIONS hook in the user's folder that would print before the port (and so break the
    // engine's reading of it), and a PATH without node.
    writeFileSync(join(plugins.programDir, "hook.js"), 'process.stdout.write("HOOKED\\n");');
    const plugin = await start({ PATH: "/usr/bin:/bin", NODE_OPTIONS: "--require ./hook.js" });
    expect(plugin.stdout.join("").split("\n")[0]).toMatch(/^\d+$/);
    expect(await plugin.getPluginInfo()).toBe(VERSION);
    expect(plugin.output()).not.toContain("HOOKED");
  });

  test.each(["SIGINT", "SIGTERM"] as const)("stops on %s, as the engine stops it", async (signal) => {
    const plugin = await start();
    expect(await plugin.stop(signal)).toBe(0);
  });

  test("Cancel with nothing in progress is harmless (engines send it before closing a plugin)", async () => {
    const plugin = await start();
    await plugin.cancel();
    expect(await plugin.getPluginInfo()).toBe(VERSION);
  });
});

describe("the schema", () => {
  let schema: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  beforeAll(async () => {
    schema = await (await start()).getSchema();
  });

  test("is the file the build wrote beside the tarball", () => {
    expect(JSON.parse(readFileSync(join(PLUGIN_DIR, "schema.json"), "utf8"))).toEqual(schema);
  });

  test("declares every resource with the inputs its provider reads, and the four functions", () => {
    expect(schema.name).toBe("vpsorg");
    expect(schema.version).toBe(VERSION);
    expect(schema.pluginDownloadURL).toMatch(/^github:\/\/api\.github\.com\/pulumi-vpsorg$/);
    expect(Object.keys(schema.resources).sort()).toEqual(Object.keys(TYPES).sort());
    for (const [token, kind] of Object.entries(TYPES)) {
      const declared = Object.keys(schema.resources[token].inputProperties).sort();
      expect({ token, inputs: declared }).toEqual({ token, inputs: [...RESOURCES[kind].inputs].sort() });
      for (const [key, property] of Object.entries<{ description?: string }>(schema.resources[token].properties)) {
        expect({ token, key, described: Boolean(property.description) }).toEqual({ token, key, described: true });
      }
    }
    expect(Object.keys(schema.functions).sort()).toEqual([
      "vpsorg:index:getBackup",
      "vpsorg:index:getBackups",
      "vpsorg:index:getSnapshot",
      "vpsorg:index:getSnapshots",
    ]);
  });

  test("every reference resolves, and the token is secret in the config and the provider", () => {
    const refs = JSON.stringify(schema).match(/"\$ref":"#\/types\/[^"]+"/g) ?? [];
    for (const ref of refs) expect(Object.keys(schema.types)).toContain(ref.slice(16, -1));
    expect(schema.config.variables.apiToken.secret).toBe(true);
    expect(schema.provider.inputProperties.apiToken.secret).toBe(true);
    expect(schema.types["vpsorg:index:AccountSettings"].properties.apiToken.secret).toBe(true);
  });

  // Pulumi's metaschema (pkg/codegen/schema/pulumi.json in pulumi/pulumi) is not part of this
  // repository; CI gives its path in PULUMI_METASCHEMA, and the check runs wherever it is given.
  const metaschema = process.env.PULUMI_METASCHEMA;
  (metaschema ? test : test.skip)("passes Pulumi's metaschema (PULUMI_METASCHEMA)", async () => {
    const { default: Ajv } = await import("ajv/dist/2020");
    const { default: addFormats } = await import("ajv-formats");
    const meta = JSON.parse(readFileSync(metaschema!, "utf8"));
    const ajv = new Ajv({ strict: false, allErrors: true }); // the metaschema has keywords of its own
    addFormats(ajv);
    // Patterns are compiled by Go's RE2 too: no lookaround, no backreferences.
    ajv.addFormat("regex", (s: string) => !/\(\?[=!]|\(\?<[=!]|\\[1-9]/.test(s) && Boolean(new RegExp(s, "u")));
    ajv.addSchema(meta);
    const validate = ajv.getSchema(meta.$id)!;
    const language = ajv.compile({ $ref: `${meta.$id}#/$defs/languageSpec` });
    const errors = (doc: unknown) => {
      validate(doc);
      language((doc as { language?: unknown }).language ?? {});
      return [...(validate.errors ?? []), ...(language.errors ?? [])];
    };
    expect(errors(schema)).toEqual([]);
    // and the check can fail: a resource token Pulumi would reject
    const broken = {
      ...schema,
      resources: { ...schema.resources, "not a token": schema.resources["vpsorg:index:Backup"] },
    };
    expect(errors(broken).length).toBeGreaterThan(0);
  });
  if (!metaschema) {
    console.log(
      "tests/plugin: the metaschema check is skipped: set PULUMI_METASCHEMA to pulumi/pulumi's pkg/codegen/schema/pulumi.json",
    );
  }
});

describe("the provider's configuration", () => {
  test("CheckConfig names the key of a URL a token must not go to, before any request", async () => {
    const plugin = await start();
    await ctx.control.clearRequests();
    const failures = await plugin.checkConfig({ apiToken: TOKEN_A, apiUrl: "http://api.example.com/api/v1" });
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe("apiUrl");
    expect(failures[0].reason).toMatch(/https/);
    expect(await plugin.checkConfig({ apiToken: TOKEN_A, apiUrl: ctx.url })).toEqual([]);
    expect(plugin.checkedConfig).toEqual({ apiToken: secret(TOKEN_A), apiUrl: ctx.url }); // kept as a secret
    expect((await ctx.control.requests()).total).toBe(0);
  });

  test("a named account's bad URL is named by its key", async () => {
    const plugin = await start();
    const failures = await plugin.checkConfig({ accounts: { prod: { apiToken: TOKEN_A, apiUrl: "ftp://x" } } });
    expect(failures.map((f) => f.property)).toEqual(["accounts"]);
    expect(failures[0].reason).toMatch(/accounts\.prod/);
  });

  test("a token pasted as the API URL is not echoed back", async () => {
    const plugin = await start();
    const failures = await plugin.checkConfig({ apiUrl: TOKEN_A });
    expect(failures.map((f) => f.property)).toEqual(["apiUrl"]);
    expect(failures[0].reason).toMatch(/not a valid URL/);
    expect(plugin.output()).not.toContain(TOKEN_A);
  });

  test("values not known until up (another resource's output) are not judged, nor used", async () => {
    const plugin = await start();
    expect(await plugin.checkConfig({ apiToken: TOKEN_A, apiUrl: UNKNOWN })).toEqual([]);
    await plugin.configure({ apiToken: secret(TOKEN_A), apiUrl: UNKNOWN });
    await ctx.control.clearRequests();
    const error = await rejection(plugin.invoke("vpsorg:index:getSnapshots", { serverId: 12345 }), "a lookup");
    expect(error.message).toMatch(/apiUrl will only be known during `pulumi up`/);
    expect((await ctx.control.requests()).total).toBe(0);
  });

  test("DiffConfig: a new token changes the provider but replaces nothing", async () => {
    const plugin = await start();
    const diff = await plugin.diffConfig({ apiToken: "a" }, { apiToken: "b" });
    expect(diff).toEqual({ changes: DIFF_SOME, diffs: ["apiToken"], replaces: [] });
    const same = await plugin.diffConfig({ apiUrl: ctx.url }, { apiUrl: ctx.url });
    expect(same).toEqual({ changes: DIFF_NONE, diffs: [], replaces: [] });
  });

  test("Configure takes the token as a secret; a lookup then uses it, and the token is written nowhere", async () => {
    const plugin = await start();
    await plugin.configure({ apiToken: secret(TOKEN_A), apiUrl: ctx.url });
    const { result } = await plugin.invoke("vpsorg:index:getSnapshots", { serverId: 12345 });
    expect(result.ids).toEqual([801, 798]); // integers, as the schema declares them
    expect(plugin.output()).not.toContain(TOKEN_A);
    expect(JSON.stringify(plugins.engine.logs)).not.toContain(TOKEN_A);
  });

  test("an engine that sends only the legacy variables map configures it too", async () => {
    const plugin = await start();
    await plugin.configureVariables({ "vpsorg:config:apiToken": TOKEN_A, "vpsorg:config:apiUrl": ctx.url });
    const { result } = await plugin.invoke("vpsorg:index:getBackups", { serverId: 12345 });
    expect(result.ids).toEqual([501, 499, 495]);
  });

  test("without a token anywhere, a resource's error says where to set one", async () => {
    const plugin = await start();
    await plugin.configure({ apiUrl: ctx.url });
    const error = await rejection(
      plugin.create("vpsorg:index:Snapshot", "pre-upgrade", { serverId: 12345, name: "x" }),
      "a create without a token",
    );
    expect(error.message).toMatch(/vpsorg:apiToken/);
    expect(error.message).toMatch(/VPS_API_TOKEN/);
    expect((await ctx.control.requests()).total).toBe(0);
  });
});

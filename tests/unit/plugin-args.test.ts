// The engine starts a plugin as `pulumi-resource-vpsorg [flags] <engine address>`: the address is
// the last argument that is not one of the engine's flags.
import { engineAddressOf } from "../../plugin/main";
import { providerOf } from "../../plugin/config";

test.each([
  [["127.0.0.1:5000"], "127.0.0.1:5000"],
  [["--logtostderr", "-v=9", "127.0.0.1:5000"], "127.0.0.1:5000"],
  [["--tracing", "tcp://127.0.0.1:9411", "127.0.0.1:5000"], "127.0.0.1:5000"],
  [["--logtostderr", "--tracing", "x", "-v=3", "localhost:1"], "localhost:1"],
  [[], undefined],
])("%j: the engine at %s", (argv, address) => {
  expect(engineAddressOf(argv)).toBe(address);
});

test.each([
  ["urn:pulumi:dev::app::pulumi:providers:vpsorg::default_0_3_0", "default"],
  ["urn:pulumi:dev::app::pulumi:providers:vpsorg::default_0_4_1_github_/api.github.com/pulumi-vpsorg", "default"],
  ["urn:pulumi:dev::app::pulumi:providers:vpsorg::default", "default"],
  ["urn:pulumi:dev::app::pulumi:providers:vpsorg::prod", "prod"],
  ["urn:pulumi:dev::app::pulumi:providers:vpsorg::defaults-for-prod", "defaults-for-prod"],
  [undefined, undefined],
])("the provider of %s is %s, whatever its version", (urn, provider) => {
  expect(providerOf(urn)).toBe(provider);
});

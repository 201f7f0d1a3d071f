// The only code that is stored in the Pulumi state. The engine serializes a dynamic resource's
// provider object into every resource's state (`__provider`), so this object must hold nothing
// but a kind name and calls that load the package's provider code at run time: no token, no
// path of the machine that ran `pulumi up`, no client. A state written by one version of this
// package can then be refreshed and destroyed by a later one, on another machine.
//
// `require("pulumi-vpsorg/provider")` is resolved by the provider host from the Pulumi program's
// own node_modules, the way the program itself found this package.
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderKind } from "./kinds";

interface Shim extends pulumi.dynamic.ResourceProvider {
  settings?: unknown;
}

export function makeShim(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  const shim: Shim = {
    async configure(req) {
      this.settings = require("pulumi-vpsorg/provider").readSettings(req.config);
    },
    async check(olds, news) {
      return require("pulumi-vpsorg/provider").providers[kind].check(olds, news);
    },
    async diff(id, olds, news) {
      return require("pulumi-vpsorg/provider").providers[kind].diff(id, olds, news);
    },
    async create(inputs) {
      return require("pulumi-vpsorg/provider").providers[kind].create(inputs, this.settings);
    },
    async read(id, props) {
      return require("pulumi-vpsorg/provider").providers[kind].read(id, props, this.settings);
    },
    async update(id, olds, news) {
      return require("pulumi-vpsorg/provider").providers[kind].update(id, olds, news, this.settings);
    },
    async delete(id, props) {
      return require("pulumi-vpsorg/provider").providers[kind].delete(id, props, this.settings);
    },
  };
  return shim;
}

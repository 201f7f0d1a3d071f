// The suite's jest test environment: jest's own "node" environment, plus closing the inspector
// sessions a test file opened.
//
// To serialize a dynamic provider, @pulumi/pulumi opens a node:inspector session, once per loaded
// copy, and never closes it: in a `pulumi up` the process ends soon after. Jest loads a new copy
// for every test file, and the session lives in Node's inspector, outside the file's sandbox, with
// listeners that hold that copy's modules. So every test file that serialized a provider stayed in
// the worker's memory (about 40 MB each, 1 GB by the end of a run), and a worker holding that much
// took longer than jest's 500 ms to exit: "A worker process has failed to exit gracefully".
// Teardown runs after every hook of the file, so the sessions close after all it does.
const inspector = require("node:inspector");
const { TestEnvironment } = require("jest-environment-node");

module.exports = class ClosingInspectorSessions extends TestEnvironment {
  #opened = [];
  #connect = inspector.Session.prototype.connect;

  async setup() {
    await super.setup();
    // node:inspector is one module per process, shared by every test file: patched for this file only.
    const opened = this.#opened;
    const connect = this.#connect;
    inspector.Session.prototype.connect = function () {
      opened.push(this);
      return connect.call(this);
    };
  }

  async teardown() {
    inspector.Session.prototype.connect = this.#connect;
    for (const session of this.#opened.splice(0)) session.disconnect();
    await super.teardown();
  }
};

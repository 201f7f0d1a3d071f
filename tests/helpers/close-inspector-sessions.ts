// Runs in every test file (jest `setupFilesAfterEnv`).
//
// To serialize a dynamic provider, @pulumi/pulumi opens a node:inspector session, once per loaded
// copy, and never closes it: in a `pulumi up` the process ends soon after. Jest loads a new copy
// for every test file, and the session lives in Node's inspector, outside the file's sandbox, with
// listeners that hold that copy's modules. So every test file that serialized a provider stayed in
// the worker's memory (about 40 MB each, 1 GB by the end of a run), and a worker holding that much
// took longer than jest's 500 ms to exit: "A worker process has failed to exit gracefully".
// Closing the sessions a file opened, when it ends, lets the file's modules go.
import * as inspector from "node:inspector";

const opened: inspector.Session[] = [];
const connect = inspector.Session.prototype.connect;
// node:inspector is one module per process, shared by every test file: patch it for this file only.
inspector.Session.prototype.connect = function (this: inspector.Session) {
  opened.push(this);
  return connect.call(this);
};

afterAll(() => {
  inspector.Session.prototype.connect = connect;
  for (const session of opened.splice(0)) session.disconnect();
});

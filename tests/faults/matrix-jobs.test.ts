// The fault matrix for Snapshot and Backup: every fault, through the real host (see scenario.ts for
// the steps of a scenario and what is asserted after each). One row per fault: add one in one line.
import { everywhere, onList, onPost, runMatrix, type Scenario } from "./scenario";

const NOTHING_MADE = /none was made: nothing is left behind\. Run `pulumi up` again\.$/;
const manual = { manual: true };

const rows: Scenario[] = [
  { fault: "503 on the create POST", rules: onPost({ status: 503 }), first: NOTHING_MADE },
  { fault: "500 on two lists", rules: onList({ status: 500 }), first: "succeeds" },
  { fault: "429 with Retry-After on the POST", rules: onPost({ status: 429, retryAfter: 1 }), first: "succeeds" },
  { fault: "429 without Retry-After on the POST", rules: onPost({ status: 429 }), first: "succeeds" },
  { fault: "429 without Retry-After on two lists", rules: onList({ status: 429 }), first: "succeeds" },
  { fault: "connection dropped on the POST", rules: onPost({ effect: "drop" }), first: NOTHING_MADE },
  { fault: "connections dropped on two lists", rules: onList({ effect: "drop" }), first: "succeeds" },
  { fault: "300 ms latency on every request", rules: everywhere({ latencyMs: 300 }), first: "succeeds" },
  { fault: "answer lost after the POST committed", rules: onPost({ effect: "commit-then-drop" }), first: "succeeds" },
  { fault: "malformed answer to the POST", rules: onPost({ effect: "malformed" }), first: "succeeds" },
  { fault: "malformed answers to two lists", rules: onList({ effect: "malformed" }), first: "succeeds" },
  {
    fault: "the job fails",
    settings: manual,
    during: "fail-job",
    first: /ended with status "failed"\. The failed \w+ was deleted; nothing was recorded\.$/,
  },
  { fault: "host killed while create waits", settings: manual, during: "kill-host", first: /./ },
  {
    fault: "wait timeout, resumed later",
    settings: manual,
    args: { waitTimeout: "1s" },
    first: /was still "in_progress" after 1s\. It is recorded; the next `pulumi up` waits for it again/,
  },
  {
    fault: "two identical resources at once, both answers lost",
    twins: true,
    rules: onPost({ effect: "commit-then-drop", times: 2 }),
    first: "succeeds",
  },
];

runMatrix(["snapshot", "backup"], rows);

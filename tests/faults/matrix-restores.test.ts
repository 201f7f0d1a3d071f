// The fault matrix for restoreSnapshot and restoreBackup: every fault, through the real host (see
// scenario.ts). For a restore, "exactly once" means: the restores VPS.org started equal the restores
// the state records as started, and none is started twice.
import { everywhere, onList, onPost, runMatrix, type Scenario } from "./scenario";

const manual = { manual: true };
const NOT_STARTED =
  /the server is "active", not restoring: no restore is running \(one that started has already ended\)\. Check the server, then run `pulumi up` again\.$/;

const rows: Scenario[] = [
  { fault: "503 on the restore POST", rules: onPost({ status: 503 }), first: NOT_STARTED },
  { fault: "500 on two lists while waiting", rules: onList({ status: 500 }), first: "succeeds" },
  { fault: "429 with Retry-After on the POST", rules: onPost({ status: 429, retryAfter: 1 }), first: "succeeds" },
  { fault: "429 without Retry-After on the POST", rules: onPost({ status: 429 }), first: "succeeds" },
  { fault: "connection dropped on the POST", rules: onPost({ effect: "drop" }), first: NOT_STARTED },
  { fault: "connections dropped on two lists", rules: onList({ effect: "drop" }), first: "succeeds" },
  { fault: "300 ms latency on every request", rules: everywhere({ latencyMs: 300 }), first: "succeeds" },
  { fault: "answer lost after the POST committed", rules: onPost({ effect: "commit-then-drop" }), first: "succeeds" },
  { fault: "malformed answer to the POST", rules: onPost({ effect: "malformed" }), first: "succeeds" },
  {
    fault: "the restore fails",
    settings: manual,
    during: "fail-restore",
    first: /failed: the server ended it with status "error".*change `triggers`/,
    second: /failed: the server ended it with status "error"/,
  },
  { fault: "host killed while the restore waits", settings: manual, during: "kill-host", first: /./ },
  {
    fault: "wait timeout, resumed later",
    settings: manual,
    args: { waitTimeout: "1s" },
    first: /still "restoring" after 1s\. The restore has started and is recorded; the next `pulumi up` waits/,
  },
  {
    fault: "two identical restores at once",
    twins: true,
    settings: { restoreDurationMs: 1500 }, // the second POST certainly finds the first restore running
    first: /cannot be restored now: its status is "restoring" \(another restore of this stack is restoring it\)/,
  },
];

runMatrix(["snapshotRestore", "backupRestore"], rows);

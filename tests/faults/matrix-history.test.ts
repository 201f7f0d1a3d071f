// The fault matrix for SnapshotHistory and BackupHistory (a new item per trigger): the faults that
// take their own code paths (a POST whose answer is missing, failed, killed or timed-out waits),
// through the real host (see scenario.ts). Retries of lists and 429s go through the same client as
// Snapshot and Backup and are in matrix-jobs. The state holds the items and pending items; the
// server must hold exactly those.
import { onPost, runMatrix, type Scenario } from "./scenario";

const manual = { manual: true };
const NOTHING_MADE = /none was made: nothing is left behind\. Run `pulumi up` again\.$/;

const rows: Scenario[] = [
  { fault: "503 on the create POST", rules: onPost({ status: 503 }), first: NOTHING_MADE },
  { fault: "connection dropped on the POST", rules: onPost({ effect: "drop" }), first: NOTHING_MADE },
  { fault: "answer lost after the POST committed", rules: onPost({ effect: "commit-then-drop" }), first: "succeeds" },
  {
    fault: "the job fails",
    settings: manual,
    during: "fail-job",
    first:
      /ended with status "failed"\. The failed \w+ was deleted; no kept \w+ was deleted\. The next `pulumi up` takes a new one/,
  },
  { fault: "host killed while the item waits", settings: manual, during: "kill-host", first: /./ },
  {
    fault: "wait timeout, resumed later",
    settings: manual,
    args: { waitTimeout: "1s" },
    first: /was still "in_progress" after 1s\. It is recorded; the next `pulumi up` waits for it again/,
  },
];

runMatrix(["snapshotHistory", "backupHistory"], rows);

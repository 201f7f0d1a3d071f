// An emulator in a process of its own, one per policy (forked by scenarios.ts), so that no
// policy's traffic (a storm of 429s, a burst of creates) slows the emulator another policy talks to.
// It takes its setup, starts, seeds the scenario's servers (and, for a refresh, completed
// snapshots), answers with its URLs, and runs until its parent disconnects.
import { startEmulator } from "../emulator";

export interface HostSetup {
  token: string;
  servers: number;
  /** Completed snapshots to create, spread over the servers (a refresh's resources). */
  refreshSnapshots: number;
  /** Of those, how many are deleted again (outside Pulumi), every n-th: a refresh finds them gone. */
  refreshGone: number;
}

export interface HostReady {
  url: string;
  controlUrl: string;
  serverIds: number[];
  reads: Array<{ serverId: number; id: number }>;
}

async function host(setup: HostSetup): Promise<void> {
  const emulator = await startEmulator({ tokens: [setup.token], manual: true, snapshotLimit: 5 });
  const servers = Array.from({ length: setup.servers }, () => emulator.state.addServer(0));
  const reads: HostReady["reads"] = [];
  for (let i = 0; i < setup.refreshSnapshots; i++) {
    // Setup, not measured: straight into the emulator's state.
    const server = servers[i % servers.length];
    const snapshot = emulator.state.addSnapshot(server, { name: `refresh-${i}`, status: "completed", doneAt: 0 });
    reads.push({ serverId: server.id, id: snapshot.id });
  }
  const every = setup.refreshGone > 0 ? Math.floor(setup.refreshSnapshots / setup.refreshGone) : 0;
  for (let i = 0; every > 0 && i < setup.refreshGone; i++) {
    emulator.state.snapshots.delete(reads[i * every].id);
  }
  const ready: HostReady = {
    url: emulator.url,
    controlUrl: emulator.controlUrl,
    serverIds: servers.map((s) => s.id),
    reads,
  };
  process.once("disconnect", () => void emulator.close().then(() => process.exit(0)));
  process.send?.(ready);
}

if (require.main === module) {
  process.once("message", (setup: HostSetup) => {
    host(setup).catch((error: Error) => {
      console.error(error.stack ?? String(error));
      process.exit(1);
    });
  });
}

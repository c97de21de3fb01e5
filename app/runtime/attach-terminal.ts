// `-t` on the host, for run and exec alike: when the process in the container hands over its
// terminal's master, take it (terminal-relay.ts) with the implementation's resizeTerminal, and say go.
import type { ChildProcess } from "node:child_process";
import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { HostSteps } from "./contract.js";
import type { StepCalls } from "./step-calls.js";
import { relayTerminal, type TerminalRelay } from "./terminal-relay.js";

/** What to do when the process in the container hands over its terminal. */
export interface AttachedTerminal {
  /** Takes fd `fd` of the process (the master), and tells it to go on. */
  take(fd: number): void;
  /** Once the process has exited: the rest of the output copied, and any failure to take the terminal thrown. */
  finished(): Promise<void>;
  close(): void;
}

/** `holder` is the process that hands the master over: the child, or under --userns the init process the child started. */
export function attachTerminal(ctx: { impl: Pick<HostSteps, "resizeTerminal"> }, calls: StepCalls, child: ChildProcess, holder: number, pipe: Duplex): AttachedTerminal {
  let relay: TerminalRelay | undefined;
  let failed: unknown;
  return {
    take(fd) {
      try {
        relay = relayTerminal(holder, fd, (master, size) => calls.neededFor("-t", "resizeTerminal", () => ctx.impl.resizeTerminal(master, size)));
        pipe.write("go\n");
      } catch (error) {
        // The process waits for "go": without its terminal it must not start.
        failed = error;
        child.kill("SIGKILL");
      }
    },
    async finished() {
      if (failed) throw failed;
      // A process the command left running in the background may hold the terminal open: not forever.
      if (relay) await Promise.race([relay.drained, sleep(2000, undefined, { ref: false })]);
    },
    close() {
      relay?.close();
    },
  };
}

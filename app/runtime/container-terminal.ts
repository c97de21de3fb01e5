// `-t`, in the container (the init process for run, the new process for exec): the implementation
// opens the command's terminal and makes it the process's own; the runtime then hands the master
// end to `container` on the host (terminal-handover.ts), which copies it to the user's terminal.
import type { InitSteps, PseudoTerminal } from "./contract.js";
import type { StepCalls } from "./step-calls.js";

export function takeTerminal(impl: Pick<InitSteps, "openPseudoTerminal" | "attachTerminal">, calls: StepCalls, handOver: (pty: PseudoTerminal) => void): void {
  let pty: PseudoTerminal | undefined;
  calls.neededFor("-t", "openPseudoTerminal", () => {
    pty = impl.openPseudoTerminal();
  });
  if (!pty) return;
  const { slave } = pty;
  calls.neededFor("-t", "attachTerminal", () => impl.attachTerminal(slave));
  handOver(pty);
}

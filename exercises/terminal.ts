// Bonus step: a real terminal — docs/bonus-terminal.md
//
// `container run -t` (and `exec -t`) give the command a terminal of its own. The first two run in
// the container, once its root is in place; the last on the host, whenever the user's window changes.
import type { WindowSize } from "#native";
import type { PseudoTerminal } from "#contract";
import { todo } from "#given";

/** A new pseudo-terminal from the container's /dev/ptmx: its master and slave fds, and the slave's path. (Task 1) */
export function openPseudoTerminal(): PseudoTerminal {
  return todo("openPseudoTerminal");
}

/** Make `slave` the controlling terminal of a new session led by this process, and its stdin, stdout and stderr. (Task 2) */
export function attachTerminal(slave: number): void {
  todo("attachTerminal");
}

/** On the host: give the terminal whose master is `master` the user's window size. (Task 3) */
export function resizeTerminal(master: number, size: WindowSize): void {
  todo("resizeTerminal");
}

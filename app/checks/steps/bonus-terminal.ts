// Bonus, a real terminal: `container run -t` started in a terminal (one of the host's, as a user's
// shell gives it) gives the command /dev/pts/0 of the container's own devpts, with the window's
// size, following a resize; Ctrl-C typed there interrupts the container's foreground process; and
// the user's terminal is as it was afterwards, even when the command is killed (exec -t).
import { docFor, fail, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import type { ProbeContext } from "../probe-context.js";
import type { TerminalResult, TerminalRun } from "../terminal-run.js";
import { keyValues, neverGotGoing } from "./common.js";

const task = (func: string) => docFor("terminal", func);
const SIZE = { rows: 33, columns: 101 };
/** `exec -t` needs the terminal's functions and exec's. */
const EXEC_NEEDS = ["openPseudoTerminal", "attachTerminal", "resizeTerminal", "spawnInContainer", "enterContainerRoot"];
const RESIZED = { rows: 40, columns: 120 };

/**
 * The command `run -t` runs: what its terminal is, then waits (6 s at most) for the resize, then
 * for Ctrl-C. Each thing the check waits for is said only once the command is ready for it: the
 * size is read before "ready-to-resize" (a resize landing before the read went unseen for 6 s),
 * and "sleeping" comes from the process Ctrl-C must end (typed between the shell's echo and its
 * sleep, it reached the shell's handler alone, and the sleep ran its 30 s past the time limit).
 */
const RUN_SCRIPT = [
  "tty",
  '[ -t 0 ] && [ -t 1 ] && echo "stdio-tty=yes"',
  'first=$(stty size); echo "size=$first"',
  "echo ready-to-resize",
  `i=0; while [ "$(stty size)" = "$first" ] && [ $i -lt 60 ]; do sleep 0.1; i=$((i+1)); done`,
  'echo "resized=$(stty size)"',
  // A handler of its own: a shell without one ends itself with the sleep it waited for.
  "trap 'echo got-sigint' INT",
  "sh -c 'echo sleeping; exec sleep 30'",
  'echo "interrupted=$?"',
].join("\n");

interface Attached {
  result: TerminalResult;
  /** What `tty` printed in it, if it printed a terminal's name or "not a tty". */
  tty?: string;
  values: Map<string, string>;
  /** The user's terminal settings (stty -g) before and after. */
  before: string;
  after: string;
}

/** What a run in a terminal showed, and the terminal's settings around it. */
async function attached(terminal: TerminalRun, drive: () => Promise<void> = async () => undefined): Promise<Attached> {
  await drive();
  const result = await terminal.done;
  const tty = /^(\/dev\/pts\/\d+|not a tty)$/m.exec(result.output)?.[1];
  return { result, tty, values: keyValues(result.output), before: terminal.before, after: terminal.settings() };
}

async function runAttached(c: ProbeContext): Promise<Attached> {
  const terminal = c.startInTerminal(["run", "-t", "--net", "none", c.image, "sh", "-c", RUN_SCRIPT], SIZE);
  return attached(terminal, async () => {
    if (!(await terminal.waitFor(/^ready-to-resize$/m))) return;
    terminal.resize(RESIZED);
    if (!(await terminal.waitFor(/^sleeping$/m))) return;
    terminal.type("\x03");
  });
}

async function execAttached(c: ProbeContext): Promise<Attached | { notReady: Result }> {
  const run = c.start(["run", "--net", "none", c.image, "sh", "-c", "echo ready; read line"]);
  try {
    if (!(await run.waitFor(/^ready$/m))) return { notReady: await run.done };
    const id = (await c.container(["ps"])).stdout.split("\n")[1]?.split(/\s+/)[0] ?? "";
    const terminal = c.startInTerminal(["exec", "-t", id, "sh", "-c", 'tty; [ -t 0 ] && [ -t 1 ] && echo "stdio-tty=yes"; kill -9 $$'], SIZE);
    return await attached(terminal);
  } finally {
    run.end();
    await run.done;
  }
}

/** How a run in a terminal ended, for a message. */
function described({ result }: Attached): string {
  const how = result.status === null ? `was killed (${result.signal})` : `exited with ${result.status}`;
  const shown = result.output.trim().split("\n").slice(-2).join(" / ");
  return `container ${how}${shown ? `, its terminal showing: ${shown}` : ""}`;
}

/** The run must have shown its terminal (it fails before that when a function is missing or refused). */
function precondition(seen: Attached): Verdict | undefined {
  return /^\/dev\/pts\//m.test(seen.result.output) || seen.values.has("stdio-tty") ? undefined : fail(`the command never ran: ${described(seen)}`);
}

export const terminalChecks: StepChecks = {
  step: "terminal",
  probes: [
    probe({
      run: runAttached,
      checks: [
        {
          name: "own-terminal",
          title: "run -t: the command's stdin and stdout are /dev/pts/0, a terminal of the container's own devpts",
          timeoutMs: 20_000,
          judge: (seen) => {
            const { tty } = seen;
            if (tty !== "/dev/pts/0") return fail(`tty inside printed "${tty ?? "nothing"}" (${described(seen)}); expected /dev/pts/0, the first terminal of the container's own devpts (${task("openPseudoTerminal")})`);
            return seen.values.get("stdio-tty") === "yes" ? pass() : fail(`the command's stdin or stdout is not its terminal: dup2 the slave onto 0, 1 and 2 (${task("attachTerminal")})`);
          },
        },
        {
          name: "window-size",
          title: "The command's terminal has the size of the user's window from the start",
          timeoutMs: 20_000,
          judge: (seen) => {
            const size = seen.values.get("size");
            return precondition(seen) ?? (size === `${SIZE.rows} ${SIZE.columns}` ? pass() : fail(`stty size inside said "${size}"; expected "${SIZE.rows} ${SIZE.columns}", the window's rows and columns (${task("resizeTerminal")})`));
          },
        },
        {
          name: "resize",
          title: "Resizing the user's window resizes the command's terminal (SIGWINCH, then TIOCSWINSZ)",
          timeoutMs: 20_000,
          judge: (seen) => {
            const size = seen.values.get("resized");
            return precondition(seen) ?? (size === `${RESIZED.rows} ${RESIZED.columns}` ? pass() : fail(`after the window became ${RESIZED.rows} rows by ${RESIZED.columns} columns, stty size inside said "${size}"; expected "${RESIZED.rows} ${RESIZED.columns}" (${task("resizeTerminal")})`));
          },
        },
        {
          name: "ctrl-c",
          title: "Ctrl-C typed in the user's terminal interrupts the container's foreground process",
          timeoutMs: 20_000,
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const status = seen.values.get("interrupted");
            if (status !== "130") return fail(`after Ctrl-C, the sleep in the container ${status === undefined ? "never ended" : `ended with ${status}`}; expected 130, killed by SIGINT: the terminal must be the controlling terminal of the command's session (${task("attachTerminal")})`);
            return seen.result.status === 0 ? pass() : fail(`${described(seen)}; expected 0, the shell's own status after the interrupted sleep`);
          },
        },
      ],
    }),
    probe({
      run: execAttached,
      checks: [
        {
          name: "exec-terminal",
          title: "exec -t gives the exec'd command a terminal of its own too",
          needs: EXEC_NEEDS,
          timeoutMs: 20_000,
          judge: (seen) => {
            if ("notReady" in seen) return neverGotGoing(seen.notReady);
            const { tty } = seen;
            if (!tty?.startsWith("/dev/pts/") || seen.values.get("stdio-tty") !== "yes") return fail(`tty in the exec'd command printed "${tty ?? "nothing"}" (${described(seen)}); expected a /dev/pts/N of the container's as its stdin and stdout (${task("attachTerminal")})`);
            return pass();
          },
        },
        {
          name: "terminal-restored",
          title: "The user's terminal is as it was once the command is killed (SIGKILL)",
          needs: EXEC_NEEDS,
          timeoutMs: 20_000,
          judge: (seen) => {
            if ("notReady" in seen) return neverGotGoing(seen.notReady);
            if (seen.result.status !== 137) return fail(`${described(seen)}; expected 137, the command killed by SIGKILL`);
            return seen.after === seen.before ? pass() : fail(`after the command was killed, the user's terminal settings were ${seen.after}, not ${seen.before} as before: it is left raw`);
          },
        },
      ],
    }),
  ],
};

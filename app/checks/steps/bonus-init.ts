// Bonus, init: with --init the runtime's init process stays PID 1 and runs the command as its
// child. Seen from inside (who is PID 1, who is the command's parent, whether an orphan that ended
// is reaped) and from outside (a SIGTERM to `container run`, the exit statuses that come back).
import { basename } from "node:path";
import { docFor, fail, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import type { ProbeContext } from "../probe-context.js";
import { REFUSALS, refusalVerdict } from "../refusals.js";
import { describeRun, hostFilesTest, keyValues, rootNotChanged, unexpectedExit } from "./common.js";

const task = (func: string) => docFor("init", func);
const [NOT_FOUND] = REFUSALS;
const INPUT = "typed into stdin";
/** What /proc/1/comm says for the runtime's init process: the name of the node binary, as the kernel keeps it (15 characters). */
const INIT_COMM = basename(process.execPath).slice(0, 15);

// An orphan: its parent, a subshell, exits at once, so the kernel hands it to PID 1. It ends at
// once too; then the script waits (up to 5 s) for it to be reaped, and says what became of it.
const ORPHAN = [
  "orphan=$( (sleep 0 >/dev/null & echo $!) )",
  'state() { [ -e "/proc/$orphan" ] && cut -d " " -f 3 "/proc/$orphan/stat" || echo gone; }',
  "i=0",
  'while [ "$(state)" != gone ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done',
  'echo "orphan=$(state)"',
  "ps -o pid,stat,comm | sed 's/^/ps=/'",
].join("\n");

const script = (c: ProbeContext) =>
  [
    hostFilesTest(c),
    'echo "self=$$"',
    'echo "parent=$PPID"',
    'echo "pid1=$(cat /proc/1/comm)"',
    'echo "ignored=$(awk \'$1 == "SigIgn:" { print $2 }\' /proc/self/status)"',
    'read -r line; echo "stdin=$line"',
    ORPHAN,
  ].join("\n");

interface Inside {
  result: Result;
  values: Map<string, string>;
  ps: string[];
}

interface Seen {
  inside: Inside;
  /** `exit 7`, and a command that kills itself with SIGUSR2 (128 + 12). */
  exited: Result;
  killed: Result;
  missing: Result;
}

async function lookInside(c: ProbeContext): Promise<Inside> {
  const result = await c.container(["run", "--init", "--net", "none", c.image, "sh", "-c", script(c)], { input: `${INPUT}\n` });
  const ps = result.stdout
    .split("\n")
    .filter((line) => line.startsWith("ps="))
    .map((line) => line.slice(3).trim());
  return { result, values: keyValues(result.stdout), ps };
}

function precondition({ result, values }: Inside): Verdict | undefined {
  return unexpectedExit(result) ?? rootNotChanged(values, "init");
}

// Every --init run goes through all three functions: a TODO in any of them stops it, so each
// check needs them all.
export const initChecks: StepChecks = {
  step: "init",
  probes: [
    probe({
      run: async (c): Promise<Seen> => {
        const run = (args: string[]) => c.container(["run", "--init", "--net", "none", c.image, ...args]);
        const [inside, exited, killed, missing] = await Promise.all([lookInside(c), run(["sh", "-c", "exit 7"]), run(["sh", "-c", "kill -USR2 $$"]), run([NOT_FOUND.command])]);
        return { inside, exited, killed, missing };
      },
      checks: [
        {
          name: "pid-one",
          title: "With --init, PID 1 is the init process and the command is its child",
          judge: ({ inside }) => {
            const wrong = precondition(inside);
            if (wrong) return wrong;
            const { values } = inside;
            if (values.get("self") === "1") return fail(`the command is PID 1 itself: with --init the init process must stay, and start the command as its child (${task("startCommand")})`);
            if (values.get("parent") !== "1") return fail(`the command's parent is PID ${values.get("parent")}; expected 1, the init process (${task("startCommand")})`);
            if (values.get("pid1") !== INIT_COMM) return fail(`PID 1 is "${values.get("pid1")}"; expected the runtime's init process (${INIT_COMM}) (${task("startCommand")})`);
            return pass();
          },
        },
        {
          name: "stdio",
          title: "The command reads our stdin and writes to our stdout through the init process",
          judge: ({ inside }) =>
            precondition(inside) ??
            (inside.values.get("stdin") === INPUT
              ? pass()
              : fail(`the command read "${inside.values.get("stdin") ?? ""}" from its stdin; expected "${INPUT}": give it the init process's stdin, stdout and stderr (stdio "inherit") (${task("startCommand")})`)),
        },
        {
          name: "signals-default",
          title: "The command starts with no signal ignored (Node ignores SIGPIPE; its child must not)",
          judge: ({ inside }) =>
            precondition(inside) ??
            (/^0+$/.test(inside.values.get("ignored") ?? "")
              ? pass()
              : fail(`the command starts with signals ignored (SigIgn ${inside.values.get("ignored")}); expected none: \`yes | head -1\` would then complain of a broken pipe (${task("startCommand")})`)),
        },
        {
          name: "reaps-orphans",
          title: "An orphan that ended is reaped: no zombie stays in ps",
          // Four containers at once, one of which waits up to 5 s for the orphan to go.
          timeoutMs: 20_000,
          judge: ({ inside }) => {
            const wrong = precondition(inside);
            if (wrong) return wrong;
            const state = inside.values.get("orphan");
            if (state === "gone") return pass();
            const zombies = inside.ps.filter((line) => / Z\s/.test(` ${line} `));
            return fail(
              `an orphan that had ended was still there (state ${state}) 5 s later${zombies.length ? `: ps showed ${zombies.join(", ")}` : ""}; the kernel hands orphans to PID 1, which must reap them: waitpid(-1) on each SIGCHLD, until none is left (${task("reapChildren")})`,
            );
          },
        },
        {
          name: "exit-status",
          title: "The command's exit status comes back unchanged: 7, and 128 + N when signal N killed it",
          judge: ({ exited, killed }) => {
            if (exited.status !== 7) return fail(`\`sh -c "exit 7"\`: ${describeRun(exited)}; expected 7 (${task("reapChildren")})`);
            if (killed.status !== 128 + 12) return fail(`a command killed by SIGUSR2: ${describeRun(killed)}; expected ${128 + 12}, 128 + the signal's number (${task("reapChildren")})`);
            return pass();
          },
        },
        {
          name: "not-found",
          title: "A command that is not in the image still gives 127, with container's message",
          judge: ({ missing }) => refusalVerdict(NOT_FOUND, missing, " with --init", task("startCommand")),
        },
      ],
    }),
    probe({
      // `container run` gets a SIGTERM, as from `kill` or `docker stop`: it passes it on to PID 1,
      // which must pass it on to the command. `sleep` has no handler of its own: it dies of it.
      run: async (c) => {
        const run = c.start(["run", "--init", "--net", "none", c.image, "sh", "-c", "echo ready; exec sleep 30"]);
        run.end();
        const ready = await run.waitFor(/^ready$/m);
        if (ready) run.signal("SIGTERM");
        return { result: await run.done, ready };
      },
      checks: [
        {
          name: "sigterm",
          title: "A SIGTERM to container run ends a command that does not handle it (143, not the runtime's SIGKILL 3 s later)",
          judge: ({ result, ready }) => {
            if (!ready) return fail(`the command never started: ${describeRun(result)}`);
            if (result.status === 128 + 15) return pass();
            if (result.status === 128 + 9) {
              return fail(`the command ran on after SIGTERM until the runtime killed the container 3 s later (exit 137); expected 143: PID 1 gets only the signals it has a handler for, so it must handle them and pass each on to the command (${task("forwardSignals")})`);
            }
            return fail(`after SIGTERM, ${describeRun(result)}; expected 143, the command killed by SIGTERM (${task("forwardSignals")})`);
          },
        },
      ],
    }),
  ],
};

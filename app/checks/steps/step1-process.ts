// Step 1, process creation: the command runs, shares our stdio, and its end becomes ours.
import { docFor, fail, pass, probe, type StepChecks } from "../define.js";
import { REFUSALS, refusalVerdict, type Refusal } from "../refusals.js";
import { describeRun } from "./common.js";

const [NOT_FOUND, NOT_EXECUTABLE] = REFUSALS;

const INPUT = "typed into stdin";
const spawnInit = docFor("1", "spawnInit");
const waitForExit = docFor("1", "waitForExit");
const execCommand = docFor("1", "execCommand");

/** A probe running the refusal's command, which the kernel refuses: container must exit with its status and say why. */
function refused(refusal: Refusal, title: string) {
  return probe({
    run: (c) => c.container(["run", "--net", "none", c.image, refusal.command]),
    checks: [{ name: refusal.name, title, judge: (r) => refusalVerdict(refusal, r, "", execCommand) }],
  });
}

export const step1: StepChecks = {
  step: "1",
  probes: [
    probe({
      // One run: reads a line from stdin (giving up after 3 s if stdin is a pipe nobody writes to),
      // prints it, exits 42. Portable to the host's own sh too (dash has no `read -t`): until step 3
      // the command runs on the host's filesystem.
      run: (c) => c.container(["run", "--net", "none", c.image, "sh", "-c", 'line=$(timeout 3 head -n 1); echo "got: $line"; exit 42'], { input: `${INPUT}\n` }),
      checks: [
        {
          name: "stdout",
          title: "The command's output reaches container's stdout",
          judge: (r) => {
            if (r.stdout.includes("got: ")) return pass();
            const ran = r.status === 42 ? "the command ran (it exited with 42) but" : `${describeRun(r)}, and the command`;
            return fail(`${ran} printed nothing on container's stdout; expected "got: ${INPUT}": the init process must share our stdin, stdout and stderr (stdio "inherit" in spawnInit(), ${spawnInit})`);
          },
        },
        {
          name: "stdin",
          title: "Our stdin reaches the command",
          judge: (r) => {
            if (r.stdout.includes(`got: ${INPUT}`)) return pass();
            if (!r.stdout.includes("got: ")) return fail(`nothing to go by: the command's output does not reach stdout either (see 1.stdout) (${spawnInit})`);
            return fail(`the command read "${r.stdout.split("got: ")[1]?.trim()}" from its stdin; expected "${INPUT}", which we piped into container: its stdin must be ours (${spawnInit})`);
          },
        },
        {
          name: "exit-status",
          title: "container exits with the command's exit status (42)",
          judge: (r) =>
            r.status === 42 ? pass() : fail(`${describeRun(r)}; expected 42, the command's own exit status: waitForExit() resolves with the exit code (${waitForExit})`),
        },
      ],
    }),
    refused(NOT_FOUND, "A command that is not in the image gives 127, with container's message"),
    refused(NOT_EXECUTABLE, "A file that is not executable gives 126, with container's message"),
    probe({
      // The command is killed from outside with SIGKILL: container must report 128 + 9.
      run: async (c) => {
        const run = c.start(["run", "--net", "none", c.image, "sleep", "30"]);
        run.end();
        // The runtime records the init process's pid before it lets it start the command.
        const pid = await c.until(() => c.states().find((s) => s.pid !== undefined)?.pid, run);
        if (pid !== undefined) process.kill(pid, "SIGKILL");
        return { result: await run.done, killed: pid !== undefined };
      },
      checks: [
        {
          name: "killed-by-signal",
          title: "A command killed by a signal gives 128 + N (SIGKILL: 137)",
          judge: ({ result, killed }) => {
            if (!killed) return fail(`the container never started, so there was nothing to kill: ${describeRun(result)}`);
            if (result.status === 137) return pass();
            return fail(`after its command was killed by SIGKILL, ${describeRun(result)}; expected 137 (128 + 9): waitForExit() turns a death by signal N into 128 + N (${waitForExit})`);
          },
        },
      ],
    }),
  ],
};

// The init bonus step's checks against implementations with one mistake each (copies of
// solutions/): the check meant for the mistake catches it and says what it saw.
import { describe, expect, it } from "vitest";
import { allWaitingFor, described, inProgress, mutant, mutantsWorkspace, partial } from "./support.js";

const workspace = mutantsWorkspace("mutants-init");
const { impls } = workspace;

const failures = (impl: string) => workspace.failures("init", impl);

describe.concurrent("the init bonus step", () => {
  it("written whole, passes; back to TODOs, every check is not started and names the first it needs", async () => {
    expect(await failures(mutant(impls, "init.ts", []))).toEqual({});
    const failed = await failures(inProgress(impls, "init"));
    expect(described(failed)).toEqual(allWaitingFor("init", "startCommand"));
  });

  it("a step half written: every check is not started and names the TODO the runs stopped at", async () => {
    const failed = await failures(partial(impls, "init.ts", "reapChildren"));
    expect(Object.keys(failed)).toHaveLength(7);
    for (const result of Object.values(failed)) {
      expect(result).toMatchObject({ status: "not-started", message: "the init bonus step is not done yet: reapChildren() is still a TODO" });
    }
  });

  it("only the command is waited for, never the orphans: the zombie is caught, in ps's own words", async () => {
    const impl = mutant(impls, "init.ts", [["    process.on(\"SIGCHLD\", reapAll);\n    reapAll();\n", "    void reapAll;\n"]]);
    const failed = await failures(impl);
    expect(Object.keys(failed)).toEqual(["init.reaps-orphans"]);
    expect(failed["init.reaps-orphans"]!.message).toMatch(
      /^an orphan that had ended was still there \(state Z\) 5 s later: ps showed \d+ Z +sleep; the kernel hands orphans to PID 1, which must reap them: waitpid\(-1\) on each SIGCHLD, until none is left \(docs\/bonus-init.md, Task 3\)$/,
    );
  });

  it("signals not passed on: the SIGTERM check sees the runtime's SIGKILL 3 s later", async () => {
    const impl = mutant(impls, "init.ts", [["  for (const signal of signals) process.on(signal, () => child.kill(signal));", "  void child, signals;"]]);
    const failed = await failures(impl);
    expect(Object.keys(failed)).toEqual(["init.sigterm"]);
    expect(failed["init.sigterm"]!.message).toBe(
      "the command ran on after SIGTERM until the runtime killed the container 3 s later (exit 137); expected 143: PID 1 gets only the signals it has a handler for, so it must handle them and pass each on to the command (docs/bonus-init.md, Task 2)",
    );
  });

  it("a death by signal reported as its exit code: the exit-status check says what came back", async () => {
    const impl = mutant(impls, "init.ts", [["resolve(signal ? 128 + signal : (code ?? 0))", "resolve(code ?? 0)"]]);
    const failed = await failures(impl);
    expect(Object.keys(failed).sort()).toEqual(["init.exit-status", "init.sigterm"]);
    expect(failed["init.exit-status"]!.message).toBe("a command killed by SIGUSR2: container exited with 0; expected 140, 128 + the signal's number (docs/bonus-init.md, Task 3)");
  });

  it("the command's stdio not shared: the stdio check says what it read", async () => {
    const impl = mutant(impls, "init.ts", [['stdio: "inherit"', 'stdio: ["ignore", "inherit", "inherit"]']]);
    const failed = await failures(impl);
    expect(Object.keys(failed)).toEqual(["init.stdio"]);
    expect(failed["init.stdio"]!.message).toBe(
      'the command read "" from its stdin; expected "typed into stdin": give it the init process\'s stdin, stdout and stderr (stdio "inherit") (docs/bonus-init.md, Task 1)',
    );
  });
});

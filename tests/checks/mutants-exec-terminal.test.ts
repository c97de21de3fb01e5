// The exec and terminal bonus steps, against implementations with one mistake each (copies of
// solutions/): the check meant for the mistake catches it and says what it saw; written whole, the
// step passes; back to TODOs, every check is not started and names the first.
import { describe, expect, it } from "vitest";
import { allWaitingFor, described, inProgress, mutant, mutantsWorkspace } from "./support.js";

const { impls, failures } = mutantsWorkspace("mutants-exec-terminal");

describe.concurrent("the exec bonus step", () => {
  it("written whole, passes; back to TODOs, every check is not started and names the first", async () => {
    expect(await failures("exec", mutant(impls, "exec.ts", []))).toEqual({});
    const failed = await failures("exec", inProgress(impls, "exec"));
    expect(described(failed)).toEqual(allWaitingFor("exec", "spawnInContainer"));
  });

  it("the PID namespace not joined: the runtime refuses to start the command, and every check that execs says why", async () => {
    const impl = mutant(impls, "exec.ts", [['  [CLONE_NEWPID, "pid"],\n', ""]]);
    const failed = await failures("exec", impl);
    expect(Object.keys(failed).sort()).toEqual(["exec.cgroup", "exec.exit-status", "exec.hostname-and-processes", "exec.namespaces", "exec.root-and-environment", "exec.workdir-stays-inside"]);
    expect(failed["exec.namespaces"]!.message).toBe(
      "container exited with 125: container: spawnInContainer() started the process outside the container's pid namespace: refusing to start the command (expected 0)",
    );
  });

  it("never back from the container's namespaces: container exec says which it was left in", async () => {
    const impl = mutant(impls, "exec.ts", [["      for (const { fd, flag } of ours) setns(fd, flag);\n", ""]]);
    const failed = await failures("exec", impl);
    expect(failed["exec.hostname-and-processes"]!.message).toBe(
      "container exited with 125: container: spawnInContainer() left container exec in the container's namespaces (uts, ipc, net, pid_for_children) (expected 0)",
    );
  });

  it("the mount namespace not joined: the runtime refuses, naming enterContainerRoot", async () => {
    const impl = mutant(impls, "exec.ts", [["    setns(mnt, CLONE_NEWNS);\n", ""]]);
    const failed = await failures("exec", impl);
    expect(failed["exec.root-and-environment"]!.message).toBe(
      "container exited with 125: container: enterContainerRoot() left the process outside the container's mount namespace: refusing to start the command (expected 0)",
    );
  });

  it("the working directory resolved through /proc/PID/root, before the root: only the link check fails, and the host directory stays empty", async () => {
    const impl = mutant(impls, "exec.ts", [
      ['    fchdir(root);\n    chroot(".");\n', "    chdir(`/proc/${pid}/root${cwd}`);\n    chroot(`/proc/${pid}/root`);\n    void fchdir;\n"],
      ["  chdir(cwd);\n", ""],
    ]);
    const failed = await failures("exec", impl);
    expect(Object.keys(failed)).toEqual(["exec.workdir-stays-inside"]);
    expect(failed["exec.workdir-stays-inside"]!.message).toBe(
      "container exited with 125: container: enterContainerRoot() left the working directory outside the container's root: refusing to start the command; expected the exec to stay in the container, where the link leads nowhere (docs/bonus-exec.md, Task 2)",
    );
  });
});

describe.concurrent("the terminal bonus step", () => {
  it("written whole, passes; back to TODOs, every check is not started and names the first", async () => {
    expect(await failures("terminal", mutant(impls, "terminal.ts", []))).toEqual({});
    const failed = await failures("terminal", inProgress(impls, "terminal"));
    expect(described(failed)).toEqual(allWaitingFor("terminal", "openPseudoTerminal"));
  });

  it("no session of its own: the terminal would not control it, so the runtime refuses and the checks quote why", async () => {
    const impl = mutant(impls, "terminal.ts", [["  setsid();\n  setControllingTerminal(slave);\n", "  void setsid, setControllingTerminal;\n"]]);
    const failed = await failures("terminal", impl);
    expect(Object.keys(failed)).toHaveLength(6);
    expect(failed["terminal.ctrl-c"]!.message).toBe(
      "the command never ran: container exited with 125, its terminal showing: container: after attachTerminal(), the container's terminal is not the process's controlling terminal, so Ctrl-C would never reach the command: refusing to start the command /   setsid(), then ioctl(slave, TIOCSCTTY) (docs/bonus-terminal.md, Task 2)",
    );
  });

  it("the slave never unlocked: opening it fails, and the checks say where", async () => {
    const impl = mutant(impls, "terminal.ts", [["  unlockPty(master);\n", "  void unlockPty;\n"]]);
    const failed = await failures("terminal", impl);
    expect(Object.keys(failed)).toHaveLength(6);
    expect(failed["terminal.own-terminal"]!.message).toMatch(/^tty inside printed "nothing" \(container exited with 125, its terminal showing: container: openPseudoTerminal\(\) failed: openat\(.*\/dev\/pts\/0.*\) failed: EIO/);
  });

  it("rows and columns swapped: the size checks fail, saying what stty saw", async () => {
    const impl = mutant(impls, "terminal.ts", [["  setWindowSize(master, size);", "  setWindowSize(master, { rows: size.columns, columns: size.rows });"]]);
    const failed = await failures("terminal", impl);
    expect(Object.keys(failed).sort()).toEqual(["terminal.resize", "terminal.window-size"]);
    expect(failed["terminal.window-size"]!.message).toBe('stty size inside said "101 33"; expected "33 101", the window\'s rows and columns (docs/bonus-terminal.md, Task 3)');
    expect(failed["terminal.resize"]!.message).toBe('after the window became 40 rows by 120 columns, stty size inside said "120 40"; expected "40 120" (docs/bonus-terminal.md, Task 3)');
  });
});

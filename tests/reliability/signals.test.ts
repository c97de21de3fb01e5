// Faults while a container runs, through the real CLI in a host sandbox: the CLI is interrupted
// (SIGINT, SIGTERM) or killed outright (SIGKILL). Either way no process of the container may
// survive, and nothing of it may stay on the host once the CLI, `prune` or the next run is done.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventually, Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";
import { listProcesses } from "./processes.js";
import { SandboxShell } from "./sandbox-shell.js";

const ws = new Workspace();
let sh: SandboxShell;
let scratch: string;
beforeAll(() => ws.pull());
beforeEach((ctx) => {
  requireRoot(ctx);
  sh = new SandboxShell(ws);
  scratch = mkdtempSync(join(tmpdir(), "workshop-signals-"));
});
afterEach(async () => {
  await sh.close();
  rmSync(scratch, { recursive: true, force: true });
  expect(ws.leftovers()).toEqual([]);
});
afterAll(() => ws.cleanUp());

/**
 * Starts `container run` in the background of the sandbox shell, with a cgroup and a bridge
 * address, and waits until the container's command printed "ready". Returns the CLI's pid and
 * the file with its output.
 */
async function startContainer(command: string): Promise<{ pid: number; output: string }> {
  const output = join(scratch, `run-${Date.now()}.out`);
  const pid = Number(await sh.run(`$CONTAINER run --pids 64 ${ws.image} sh -c '${command}' >${output} 2>&1 & echo $!`));
  await eventually(() => (readText(output).includes("ready") ? true : undefined));
  return { pid, output };
}

/** The container's traces on the host while it runs: a cgroup, a state dir, an address, a veth. */
async function expectTraces(): Promise<void> {
  const left = ws.leftovers();
  expect(left.filter((p) => p.includes(ws.cgroupParent)).length).toBeGreaterThan(0);
  expect(left.filter((p) => p.startsWith(join(ws.root, "containers")))).toHaveLength(1);
  expect(left.filter((p) => p.startsWith(join(ws.root, "run")))).toHaveLength(1);
  expect(await sh.veths()).toHaveLength(1);
}

/** Processes whose command line is exactly `command`, anywhere on the machine. */
function processesRunning(command: string): number[] {
  return listProcesses()
    .filter((p) => p.command === command)
    .map((p) => p.pid);
}

/** A file's text, empty while it does not exist yet. */
function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

describe("interrupting the CLI", () => {
  it.each([
    ["SIGINT is passed to the container, which exits", "SIGINT", 'trap "exit 130" INT; echo ready; while :; do sleep 0.1; done', "130"],
    ["SIGTERM to a container that ignores it ends in SIGKILL after the grace period", "SIGTERM", "echo ready; exec sleep 60", "137"],
  ] as const)("%s; its cgroup, veth, state and address are removed", async (_, signal, command, status) => {
    const { pid, output } = await startContainer(command);
    await expectTraces();
    process.kill(pid, signal);
    expect(await sh.run(`wait ${pid}; echo $?`)).toBe(status);
    expect(readFileSync(output, "utf8")).toBe("ready\n");
    expect(await sh.veths()).toEqual([]);
    expect(ws.leftovers()).toEqual([]);
  });

  it("SIGINT at any moment of the start leaves nothing behind", async () => {
    // From the launcher to the container's command: each delay catches the run in another phase.
    for (const delay of [30, 90, 150, 250]) {
      const output = join(scratch, `start-${delay}.out`);
      const pid = Number(await sh.run(`$CONTAINER run --pids 64 ${ws.image} sh -c 'trap "exit 130" INT; sleep 10 & wait' >${output} 2>&1 & echo $!`));
      await new Promise((resolve) => setTimeout(resolve, delay));
      process.kill(pid, "SIGINT");
      const status = await sh.run(`wait ${pid}; echo $?`);
      expect(["130", "137"], `after ${delay}ms: ${readFileSync(output, "utf8")}`).toContain(status);
      expect(readFileSync(output, "utf8")).not.toMatch(/left behind/);
      expect(await sh.veths()).toEqual([]);
      expect(ws.leftovers()).toEqual([]);
    }
  });
});

describe("SIGKILL of the CLI", () => {
  /** Kills the CLI of a running container with SIGKILL: returns once its processes are all gone. */
  async function killRunningContainer(): Promise<void> {
    // A unique argument marks the container's processes: one in the background, one as PID 1.
    const sleeper = `sleep ${100_000 + Math.floor(Math.random() * 800_000)}`;
    const { pid } = await startContainer(`${sleeper} & echo ready; exec ${sleeper}`);
    expect(processesRunning(sleeper)).toHaveLength(2);
    await expectTraces();
    process.kill(pid, "SIGKILL");
    expect(await sh.run(`wait ${pid}; echo $?`)).toBe("137");
    // The parent-death signal kills the container's init, and with it its whole PID namespace.
    await eventually(() => (processesRunning(sleeper).length === 0 ? true : undefined), 5_000);
    // The host side could not be cleaned up by the dead CLI.
    expect(ws.leftovers().length).toBeGreaterThan(0);
  }

  it("takes the container's processes with it; `container prune` removes what is left", async () => {
    await killRunningContainer();
    expect(await sh.run("$CONTAINER prune")).toMatch(/^removed [0-9a-f]{12}$/);
    expect(await sh.veths()).toEqual([]);
    expect(ws.leftovers()).toEqual([]);
    expect(await sh.run("$CONTAINER prune")).toBe("nothing to remove");
  });

  it("takes the container's processes with it; the next run removes what is left", async () => {
    await killRunningContainer();
    expect(await sh.run(`$CONTAINER run --net none ${ws.image} echo next`)).toBe("next");
    expect(await sh.veths()).toEqual([]);
    expect(ws.leftovers()).toEqual([]);
  });
});

// The runtime's own logic, without root: what the init process and `container run` call, and what
// they do when a function is still a TODO, fails, or leaves the init process in the host's
// namespaces. The implementation is a recording fake (tests/helpers/fake-implementation.ts); the
// real kernel runs the same logic in tests/runtime/progression.test.ts.
import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CommandFailed } from "../../app/given/command.js";
import type { StepFunction } from "../../app/course/steps.js";
import { UserError } from "../../app/errors.js";
import { DOCKER_DEFAULT_CAPABILITIES } from "../../native/index.js";
import type { ImageRecord } from "../../app/image/store.js";
import { FORWARDED_SIGNALS, setUpContainer, type InitHost, type Namespace } from "../../app/runtime/container-setup.js";
import { commandFor, startInit, type RunOptions } from "../../app/runtime/run.js";
import type { InitSpec } from "../../app/runtime/spec.js";
import { stepCalls } from "../../app/runtime/step-calls.js";
import { Exec, fakeImplementation, recordedEvents } from "../helpers/fake-implementation.js";

const SPEC: InitSpec = {
  id: "abc",
  hostname: "box",
  rootfs: "/store/rootfs",
  command: ["sh", "-c", "true"],
  env: ["PATH=/bin"],
  cwd: "/work",
  volumes: [],
  network: "none",
  pivotRoot: false,
  privileged: false,
  init: false,
  namespaced: true,
  hostNamespaces: { uts: 1, mnt: 2, net: 3 },
  etcFiles: { hostname: "/state/hostname", hosts: "/state/hosts", "resolv.conf": "/state/resolv.conf" },
};

interface Setup {
  todos?: StepFunction[];
  answers?: Parameters<typeof fakeImplementation>[1];
  spec?: Partial<InitSpec>;
  shares?: Namespace[];
  sharedMounts?: string[];
  /** The working directory is outside the root after it changed (chdir forgotten). */
  cwdOutside?: boolean;
  /** The host's answers that differ from the recording ones. */
  hostAnswers?: Partial<InitHost>;
}

/** Runs setUpContainer against the fakes; returns everything that was called, said and told. */
function setUp({ todos = [], answers = {}, spec = {}, shares = [], sharedMounts = [], cwdOutside = false, hostAnswers = {} }: Setup = {}) {
  const fake = fakeImplementation(todos, answers);
  const log = recordedEvents();
  const host: string[] = [];
  const warnings: string[] = [];
  const initHost: InitHost = {
    ownNamespace: (ns) => !shares.includes(ns),
    sharedMounts: () => sharedMounts,
    bindEtcFiles: (rootfs) => void host.push(`bindEtcFiles ${rootfs}`),
    cwdInsideRoot: () => !cwdOutside,
    resetSignals: () => void host.push("resetSignals"),
    holdSignals: () => {
      host.push("holdSignals");
      return () => void host.push("releaseSignals");
    },
    spawned: async () => void host.push("spawned"),
    commandStarted: () => void host.push("commandStarted"),
    enterWorkingDir: (cwd) => void host.push(`enterWorkingDir ${cwd}`),
    handOverTerminal: (pty) => void host.push(`handOverTerminal ${pty.path}`),
    closeOtherFds: () => undefined,
    warn: (line) => void warnings.push(line),
    ...hostAnswers,
  };
  let outcome: unknown;
  try {
    outcome = setUpContainer({ ...SPEC, ...spec }, fake.impl, stepCalls(log, initHost.warn), initHost, log);
  } catch (error) {
    outcome = error;
  }
  return { outcome, called: fake.calls.map((c) => c.func), host, warnings, events: log.events, fake };
}

describe("the init process, with a recording implementation", () => {
  it("calls every step in order and execs the command in its working directory, inside the new root", () => {
    const { outcome, called, host, warnings, events } = setUp({ spec: { volumes: [{ source: "/src", target: "/data", readOnly: false }] } });
    expect(outcome).toEqual(new Exec(SPEC.command));
    expect(called).toEqual([
      ...["setHostname", "configureContainerNetwork", "makeMountsPrivate", "mountVolumes", "mountProc", "mountDev", "mountSys", "changeRoot"],
      ...["dropCapabilities", "forbidNewPrivileges", "installSeccompFilter", "execCommand"],
    ]);
    expect(host).toEqual(["bindEtcFiles /store/rootfs", "enterWorkingDir /work", "resetSignals"]);
    expect(warnings).toEqual([]);
    expect(events).toEqual([]);
  });

  it("with -t, opens and attaches the command's terminal once the root and working directory are in place, hands it over, then confines", () => {
    const pty = { master: 5, slave: 6, path: "/dev/pts/0" };
    const { outcome, called, host } = setUp({ spec: { tty: true }, answers: { openPseudoTerminal: () => pty } });
    expect(outcome).toBeInstanceOf(Exec);
    expect(called.slice(called.indexOf("changeRoot"))).toEqual(["changeRoot", "openPseudoTerminal", "attachTerminal", "dropCapabilities", "forbidNewPrivileges", "installSeccompFilter", "execCommand"]);
    expect(host).toEqual(["bindEtcFiles /store/rootfs", "enterWorkingDir /work", "handOverTerminal /dev/pts/0", "resetSignals"]);
  });

  it("refuses -t while the root never changed: the terminal would be the host's", () => {
    const { outcome, called } = setUp({ spec: { tty: true }, todos: ["changeRoot"] });
    expect(outcome).toEqual(new UserError("-t gives the command a terminal from the container's own /dev/pts, and this container's root never changed", "step 3 comes first (docs/03-rootfs.md), or run without -t"));
    expect(called).not.toContain("openPseudoTerminal");
  });

  it("with -t and the terminal step still a TODO, stops naming the option", () => {
    const { outcome, called } = setUp({ spec: { tty: true }, todos: ["openPseudoTerminal"] });
    expect((outcome as UserError).message).toBe("the terminal bonus step is not done yet: openPseudoTerminal() is still a TODO, so -t cannot work");
    expect(called).not.toContain("execCommand");
  });

  it("with only step 1 written, skips the others quietly and runs the command where it is", () => {
    const todos: StepFunction[] = ["setHostname", "configureContainerNetwork", "makeMountsPrivate", "mountProc", "mountDev", "mountSys", "changeRoot"];
    const { outcome, called, host, warnings, events } = setUp({ todos, spec: { namespaced: false }, shares: ["uts", "mnt", "net"] });
    expect(outcome).toBeInstanceOf(Exec);
    expect(called).toEqual(["execCommand"]);
    expect(host).toEqual(["resetSignals"]);
    expect(warnings).toEqual([]);
    expect(events).toEqual([]);
  });

  it("with step 3 still a TODO, mounts nothing, does not change the root, and tells each skip on the event channel", () => {
    const { outcome, called, host, events } = setUp({ todos: ["makeMountsPrivate", "mountProc", "mountDev", "mountSys", "changeRoot"] });
    expect(outcome).toBeInstanceOf(Exec);
    expect(called).toEqual(["setHostname", "configureContainerNetwork", "makeMountsPrivate", "execCommand"]);
    expect(host).toEqual(["resetSignals"]);
    expect(events).toEqual([{ event: "skipped", step: "3", func: "makeMountsPrivate" }]);
  });

  it("sets no hostname in the host's UTS namespace, and says which flag is missing", () => {
    const { called, warnings, events } = setUp({ shares: ["uts"] });
    expect(called).not.toContain("setHostname");
    expect(warnings).toEqual(["the init process shares the host's UTS namespace (is CLONE_NEWUTS in namespaceFlags?): not setting the hostname"]);
    expect(events).toEqual([{ event: "shared-namespace", namespace: "uts" }]);
  });

  it("mounts nothing in the host's mount namespace", () => {
    const { called, host, warnings } = setUp({ shares: ["mnt"], spec: { volumes: [{ source: "/src", target: "/data", readOnly: true }] } });
    expect(called).toEqual(["setHostname", "configureContainerNetwork", "execCommand"]);
    expect(host).toEqual(["resetSignals"]);
    expect(warnings).toEqual(["the init process shares the host's mount namespace (is CLONE_NEWNS in namespaceFlags?): running on the host's filesystem"]);
  });

  it("refuses to mount anything while mounts still propagate after makeMountsPrivate()", () => {
    const { outcome, called, host, events } = setUp({ sharedMounts: ["/", "/home"] });
    expect(outcome).toMatchObject({
      message: "after makeMountsPrivate(), / and 1 mount(s) below it still propagate to the host: refusing to mount anything",
      hint: 'make them all private at once, recursively: mount(null, "/", null, MS_REC | MS_PRIVATE) (docs/03-rootfs.md, Task 1)',
    });
    expect(called).toEqual(["setHostname", "configureContainerNetwork", "makeMountsPrivate"]);
    expect(host).toEqual([]);
    expect(events).toEqual([{ event: "shared-mounts", mounts: ["/", "/home"] }]);
  });

  it.each([
    [{}, "changeRoot", "docs/03-rootfs.md, Task 5"],
    [{ pivotRoot: true }, "pivotRoot", "docs/bonus-pivot-root.md, Task 1"],
  ])("refuses to start the command when %o left the working directory outside the new root", (spec, func, doc) => {
    const { outcome, called, events } = setUp({ spec, cwdOutside: true });
    expect(outcome).toMatchObject({
      message: `${func}() left the working directory outside the new root, where ".." leads back to the host: refusing to start the command`,
      hint: `chdir("/") once the root has changed (${doc})`,
    });
    expect(called).not.toContain("execCommand");
    expect(events).toMatchObject([{ event: "failed", func }]);
  });

  it.each<[Partial<InitSpec>, StepFunction, string, string]>([
    [{ pivotRoot: true }, "pivotRoot", "the pivot-root bonus step is not done yet: pivotRoot() is still a TODO, so --pivot-root cannot work", "pivot-root"],
    [{ volumes: [{ source: "/s", target: "/t", readOnly: false }] }, "mountVolumes", "step 5 is not done yet: mountVolumes() is still a TODO, so -v cannot work", "5"],
    [{ overlay: { layers: ["/l"], upper: "/u", work: "/w" } }, "mountOverlay", "the overlay bonus step is not done yet: mountOverlay() is still a TODO, so --overlay cannot work", "overlay"],
  ])("stops rather than ignore an option whose function is a TODO: %o", (spec, func, message, step) => {
    const { outcome, called, events } = setUp({ todos: [func], spec });
    expect(outcome).toBeInstanceOf(UserError);
    expect((outcome as UserError).message).toBe(message);
    expect(called).not.toContain("execCommand");
    expect(called).not.toContain("changeRoot");
    expect(events).toEqual([{ event: "todo", step, func }]);
  });

  it("names the function that failed and keeps the failed command's own words", () => {
    const ip = () => {
      throw new CommandFailed(["ip", "-batch", "-"], 1, 'Cannot find device "eth0"\nCommand failed -:2\n');
    };
    const { outcome, events } = setUp({ answers: { configureContainerNetwork: ip } });
    expect((outcome as UserError).message).toBe('configureContainerNetwork() failed: `ip -batch -` failed: Cannot find device "eth0" / Command failed -:2');
    expect((outcome as UserError).hint).toBe("it is in network.ts of your implementation; see docs/06-network.md, Task 3");
    expect(events).toMatchObject([{ event: "failed", step: "6", func: "configureContainerNetwork", command: ["ip", "-batch", "-"], stderr: 'Cannot find device "eth0"\nCommand failed -:2\n' }]);
  });

  it("drops Docker's capabilities, less CAP_SYS_CHROOT under chroot (the escape needs it), then no_new_privs, then seccomp", () => {
    const chroot = setUp();
    const pivot = setUp({ spec: { pivotRoot: true } });
    expect(chroot.outcome).toBeInstanceOf(Exec);
    expect(pivot.outcome).toBeInstanceOf(Exec);
    const kept = ({ fake }: typeof chroot) => fake.calls.find((c) => c.func === "dropCapabilities")?.args[0];
    expect(kept(pivot)).toEqual(DOCKER_DEFAULT_CAPABILITIES);
    expect(kept(chroot)).toEqual(DOCKER_DEFAULT_CAPABILITIES.filter((c) => c !== "CAP_SYS_CHROOT"));
  });

  it("with --init, stays PID 1: confines itself (the command inherits it), starts the command as its child, forwards signals, reaps, and ends with the command's status", async () => {
    const child = { kill: () => true };
    const { outcome, host, fake } = setUp({ spec: { init: true }, answers: { startCommand: () => child, reapChildren: async () => 143 } });
    await expect(outcome).resolves.toBe(143);
    const called = fake.calls.map((c) => c.func);
    expect(called.slice(-6)).toEqual(["dropCapabilities", "forbidNewPrivileges", "installSeccompFilter", "startCommand", "forwardSignals", "reapChildren"]);
    expect(called).not.toContain("execCommand");
    expect(fake.calls.find((c) => c.func === "startCommand")?.args).toEqual([SPEC.command, SPEC.env]);
    expect(fake.calls.find((c) => c.func === "forwardSignals")?.args).toEqual([child, FORWARDED_SIGNALS]);
    // Node's child starts with default dispositions: the init process keeps its own.
    expect(host).not.toContain("resetSignals");
    // Signals that come before forwardSignals() are held for it, and then sent again.
    expect(host.slice(-4)).toEqual(["holdSignals", "spawned", "releaseSignals", "commandStarted"]);
  });

  it("with --init and the init step still a TODO, the run stops naming --init; a TODO after the command started kills it first", async () => {
    const first = setUp({ spec: { init: true }, todos: ["startCommand"] });
    await expect(first.outcome).rejects.toThrow("the init bonus step is not done yet: startCommand() is still a TODO, so --init cannot work");
    const killed: string[] = [];
    const later = setUp({ spec: { init: true }, todos: ["reapChildren"], answers: { startCommand: () => ({ kill: (signal: string) => killed.push(signal) }) } });
    await expect(later.outcome).rejects.toThrow("reapChildren() is still a TODO, so --init cannot work");
    expect(killed).toEqual(["SIGKILL"]);
    expect(later.host).not.toContain("commandStarted");
  });

  it("with --init and a command that cannot start, reports spawn's error and signals nothing (Node's kill() would signal our own process group)", async () => {
    const enoent = Object.assign(new Error("spawn no-such ENOENT"), { code: "ENOENT" });
    const { outcome, called } = setUp({
      spec: { init: true },
      answers: { startCommand: () => ({ kill: () => expect.unreachable("a command that never started is signalled") }) },
      hostAnswers: { spawned: () => Promise.reject(enoent), commandStarted: () => expect.unreachable() },
    });
    await expect(outcome).rejects.toBe(enoent);
    expect(called.at(-1)).toBe("startCommand");
  });

  it("with --privileged, leaves the container unconfined, as Docker does", () => {
    const { outcome, called, warnings } = setUp({ spec: { privileged: true } });
    expect(outcome).toBeInstanceOf(Exec);
    expect(called).not.toContain("dropCapabilities");
    expect(called).not.toContain("installSeccompFilter");
    expect(warnings).toEqual([]);
  });

  it("with the privileges bonus step still a TODO, runs the container as before and says so once", () => {
    const { outcome, called, warnings, events } = setUp({ todos: ["dropCapabilities", "forbidNewPrivileges", "installSeccompFilter"] });
    expect(outcome).toBeInstanceOf(Exec);
    expect(called.slice(-4)).toEqual(["dropCapabilities", "forbidNewPrivileges", "installSeccompFilter", "execCommand"]);
    expect(warnings).toEqual(["the privileges bonus step is not done yet (dropCapabilities): the container keeps more of root's privileges than Docker's"]);
    expect(events.map((e) => e.event)).toEqual(["skipped", "skipped", "skipped"]);
  });

  it("runs without a network while configureContainerNetwork is a TODO, and says so once", () => {
    const bridge = { bridge: "br0", subnet: "10.0.0.0/24", gateway: "10.0.0.1", address: "10.0.0.2/24", hostVeth: "v0", containerVeth: "eth0" };
    const { outcome, warnings, events } = setUp({ todos: ["configureContainerNetwork"], spec: { network: "bridge", bridge } });
    expect(outcome).toBeInstanceOf(Exec);
    expect(warnings).toEqual(["step 6 is not done yet (configureContainerNetwork): the container has no network"]);
    expect(events).toEqual([{ event: "skipped", step: "6", func: "configureContainerNetwork", without: "the container has no network" }]);
  });
});

describe("container run's side, with a recording implementation", () => {
  const child = { pid: 42 } as ChildProcess;
  const run = (todos: StepFunction[], answers: Parameters<typeof fakeImplementation>[1] = {}) => {
    const fake = fakeImplementation(todos, { spawnInit: () => child, ...answers });
    const log = recordedEvents();
    return { fake, log, ctx: { impl: fake.impl, events: log, initScript: "/cache/init.cjs" }, calls: stepCalls(log, () => undefined) };
  };

  it("starts the init process through spawnInNamespaces once step 2 is written", () => {
    const { fake, ctx, calls } = run([], { namespaceFlags: () => 0x20000000, spawnInNamespaces: (_flags: number, spawn: () => unknown) => spawn() });
    expect(startInit(ctx, calls, "none")).toEqual({ child, namespaced: true });
    expect(fake.calls.map((c) => c.func)).toEqual(["namespaceFlags", "spawnInNamespaces", "spawnInit"]);
    expect(fake.calls[2]?.args[0]).toMatchObject({ command: process.execPath, args: ["--v8-pool-size=1", "/cache/init.cjs"] });
  });

  it.each([["namespaceFlags"], ["spawnInNamespaces"]] as const)("while %s is a TODO, starts the init process as a plain child", (todo) => {
    const { fake, log, ctx, calls } = run([todo]);
    expect(startInit(ctx, calls, "none")).toEqual({ child, namespaced: false });
    expect(fake.calls.at(-1)?.func).toBe("spawnInit");
    expect(log.events).toEqual([{ event: "skipped", step: "2", func: todo }]);
  });

  it("stops at a TODO of step 1, naming it, and tells it on the event channel", () => {
    const { log, ctx, calls } = run(["spawnInit", "namespaceFlags"]);
    expect(() => startInit(ctx, calls, "none")).toThrowError(/^step 1 is not done yet: spawnInit\(\) is still a TODO$/);
    expect(log.events).toEqual([
      { event: "skipped", step: "2", func: "namespaceFlags" },
      { event: "todo", step: "1", func: "spawnInit" },
    ]);
  });

  const image = { ref: "busybox:latest", config: { Cmd: ["sh"], Env: ["PATH=/bin", "A=1"], WorkingDir: "/app" } } as unknown as ImageRecord;
  const options = (args: string[]): RunOptions => ({ args, limits: {}, volumes: [], network: "none", subnet: "10.0.0.0/24", env: ["B=2"], pivotRoot: false, overlay: false, privileged: false, tty: false, userns: false, init: false, ports: [] });
  const configTodos: StepFunction[] = ["commandLine", "environment", "workingDir"];

  it("without the image-config bonus step, runs the command given in /, with Docker's default PATH", () => {
    const { ctx, calls } = run(configTodos);
    expect(commandFor(ctx, calls, image, options(["ls"]), "box")).toEqual({
      command: ["ls"],
      env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "HOSTNAME=box", "B=2"],
      cwd: "/",
    });
  });

  it("without the image-config bonus step and no command, says the command is needed, and tells the TODO", () => {
    const { log, ctx, calls } = run(configTodos);
    expect(() => commandFor(ctx, calls, image, options([]), "box")).toThrowError(/^no command given$/);
    expect(log.events).toEqual([
      { event: "skipped", step: "image-config", func: "commandLine" },
      { event: "todo", step: "image-config", func: "commandLine" },
    ]);
  });

  it("with the image-config bonus step, takes the command, environment and directory from it", () => {
    const { ctx, calls } = run([], { commandLine: () => ["sh"], environment: () => ["PATH=/bin", "A=1"], workingDir: () => "/app" });
    expect(commandFor(ctx, calls, image, options([]), "box")).toEqual({ command: ["sh"], env: ["HOME=/root", "PATH=/bin", "A=1"], cwd: "/app" });
  });
});

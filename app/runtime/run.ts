// `container run`, the host side: starts the container's init process in new namespaces,
// prepares the host side while it boots, lets it go, waits, and cleans up.
import { randomBytes } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { CLONE_NEWNS, CLONE_NEWUSER } from "#native";
import { readAbout, stepIdOf } from "../course/steps.js";
import { UserError } from "../errors.js";
import { onStopSignals } from "../stop-signals.js";
import type { ImageRecord } from "../image/store.js";
import type { BridgeNetwork, Cgroup, HostSteps, InitCommand, Limits, NetworkMode, PublishedPort, Volume } from "./contract.js";
import { containerCgroupRoot } from "./cgroup-root.js";
import { leftovers, pruneContainers, releaseAddress, releaseHostResources } from "./cleanup.js";
import { readOptional, writeEtcFiles } from "./etc-files.js";
import type { EventLog } from "./events.js";
import { bridgeLockPath, planBridgeNetwork } from "./host-network.js";
import { allocateIdRange } from "./id-ranges.js";
import { withLock } from "./lock.js";
import { describeExit } from "./exit-status.js";
import { guardNamespaces, notReturned } from "./namespace-guard.js";
import { attachTerminal } from "./attach-terminal.js";
import { readInitMessages, readStageReport } from "./init-channel.js";
import { claimPorts, portOwner } from "./published-ports.js";
import { stepCalls, type StepCalls } from "./step-calls.js";
import type { InitSpec } from "./spec.js";
import { processStartTime, StateStore, type ContainerState } from "./state.js";
import { openUsernsFds, startUsernsHolder, usernsRootfs, usernsSpec, usernsStageCommand, type UsernsFds, type UsernsHolder } from "./userns.js";

export interface RunOptions {
  args: string[];
  hostname?: string;
  limits: Limits;
  volumes: Volume[];
  network: NetworkMode;
  subnet: string;
  env: string[];
  pivotRoot: boolean;
  overlay: boolean;
  /** Like Docker's --privileged: the container is not confined (the privileges bonus step). */
  privileged: boolean;
  /** -t: the command gets a terminal of its own (the terminal bonus step). */
  tty: boolean;
  /** Root in the container is a range of unprivileged ids on the host (the userns bonus step). */
  userns: boolean;
  /** Like Docker's --init: the init process stays PID 1, with the command as its child (the init bonus step). */
  init: boolean;
  /** -p: host ports that lead to the container's (the ports bonus step); needs the bridge network. */
  ports: PublishedPort[];
}

export interface RunContext {
  /** The learner's functions (or the reference's) for the host side, called through `calls`. */
  impl: HostSteps;
  /** The machine channel (`--events`): what the run reached, skipped and left. */
  events: EventLog;
  /** The events file, for the init process to append to as well. */
  eventsFile?: string;
  root: string;
  /** The bundled init program to re-execute (init.cjs, built with the CLI). */
  initScript: string;
  /** Where warnings and the runtime's own errors go. */
  warn(line: string): void;
  /** Overlay layers for the image, extracted on demand (only with --overlay). */
  layerDirs(image: ImageRecord): Promise<string[]>;
}

/** Runs one container to completion and returns its shell-style exit status. */
export async function runContainer(ctx: RunContext, image: ImageRecord, options: RunOptions): Promise<number> {
  const states = new StateStore(ctx.root);
  const id = randomBytes(6).toString("hex");
  const hostname = options.hostname ?? id;
  const state: ContainerState = {
    id,
    image: image.ref,
    imageDigest: image.digest,
    command: [],
    hostname,
    created: new Date().toISOString(),
    owner: { pid: process.pid, start: processStartTime(process.pid) ?? "" },
  };
  const stateDir = states.create(state);
  const calls = stepCalls(ctx.events, (line) => ctx.warn(`container: ${line}`));
  try {
    return await runCreated(ctx, calls, image, options, state, stateDir, states);
  } finally {
    tearDown(ctx, calls, state, states);
  }
}

/**
 * The implementation undoes what it made; whatever it leaves is reported, and the container's
 * state is kept so that `container prune` (or the next run) can remove it.
 */
function tearDown(ctx: RunContext, calls: StepCalls, state: ContainerState, states: StateStore): void {
  const { cgroup, bridge, ports = [] } = state;
  const { impl } = ctx;
  if (bridge) for (const port of ports) bestEffort(ctx, () => calls.optional("unpublishPort", undefined, () => impl.unpublishPort(port, bridge, portOwner(state.id))));
  if (cgroup) bestEffort(ctx, () => calls.optional("removeCgroup", undefined, () => impl.removeCgroup(cgroup)));
  if (bridge) bestEffort(ctx, () => calls.optional("disconnectContainer", undefined, () => impl.disconnectContainer(bridge)));
  const left = leftovers(state);
  if (left.length === 0) {
    releaseHostResources(state, ctx.root);
    states.remove(state.id);
    return;
  }
  ctx.events.emit({ event: "leftovers", what: left });
  ctx.warn(`container: left behind on the host: ${left.join(", ")} (\`container prune\` removes them)`);
}

/** Cleaning up goes on past a failure: what it leaves is reported just after. */
function bestEffort(ctx: RunContext, run: () => void): void {
  try {
    run();
  } catch (error) {
    ctx.warn(`container: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function runCreated(ctx: RunContext, calls: StepCalls, image: ImageRecord, options: RunOptions, state: ContainerState, stateDir: string, states: StateStore): Promise<number> {
  const { command, env, cwd } = commandFor(ctx, calls, image, options, state.hostname);
  // `container exec` starts its commands with the same environment, in the same directory.
  Object.assign(state, { command, env, cwd });

  // --userns: the user namespace, its maps and the image's root for it come before the init process.
  const userns = options.userns ? await prepareUserns(ctx, calls, image, options, state, stateDir, states) : undefined;
  try {
    return await runStarted(ctx, calls, image, options, state, stateDir, states, { command, env, cwd }, userns);
  } finally {
    userns?.holder.process.kill("SIGKILL");
  }
}

interface PreparedUserns {
  holder: UsernsHolder;
  fds: UsernsFds;
}

/** The id range, the user namespace with its maps, the image's root for it, and the host's files the container needs, opened. */
async function prepareUserns(ctx: RunContext, calls: StepCalls, image: ImageRecord, options: RunOptions, state: ContainerState, stateDir: string, states: StateStore): Promise<PreparedUserns> {
  const range = allocateIdRange(ctx.root, state.id);
  state.idRange = range;
  states.save(state);
  const holder = await startUsernsHolder(calls, ctx.impl, range);
  try {
    const rootfs = usernsRootfs(calls, ctx.impl, holder, image.rootfs, join(stateDir, "rootfs"), range, ctx.warn);
    return { holder, fds: openUsernsFds(holder, rootfs, image.rootfs, stateDir, options.volumes, ctx.eventsFile) };
  } catch (error) {
    holder.process.kill("SIGKILL");
    throw error;
  }
}

async function runStarted(
  ctx: RunContext,
  calls: StepCalls,
  image: ImageRecord,
  options: RunOptions,
  state: ContainerState,
  stateDir: string,
  states: StateStore,
  { command, env, cwd }: { command: string[]; env: string[]; cwd: string },
  userns: PreparedUserns | undefined,
): Promise<number> {
  // The init process starts first: it boots Node (tens of ms) while the host side is prepared
  // below, and waits for its spec on fd 3 anyway, so that preparing adds nothing to the start.
  let started: { child: ChildProcess; namespaced: boolean };
  try {
    started = startInit(ctx, calls, options.network, userns);
  } finally {
    // The container's processes have their own copies now; nothing else of ours may inherit them.
    for (const fd of userns?.fds.all ?? []) closeSync(fd);
  }
  const { child, namespaced } = started;
  let exited: Promise<number>;
  try {
    exited = calls.required("waitForExit", () => ctx.impl.waitForExit(child));
  } catch (error) {
    // The init process waits for its spec, and would keep this program alive: it goes too.
    child.kill("SIGKILL");
    throw error;
  }
  const pipe = child.stdio[3] as Duplex | null | undefined;
  if (!pipe || typeof child.pid !== "number") {
    child.kill("SIGKILL");
    await exited.catch(() => undefined);
    throw new UserError("spawnInit() did not give the init process a pipe as fd 3", `pass stdio: ["inherit", "inherit", "inherit", "pipe"] to spawn (${readAbout("spawnInit")})`);
  }
  // With --userns, the stage first says which process is the init process (its child, PID 1 inside).
  let initPid = child.pid;
  if (userns) {
    try {
      initPid = (await readStageReport(pipe)).init;
    } catch (error) {
      child.kill("SIGKILL");
      await exited.catch(() => undefined);
      throw error;
    }
  }
  const pid = child.pid;
  const terminal = options.tty ? attachTerminal(ctx, calls, child, initPid, pipe) : undefined;
  const failure = readInitMessages(pipe, (fd) => terminal?.take(fd));
  state.pid = pid;
  state.pidStart = processStartTime(pid);
  states.save(state);
  // End of file without a failure: the command runs, and `container exec` may join it.
  void failure.then((failed) => {
    if (!failed) markStarted(states, state);
  });

  const stopForwarding = forwardSignals(pid);
  try {
    let spec: InitSpec;
    try {
      // What earlier runs could not clean up (they were killed) goes, like `container prune`, while
      // the init process boots, and before this run takes a cgroup and an address.
      pruneContainers(states, ctx.root);
      spec = await prepareHostSide(ctx, calls, image, options, state, stateDir, userns?.fds.etcDir ?? stateDir, states, { command, env, cwd, namespaced });
      if (userns) spec = usernsSpec(spec, userns.fds);
      finishHostSide(ctx, calls, state, spec, initPid);
    } catch (error) {
      // The init process is waiting for its spec: without one it must not linger.
      child.kill("SIGKILL");
      await exited.catch(() => undefined);
      throw error;
    }
    pipe.write(`${JSON.stringify(spec)}\n`);
    const [status, initFailure] = await Promise.all([exited, failure]);
    await terminal?.finished();
    if (initFailure) throw new UserError(initFailure.message, initFailure.hint, initFailure.exitCode);
    const reason = describeExit(status, state.cgroup, options.limits);
    if (reason) ctx.warn(reason);
    return status;
  } finally {
    terminal?.close();
    stopForwarding();
  }
}

function markStarted(states: StateStore, state: ContainerState): void {
  state.started = true;
  try {
    states.save(state);
  } catch {
    // the container is already gone, and its state with it
  }
}

/** The container's cgroup, its bridge address and /etc files, and the spec the init process will follow. */
async function prepareHostSide(
  ctx: RunContext,
  calls: StepCalls,
  image: ImageRecord,
  options: RunOptions,
  state: ContainerState,
  stateDir: string,
  /** Where the container's /etc files go: the state directory, or with --userns a directory of it the container's root may look into. */
  etcDir: string,
  states: StateStore,
  init: Pick<InitSpec, "command" | "env" | "cwd" | "namespaced">,
): Promise<InitSpec> {
  state.cgroup = createCgroup(ctx, calls, state.id, options.limits);
  states.save(state);

  let network = options.network;
  if (network === "bridge") {
    state.bridge = planBridgeNetwork(ctx.root, options.subnet, state.id);
    states.save(state);
    if (options.ports.length) {
      claimPorts(ctx.root, state.id, options.ports);
      state.ports = options.ports;
      states.save(state);
    }
    // Containers starting together would otherwise all try to create the bridge.
    const setUp = () => withLock(bridgeLockPath(), () => ctx.impl.setupBridge(state.bridge as BridgeNetwork));
    if (!calls.optional("setupBridge", "the container has no network", setUp)) {
      releaseAddress(ctx.root, state.bridge);
      network = "none";
      state.bridge = undefined;
    }
  }

  const spec: InitSpec = {
    id: state.id,
    hostname: state.hostname,
    rootfs: image.rootfs,
    ...init,
    volumes: options.volumes,
    network,
    bridge: state.bridge,
    pivotRoot: options.pivotRoot,
    privileged: options.privileged,
    tty: options.tty,
    init: options.init,
    hostNamespaces: { uts: nsInode("uts"), mnt: nsInode("mnt"), net: nsInode("net") },
    etcFiles: writeEtcFiles(etcDir, state.hostname, state.bridge?.address, resolvConfFor(ctx, calls, network)),
    eventsFile: ctx.eventsFile,
  };
  if (options.overlay) {
    const merged = join(stateDir, "rootfs");
    const overlay = { layers: await ctx.layerDirs(image), upper: join(stateDir, "upper"), work: join(stateDir, "work") };
    for (const dir of [merged, overlay.upper, overlay.work]) mkdirSync(dir);
    Object.assign(spec, { rootfs: merged, overlay });
  }
  return spec;
}

/** With the init process started: move it into its cgroup and plug it into the bridge. */
function finishHostSide(ctx: RunContext, calls: StepCalls, state: ContainerState, spec: InitSpec, pid: number): void {
  const { cgroup, bridge } = state;
  if (cgroup) calls.optional("addProcess", "running without resource limits", () => ctx.impl.addProcess(cgroup, pid));
  if (bridge && !calls.optional("connectContainer", "the container has no network", () => ctx.impl.connectContainer(pid, bridge))) {
    releaseAddress(ctx.root, bridge);
    state.bridge = spec.bridge = undefined;
  }
  if (state.ports) publishPorts(ctx, calls, state.id, state.ports, state.bridge);
}

/** -p: the container's ports on the host's addresses, once it is on the bridge. */
function publishPorts(ctx: RunContext, calls: StepCalls, id: string, ports: PublishedPort[], bridge: BridgeNetwork | undefined): void {
  if (!bridge) {
    throw new UserError("the container is not on the bridge (the network step is not done yet), so -p cannot work", "read docs/06-network.md, or run without -p");
  }
  for (const port of ports) calls.neededFor("-p", "publishPort", () => ctx.impl.publishPort(port, bridge, portOwner(id)));
}

/**
 * Starts the init process in new namespaces, or, while step 2 is still a TODO, as a plain child
 * process (step 1 on its own runs the command like that).
 */
export function startInit(ctx: Pick<RunContext, "impl" | "initScript" | "events">, calls: StepCalls, network: NetworkMode, userns?: PreparedUserns): { child: ChildProcess; namespaced: boolean } {
  const { impl } = ctx;
  const init: InitCommand = { command: process.execPath, args: ["--v8-pool-size=1", ctx.initScript], env: initEnvironment() };
  const spawnInit = (command = init) => calls.required("spawnInit", () => impl.spawnInit(command));
  if (userns) {
    // The namespaces are made inside the user namespace, by the stage (init-userns.ts): made here,
    // the host's user namespace would own them, and root in the container could use none.
    let flags = 0;
    calls.neededFor("--userns", "namespaceFlags", () => (flags = impl.namespaceFlags(network)));
    return { child: spawnInit(usernsStageCommand(userns.holder, userns.fds, init, flags & ~(CLONE_NEWUSER | CLONE_NEWNS))), namespaced: true };
  }
  let child: ChildProcess | undefined;
  const namespaced = calls.optional("namespaceFlags", undefined, () => {
    const flags = impl.namespaceFlags(network);
    const guard = guardNamespaces();
    calls.optional("spawnInNamespaces", undefined, () => (child = impl.spawnInNamespaces(flags, spawnInit)));
    const left = guard.restore();
    if (left.namespaces.length || left.cwd) {
      child?.kill("SIGKILL");
      throw notReturned(ctx.events, "spawnInNamespaces", left);
    }
  });
  return child ? { child, namespaced } : { child: spawnInit(), namespaced: false };
}

function nsInode(name: string): number {
  return statSync(`/proc/self/ns/${name}`).ino;
}

/** The command, environment and directory from the image's config (a bonus step: until it is done, plain defaults). */
export function commandFor(ctx: Pick<RunContext, "impl" | "events">, calls: StepCalls, image: ImageRecord, options: RunOptions, hostname: string) {
  const { impl } = ctx;
  const extra = [`HOSTNAME=${hostname}`, ...options.env];
  let configured: { command: string[]; env: string[]; cwd: string } | undefined;
  calls.optional("commandLine", undefined, () => {
    configured = { command: impl.commandLine(image.config, options.args), env: impl.environment(image.config, extra), cwd: impl.workingDir(image.config) };
  });
  if (configured) {
    if (configured.command.length === 0) throw new UserError(`no command to run: the image ${image.ref} has no Cmd or Entrypoint`, "give one after the image name");
    return { ...configured, env: withDefaults(configured.env) };
  }
  if (options.args.length === 0) {
    ctx.events.emit({ event: "todo", step: stepIdOf("commandLine"), func: "commandLine" });
    throw new UserError("no command given", "the image-config bonus step is not done yet: give the command after the image name, e.g. /bin/sh");
  }
  return { command: options.args, env: withDefaults(extra), cwd: "/" };
}

/** Docker's defaults, for the variables that neither the image nor the user set. */
function withDefaults(env: string[]): string[] {
  const named = new Set(env.map((entry) => entry.split("=", 1)[0]));
  const defaults = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"];
  return [...defaults.filter((entry) => !named.has(entry.split("=", 1)[0])), ...env];
}

function createCgroup(ctx: RunContext, calls: StepCalls, id: string, limits: Limits): Cgroup | undefined {
  const root = containerCgroupRoot();
  const limited = Object.values(limits).some((v) => v !== undefined);
  if (!root) {
    if (limited) throw new UserError("this machine has no usable cgroup memory, cpu and pids controllers", "run in the workshop's devcontainer or a VM with cgroups enabled, or drop --memory/--cpus/--pids");
    return undefined;
  }
  let cgroup: Cgroup | undefined;
  calls.optional("createCgroup", limited ? "running without resource limits" : undefined, () => {
    cgroup = ctx.impl.createCgroup(root, id, limits);
  });
  return cgroup;
}

function resolvConfFor(ctx: RunContext, calls: StepCalls, network: NetworkMode): string {
  const host = readOptional("/etc/resolv.conf") ?? "";
  if (network === "host") return host;
  let conf = host;
  // Without the network step the container has no network, and so no use for a nameserver.
  calls.optional("containerResolvConf", undefined, () => {
    conf = ctx.impl.containerResolvConf(host, readOptional("/run/systemd/resolve/resolv.conf"));
  });
  return conf;
}

/**
 * The init process needs little of our environment: PATH to find `ip`, and the trace switch.
 * Its threads count against --pids once it is in the cgroup, so it keeps few: one libuv worker
 * here, one V8 worker (--v8-pool-size=1 above).
 */
export function initEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", UV_THREADPOOL_SIZE: "1" };
  if (process.env.WORKSHOP_TRACE) env.WORKSHOP_TRACE = process.env.WORKSHOP_TRACE;
  return env;
}


/**
 * Ctrl-C or a TERM to us stops the container: the signal is passed on, and if the container's
 * PID 1 ignores it (PID 1 ignores signals it has no handler for), SIGKILL follows after a grace period.
 */
export function forwardSignals(pid: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  const forward = (signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    timer ??= setTimeout(() => {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 3000);
  };
  const stop = onStopSignals(forward);
  return () => {
    stop();
    if (timer) clearTimeout(timer);
  };
}

/**
 * Everything one probe runs in, made fresh for it and removed after it: a host sandbox (a
 * long-lived one, see sandbox-session.ts), a cgroup parent, and a store root of its own whose
 * images are the shared store's (symlinked), so that its containers' state, addresses and
 * leftovers are its own. Containers start through the real `container` CLI only.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ImageStore } from "../image/store.js";
import { readOptional } from "../runtime/etc-files.js";
import { parseEvents, type RuntimeEvent } from "../runtime/events.js";
import { BRIDGE } from "../runtime/host-network.js";
import { StateStore, type ContainerState } from "../runtime/state.js";
import { removeParent } from "./cgroup-tree.js";
import type { LeftoverKind } from "./define.js";
import { CONTAINER, Harness, type Result } from "./harness.js";
import { SandboxSession } from "./sandbox-session.js";
import { OutputWaits } from "./output-waits.js";
import { TerminalRun } from "./terminal-run.js";
import type { WindowSize } from "../../native/index.js";

export interface ProbeSetup {
  /** The shared store, with the check images in it. */
  storeRoot: string;
  /** The implementation directory, absolute. */
  impl: string;
  /** The ref of the check image. */
  image: string;
  /** Absolute; passed to every run as --trace. */
  traceFile?: string;
  /** The nice increment of everything the probe starts (RunOptions.nice). */
  nice?: number;
}

export interface Leftover {
  kind: LeftoverKind;
  /** For a person: "network interface veth12ab34cd". */
  what: string;
}

/** The store's directories a probe's own root shares (the images); the rest is its own. */
const SHARED = ["blobs", "images", "refs", "layers"];

/** For a message: "a, b and 3 more". */
export function listLeftovers(left: Leftover[]): string {
  const shown = left.slice(0, 2).map((l) => l.what);
  if (left.length > 2) shown.push(`${left.length - 2} more`);
  return shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}` : (shown[0] ?? "nothing");
}

/** Thrown into a probe that goes on starting containers after its time is up. */
class ProbeStopped extends Error {
  override name = "ProbeStopped";
}

export class ProbeContext {
  /** What each `container` run printed and how it ended, in order of ending. */
  readonly runs: Result[] = [];
  private readonly running: RunningContainer[] = [];
  private started = 0;
  private stopped = false;
  private readonly cleanups: (() => void)[] = [];
  private readonly terminalEvents: string[] = [];

  private constructor(
    private readonly setup: ProbeSetup,
    readonly harness: Harness,
    readonly sandbox: SandboxSession,
  ) {}

  static async open(setup: ProbeSetup): Promise<ProbeContext> {
    const id = `${process.pid}-${randomBytes(4).toString("hex")}`;
    const root = join(setup.storeRoot, "checks", id);
    mkdirSync(root, { recursive: true });
    for (const dir of SHARED) {
      mkdirSync(join(setup.storeRoot, dir), { recursive: true });
      symlinkSync(join(setup.storeRoot, dir), join(root, dir));
    }
    const harness = new Harness(root, `workshop-check-${id}`, setup.impl);
    try {
      return new ProbeContext(setup, harness, await SandboxSession.open(harness.cgroupParent, setup.nice));
    } catch (error) {
      await removeParent(harness.cgroupParent);
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  get image(): string {
    return this.setup.image;
  }

  /** This probe's store root: state and addresses of its containers. */
  get root(): string {
    return this.harness.root;
  }

  /** `container ARGS...` in the sandbox, run to its end with `input` on its stdin. */
  container(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
    const run = this.start(args, options);
    run.end(options.input);
    return run.done;
  }

  /** `container ARGS...` in the sandbox, left running with its stdin open until `end()`. */
  start(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): RunningContainer {
    const { argv, events } = this.commandLine(args);
    // Started in a directory of its own, not /: a runtime that loses its working directory shows.
    const child = this.sandbox.spawn(argv[0]!, argv.slice(1), { ...this.harness.environment(), ...options.env }, this.root);
    const run = new RunningContainer(child, events);
    this.running.push(run);
    void run.done.then((result) => this.runs.push(result));
    return run;
  }

  /**
   * `container ARGS...` in the sandbox with a terminal of its own at `size` (see terminal-run.ts),
   * closed once the probe is over. Its events are the probe's like any run's.
   */
  startInTerminal(args: string[], size: WindowSize): TerminalRun {
    const { argv, events } = this.commandLine(args);
    // setsid -c: a session of its own, whose controlling terminal is the one it was given, as a login shell's.
    const terminal = new TerminalRun(size, (stdio) => this.sandbox.spawn("setsid", ["-c", ...argv], this.harness.environment(), this.root, stdio));
    this.terminalEvents.push(events);
    this.cleanups.unshift(() => terminal.close());
    return terminal;
  }

  /** `container ARGS...` as the probe runs it, with the file of its events; refused once the probe is stopped. */
  private commandLine(args: string[]): { argv: string[]; events: string } {
    if (this.stopped) throw new ProbeStopped("the probe was stopped");
    // Each run tells on a file of its own what it reached, skipped and left (the runtime's machine channel).
    const events = join(this.root, `events-${this.started++}.jsonl`);
    const trace = this.setup.traceFile ? ["--trace", this.setup.traceFile] : [];
    return { argv: [process.execPath, CONTAINER, "--impl", this.setup.impl, "--root", this.root, "--events", events, ...trace, ...args], events };
  }

  /**
   * Everything the runtime told on its event channel in this probe, finished runs or not (a
   * run killed at the time limit may have reached a TODO first).
   */
  events(): RuntimeEvent[] {
    return [...this.running.flatMap((run) => run.events()), ...this.terminalEvents.flatMap((file) => parseEvents(readOptional(file) ?? ""))];
  }

  /** Polls `probe` until it returns a value; undefined once `run` has ended (or the probe was stopped). */
  async until<T>(probe: () => T | undefined, run: RunningContainer): Promise<T | undefined> {
    for (;;) {
      const value = probe();
      if (value !== undefined || run.closed || this.stopped) return value;
      await sleep(20);
    }
  }

  /** The containers whose state is on disk right now (running ones, or ones that left something). */
  states(): ContainerState[] {
    return new StateStore(this.root).list();
  }

  /** The check image's root filesystem, on the host (by its path in the shared store, which outlives the probe). */
  imageRootfs(): string {
    const image = new ImageStore(this.setup.storeRoot).resolve(this.image);
    if (!image) throw new Error(`${this.image} is not in ${this.setup.storeRoot}`);
    return image.rootfs;
  }

  /** A temporary directory on the host, removed after the probe. */
  tempDir(label: string): string {
    const dir = mkdtempSync(join(tmpdir(), `workshop-check-${label}-`));
    this.removeAfter(dir);
    return dir;
  }

  /** Removes `path` once the probe's sandbox is gone (and with it anything mounted there). */
  removeAfter(path: string): void {
    this.cleanups.push(() => rmSync(path, { recursive: true, force: true }));
  }

  /** What the runs left that they should not have: processes, cgroups, interfaces, mounts. */
  leftovers(): Leftover[] {
    const left: Leftover[] = this.sandbox.processes().map((pid) => ({ kind: "process", what: `process ${pid} (${commandOf(pid)})` }));
    for (const dir of this.harness.cgroupDirs()) left.push({ kind: "cgroup", what: `cgroup ${dir}` });
    for (const name of this.sandbox.interfaces()) {
      // The bridge is meant to stay, like docker0.
      if (name !== BRIDGE && !this.sandbox.baseline.interfaces.includes(name)) left.push({ kind: "interface", what: `network interface ${name}` });
    }
    const before = new Set(this.sandbox.baseline.mountinfo);
    for (const line of this.sandbox.mountinfo()) {
      if (!before.has(line)) left.push({ kind: "mount", what: `a mount on ${line.split(" ")[4]}` });
    }
    return left;
  }

  /** Stops the probe where it is: no new run starts, and every process of the sandbox is killed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.sandbox.killAll();
  }

  /** Ends the sandbox and removes the cgroups, the store root and what the probe asked to remove. */
  async close(): Promise<void> {
    this.stopped = true;
    await this.sandbox.close();
    await removeParent(this.harness.cgroupParent);
    rmSync(this.root, { recursive: true, force: true });
    for (const cleanup of this.cleanups) cleanup();
  }
}

/** A `container` process started in a sandbox: its output so far, its stdin, its result. */
export class RunningContainer {
  stderr = "";
  readonly done: Promise<Result>;
  /** Its stdout so far; closed once the process has ended and all of it is read. */
  private readonly out = new OutputWaits();

  constructor(
    private readonly child: ChildProcess,
    private readonly eventsFile: string,
  ) {
    child.stdout?.setEncoding("utf8").on("data", (d: string) => this.out.append(d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (this.stderr += d));
    // A container that exits without reading its stdin closes the pipe: that is not our error.
    child.stdin?.on("error", () => undefined);
    this.done = new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (status, signal) => {
        this.out.close();
        resolve({ status, signal, stdout: this.out.text, stderr: this.stderr, events: this.events() });
      });
    });
  }

  /** Resolves true once stdout matches `pattern`, false if the run ends first. */
  waitFor(pattern: RegExp): Promise<boolean> {
    return this.out.until((text) => pattern.test(text));
  }

  /** True once the process has ended and all its output is read. */
  get closed(): boolean {
    return this.out.closed;
  }

  /** What the run told on its event channel so far. */
  events(): RuntimeEvent[] {
    return parseEvents(readOptional(this.eventsFile) ?? "");
  }

  /** Sends `signal` to the `container` process, as a user's Ctrl-C or `kill` would. */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Writes `input` to the container's stdin and closes it. */
  end(input = ""): void {
    this.child.stdin?.end(input);
  }

}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "exited";
  }
}

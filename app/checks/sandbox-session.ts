/**
 * One long-lived host sandbox (app/sandbox/sandbox.ts) that a check drives a command at a time
 * and inspects in between: its mount table, network interfaces and hostname, before and after a
 * container ran in it. Commands enter it with nsenter, after joining the check's sandbox cgroup,
 * so that everything they start can be found, and killed, when the check ends.
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { SANDBOX_HOSTNAME, sandboxed } from "../sandbox/sandbox.js";
import { killQuietly } from "../runtime/cleanup.js";
import { createSandboxCgroup, processesUnder } from "./cgroup-tree.js";
import { collect, type Result, type SpawnOptions } from "./harness.js";

// The holder keeps the namespaces alive; it ends when its stdin closes, so also when we die.
const HOLD = "echo ready; read -r _";
const NAMESPACES = ["mnt", "net"] as const;

export class SandboxSession {
  /** The mount table and network interfaces to compare with later: right after setup, or as `takeBaseline()` saw them. */
  baseline: { mountinfo: string[]; interfaces: string[] };
  private readonly namespaces: string[];

  private constructor(
    private readonly holder: ChildProcess & { pid: number },
    private readonly cgroupParent: string,
    private readonly cgroupProcs: string | undefined,
    private readonly nice: number | undefined,
  ) {
    this.baseline = { mountinfo: this.mountinfo(), interfaces: this.interfaces() };
    this.namespaces = NAMESPACES.map((ns) => readlinkSync(`/proc/${holder.pid}/ns/${ns}`));
  }

  /** Starts a sandbox whose commands join the cgroup parent's sandbox cgroup, `nice` lower in priority if given. */
  static async open(cgroupParent: string, nice?: number): Promise<SandboxSession> {
    const cgroupProcs = createSandboxCgroup(cgroupParent);
    const command = sandboxed("sh", ["-c", HOLD]);
    const holder = spawn(command.command, command.args, { env: { PATH: process.env.PATH, ...command.env }, stdio: ["pipe", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      let stderr = "";
      holder.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      holder.stdout.setEncoding("utf8").once("data", () => resolve());
      holder.once("error", reject);
      holder.once("exit", (code) => reject(new Error(`the host sandbox did not start (exit ${code}): ${stderr.trim()}`)));
    });
    return new SandboxSession(holder as ChildProcess & { pid: number }, cgroupParent, cgroupProcs, nice);
  }

  /** The hostname the sandbox was given: what a container must leave alone. */
  get hostname(): string {
    return SANDBOX_HOSTNAME;
  }

  /** A process of the sandbox that lives as long as it: a host process, seen from a container. */
  get pid(): number {
    return this.holder.pid;
  }

  /** The sandbox's namespace (e.g. "uts:[4026531838]") of the given kind. */
  namespace(kind: "uts" | "pid" | "mnt" | "net"): string {
    return readlinkSync(`/proc/${this.holder.pid}/ns/${kind}`);
  }

  /** Makes the mounts and interfaces there are now the ones to compare with (after a check set the sandbox up). */
  takeBaseline(): void {
    this.baseline = { mountinfo: this.mountinfo(), interfaces: this.interfaces() };
  }

  /**
   * Starts `command` in the sandbox: in its namespaces, and its cgroup, in `cwd` (entering the
   * mount namespace would otherwise leave it in /). Its stdio are pipes unless `stdio` says otherwise.
   */
  spawn(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = "/", stdio: StdioOptions = ["pipe", "pipe", "pipe"]): ChildProcess {
    const join = this.cgroupProcs ? `echo $$ > '${this.cgroupProcs}' && ` : "";
    const nice = this.nice ? `nice -n ${this.nice} ` : "";
    return spawn("sh", ["-c", `${join}exec ${nice}nsenter --target ${this.holder.pid} --mount --uts --net --wd="$0" -- "$@"`, cwd, command, ...args], {
      env,
      stdio,
    });
  }

  /** Runs `command` in the sandbox to its end. */
  exec(command: string, args: string[], options: SpawnOptions = {}): Promise<Result> {
    return collect(this.spawn(command, args, { PATH: process.env.PATH, ...options.env }), options);
  }

  /** The sandbox's mount table, a line per mount. */
  mountinfo(): string[] {
    return readFileSync(`/proc/${this.holder.pid}/mountinfo`, "utf8").trim().split("\n");
  }

  /** The sandbox's network interfaces (from the holder's view of /proc/net/dev). */
  interfaces(): string[] {
    return readFileSync(`/proc/${this.holder.pid}/net/dev`, "utf8")
      .split("\n")
      .slice(2)
      .map((line) => line.split(":")[0]!.trim())
      .filter(Boolean);
  }

  /** The hostname of the sandbox itself, as a program running there sees it. */
  async currentHostname(): Promise<string> {
    const result = await this.exec("hostname", []);
    return result.stdout.trim();
  }

  /** Every process of the sandbox but its holder: in the check's cgroups, or in the sandbox's namespaces. */
  processes(): number[] {
    const pids = new Set(processesUnder(this.cgroupParent));
    for (const entry of readdirSync("/proc")) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid === this.holder.pid) continue;
      if (NAMESPACES.some((ns, i) => nsOf(pid, ns) === this.namespaces[i])) pids.add(pid);
    }
    pids.delete(this.holder.pid);
    return [...pids];
  }

  /** SIGKILLs every process of the sandbox but the holder, until none is left. */
  async killAll(ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const pids = this.processes();
      if (pids.length === 0) return;
      for (const pid of pids) killQuietly(pid);
      if (Date.now() > deadline) throw new Error(`processes ${pids.join(", ")} of a check's sandbox survived SIGKILL`);
      await sleep(10);
    }
  }

  /** Kills everything in the sandbox and ends it: its namespaces, and the mounts in them, go too. */
  async close(): Promise<void> {
    await this.killAll();
    if (this.holder.exitCode !== null || this.holder.signalCode !== null) return;
    const exited = new Promise((resolve) => this.holder.once("exit", resolve));
    this.holder.stdin?.end();
    const timer = setTimeout(() => this.holder.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(timer);
  }
}

function nsOf(pid: number, ns: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${ns}`);
  } catch {
    return undefined;
  }
}

/**
 * A shell in one host sandbox that a test drives a command at a time, so it can start `container`
 * in the background, look at the host from outside (cgroups, /proc, the store) and from inside
 * (the sandbox's network interfaces) in between, and send signals when it chooses.
 *
 *   const sh = new SandboxShell(ws);
 *   const pid = Number(await sh.run(`$CONTAINER run ${ws.image} sleep 5 >out 2>&1 & echo $!`));
 *   await sh.close();
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Workspace } from "../helpers/container.js";
import { listProcesses } from "./processes.js";

/**
 * Reads one command per line from fd 9 (our stdin) and runs it with stdin from /dev/null and
 * without fd 9, so that nothing it starts (a container shares the CLI's stdin) eats the next
 * commands; then prints the marker and the command's exit status.
 */
const LOOP = `exec 9<&0 </dev/null
while IFS= read -r command <&9; do
  eval "$command" 9<&-
  printf '\\n%s %s\\n' "$1" "$?"
done`;

export class SandboxShell {
  private readonly marker = `__done_${randomBytes(6).toString("hex")}`;
  private readonly child: ChildProcess;
  private stdout = "";
  private stderr = "";
  private waiting: (() => void) | undefined;
  private readonly exited: Promise<void>;

  constructor(ws: Workspace, env: NodeJS.ProcessEnv = {}) {
    this.child = ws.spawn("sh", ["-c", LOOP, "sandbox-shell", this.marker], { env });
    this.child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      this.stdout += d;
      this.waiting?.();
    });
    this.child.stderr!.setEncoding("utf8").on("data", (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.once("close", () => resolve()));
  }

  /** Runs one command line and returns its stdout, trimmed; throws with its stderr if it fails. */
  async run(command: string, timeoutMs = 20_000): Promise<string> {
    if (command.includes("\n")) throw new Error("one command line at a time");
    const errorsBefore = this.stderr.length;
    this.child.stdin!.write(`${command}\n`);
    const pattern = new RegExp(`\\n${this.marker} (\\d+)\\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.stdout);
      if (match) {
        const output = this.stdout.slice(0, match.index);
        this.stdout = this.stdout.slice(match.index + match[0].length);
        if (match[1] !== "0") throw new Error(`\`${command}\` exited with ${match[1]}: ${this.stderr.slice(errorsBefore)}`);
        return output.trim();
      }
      if (Date.now() > deadline) throw new Error(`\`${command}\` did not finish within ${timeoutMs}ms`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 100);
      });
    }
  }

  /** The host ends of container veths in the sandbox's network namespace. */
  async veths(): Promise<string[]> {
    const names = await this.run("ip -o link show | awk -F': ' '{print $2}'");
    return names
      .split("\n")
      .map((name) => name.split("@")[0]!)
      .filter((name) => name.startsWith("veth"));
  }

  /**
   * Ends the sandbox. Whatever still runs in the shell's background (a test that failed half-way)
   * gets SIGTERM first, so a `container run` stops its container and cleans up as it would for a
   * user; SIGKILL follows if that takes too long.
   */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    // Found through /proc: in dash, `jobs` run in a subshell such as $(jobs -p) lists nothing.
    const background = () => listProcesses().filter((p) => p.ppid === this.child.pid);
    for (const { pid } of background()) process.kill(pid, "SIGTERM");
    this.child.stdin!.end("wait; exit\n");
    const timer = setTimeout(() => {
      for (const { pid } of background()) process.kill(pid, "SIGKILL");
      this.child.kill("SIGKILL");
    }, 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

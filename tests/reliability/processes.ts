/** The machine's processes as /proc shows them (the sandboxes share the host's PID namespace). */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The command line, arguments joined with spaces; empty for zombies and kernel threads. */
  command: string;
}

export function listProcesses(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const command = readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0$/, "").split("\0").join(" ");
      found.push({ pid: Number(name), ppid, command });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** Processes (but this one) whose command line mentions `marker`, tmux's server aside: what an app started with that path, say. */
export function processesMentioning(marker: string): string[] {
  return listProcesses()
    .filter((p) => p.pid !== process.pid && p.command.includes(marker) && !p.command.startsWith("tmux "))
    .map((p) => `${p.pid}: ${p.command}`);
}

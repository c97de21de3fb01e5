/**
 * A real terminal for tests: a tmux server of the test file's own, its socket in a temporary
 * directory that goes with it (tmux leaves its socket behind), keys sent as a person types them
 * and the screen read back.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class Terminal {
  private readonly dir = mkdtempSync(join(tmpdir(), "tmux-test-"));
  private opened = 0;
  /** The session the other methods act on: the one `open` made last. */
  session = "";

  run(...args: string[]): string {
    return execFileSync("tmux", ["-S", join(this.dir, "socket"), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  /**
   * Runs `command` in a new session of width×height, which becomes the current one. The last
   * session is killed only after: a server left with no session exits, and a new session racing
   * that exit fails with "server exited unexpectedly". `keep` keeps the pane after its command
   * ends, so that what it left on the screen can be read.
   */
  open(command: string, { width = 80, height = 24, keep = false } = {}): void {
    const last = this.session;
    this.session = `s${++this.opened}`;
    this.run("new-session", "-d", "-x", String(width), "-y", String(height), "-s", this.session, command);
    if (keep) this.run("set-option", "-t", this.session, "remain-on-exit", "on");
    if (!last) return;
    try {
      this.run("kill-session", "-t", last);
    } catch {
      // gone with its server (a test killed it)
    }
  }

  /** The pane's text; `options` as capture-pane takes them (-e for colours, -S - for the scrollback). */
  screen(...options: string[]): string {
    return this.run("capture-pane", "-p", ...options, "-t", this.session);
  }

  /** Keys by tmux's names ("Enter", "C-z", "j"). */
  keys(...names: string[]): void {
    this.run("send-keys", "-t", this.session, ...names);
  }

  /** The text as typed, then Enter. */
  type(line: string): void {
    this.run("send-keys", "-t", this.session, "-l", line);
    this.keys("Enter");
  }

  /** What tmux knows of the pane, by its format ("#{alternate_on}", "#{pane_pid}"). */
  pane(format: string): string {
    return this.run("display-message", "-p", "-t", this.session, format).trim();
  }

  close(): void {
    try {
      this.run("kill-server");
    } catch {
      // no server left
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

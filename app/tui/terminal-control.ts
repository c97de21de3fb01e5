/**
 * The terminal as the app borrows it: the alternate screen, raw keys, a hidden cursor and mouse
 * reporting, given back whenever the app steps away (Ctrl-Z, the editor, quitting) and taken
 * again on return. The app reaches it as a service (`AppServices.terminal`), so that component
 * tests record what it asks instead of stopping the test runner. It imports nothing of React or
 * Ink: openApp loads it before them.
 */
import { spawnSync } from "node:child_process";

export interface TerminalControl {
  /** Gives the terminal back as the shell had it: raw mode off, cursor shown, no mouse reporting, the normal screen. */
  leave(): void;
  /** Takes it again, on a blank screen (the app redraws after). */
  enter(options: { mouse: boolean }): void;
  /** Turns the terminal's mouse reporting on or off (off: the terminal selects text itself). */
  setMouse(on: boolean): void;
  /**
   * Stops the app's process group, as Ctrl-Z stops a program that does not read raw keys; returns
   * once the shell continues it (fg sends SIGCONT). The process group, not the app alone: started
   * through npm, npm and its shell stop too, and the shell gets its prompt back.
   */
  stop(): void;
  /** Runs `command` (a shell command line, as $EDITOR holds one) on `file` in the terminal, until it ends: why it failed, if it did. */
  run(command: string, file: string): string | undefined;
}

/** Button presses (1000) with the wheel, in SGR form (1006, parsed in mouse.ts): columns past 223 stay readable. */
const MOUSE_ON = "\u001b[?1000h\u001b[?1006h";
const MOUSE_OFF = "\u001b[?1006l\u001b[?1000l";
const ENTER_SCREEN = "\u001b[?1049h\u001b[H";
const LEAVE_SCREEN = "\u001b[?1049l";
const SHOW_CURSOR = "\u001b[?25h";
const HIDE_CURSOR = "\u001b[?25l";

export interface RealTerminalOptions {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Whether the app draws on the alternate screen (openApp takes it). */
  alternateScreen: boolean;
  /** The signal a process group is stopped with: SIGTSTP, as the terminal sends on Ctrl-Z. */
  stopSignal?: NodeJS.Signals;
}

export function realTerminal({ stdin = process.stdin, stdout = process.stdout, alternateScreen, stopSignal = "SIGTSTP" }: RealTerminalOptions): TerminalControl {
  const setRaw = (on: boolean) => {
    if (stdin.isTTY) stdin.setRawMode(on);
  };
  return {
    leave() {
      stdout.write(`${MOUSE_OFF}${SHOW_CURSOR}${alternateScreen ? LEAVE_SCREEN : ""}`);
      setRaw(false);
    },
    enter({ mouse }) {
      setRaw(true);
      stdout.write(`${alternateScreen ? ENTER_SCREEN : ""}${HIDE_CURSOR}${mouse ? MOUSE_ON : ""}`);
    },
    setMouse(on) {
      stdout.write(on ? MOUSE_ON : MOUSE_OFF);
    },
    stop() {
      // Stopped before kill returns (a signal to the caller's own group is delivered at once), and
      // continued there: nothing of the app runs in between. In an orphaned process group (no
      // shell with job control above it) the kernel drops the signal: the app carries on.
      process.kill(0, stopSignal);
    },
    run(command, file) {
      // Through the shell, as git runs $EDITOR: it may hold arguments ("code --wait").
      // Synchronous: nothing of the app reads the terminal or draws while the editor has it.
      const result = spawnSync("/bin/sh", ["-c", `${command} "$1"`, "sh", file], { stdio: "inherit" });
      if (result.error) return result.error.message;
      if (result.status === 127) return `${command} was not found`;
      if (result.status !== 0) return `${command} ended with status ${result.status ?? result.signal}`;
      return undefined;
    },
  };
}

/** The editor the learner chose: $VISUAL, else $EDITOR, as most programs read them; undefined when neither is set. */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || undefined;
}

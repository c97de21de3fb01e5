/**
 * A `container` process with a terminal of its own, as a user's shell would give it: a
 * pseudo-terminal of the host's, its slave as the process's stdin, stdout, stderr and controlling
 * terminal (setsid -c), its master here, to type into, read from and resize like a terminal
 * window. For the checks and tests of `-t`.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { writeSync } from "node:fs";
import { ReadStream } from "node:tty";
import { OutputWaits } from "./output-waits.js";
import { AT_FDCWD, close, O_CLOEXEC, O_NOCTTY, O_RDWR, openat, ptyNumber, setWindowSize, unlockPty, type WindowSize } from "../../native/index.js";

export interface TerminalResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** What the terminal showed, without the carriage returns a terminal adds to each newline. */
  output: string;
}

export class TerminalRun {
  readonly done: Promise<TerminalResult>;
  /** The terminal's settings before the program started (`stty -g`): to compare with after. */
  readonly before: string;
  private readonly master: number;
  private readonly slave: number;
  private readonly reader: ReadStream;
  /** What the terminal showed so far (carriage returns removed); closed once all is read, or the terminal is. */
  private readonly shown = new OutputWaits();

  /** Opens the terminal at `size`; `start` starts the program with the given stdio (the slave three times). */
  constructor(size: WindowSize, start: (stdio: [number, number, number]) => ChildProcess) {
    this.master = openat(AT_FDCWD, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    unlockPty(this.master);
    this.slave = openat(AT_FDCWD, `/dev/pts/${ptyNumber(this.master)}`, O_RDWR | O_NOCTTY | O_CLOEXEC);
    setWindowSize(this.master, size);
    // Read before the program starts: once it runs, it may have made the terminal raw already.
    this.before = this.settings();
    this.reader = new ReadStream(this.master);
    this.reader.on("data", (data: Buffer) => this.shown.append(data.toString("utf8").replaceAll("\r", "")));
    // EIO once nothing holds the slave; our own copy is open until close().
    this.reader.on("error", () => undefined);
    const child = start([this.slave, this.slave, this.slave]);
    this.done = new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (status, signal) => {
        void this.drain().then(() => {
          this.shown.close();
          resolve({ status, signal, output: this.shown.text });
        });
      });
    });
  }

  /**
   * What the program wrote before it ended may not have been read from the master yet: a line of
   * our own, written after it, arrives after all of it.
   */
  private async drain(): Promise<void> {
    // Closed already (the probe ended first): the slave is no longer ours to write to.
    if (this.shown.closed) return;
    const marker = `terminal-run-drained-${process.pid}`;
    writeSync(this.slave, `\n${marker}\n`);
    if (await this.shown.until((text) => text.includes(marker))) this.shown.text = this.shown.text.slice(0, this.shown.text.lastIndexOf(`\n${marker}`));
  }

  /** Resolves true once the output matches `pattern`, false if the program ends first. */
  waitFor(pattern: RegExp): Promise<boolean> {
    return this.shown.until((text) => pattern.test(text));
  }

  /** Types `text` (a string of keys: "\x03" is Ctrl-C). */
  type(text: string): void {
    this.reader.write(text);
  }

  /** Resizes the window: the terminal's foreground process group gets SIGWINCH. */
  resize(size: WindowSize): void {
    setWindowSize(this.master, size);
  }

  /** The terminal's settings, as `stty -g` prints them: to compare before and after a run. */
  settings(): string {
    return spawnSync("stty", ["-g"], { stdio: [this.slave, "pipe", "pipe"], encoding: "utf8" }).stdout.trim();
  }

  /** Closes the terminal (after the program has ended). */
  close(): void {
    this.shown.close();
    this.reader.destroy();
    close(this.slave);
  }
}

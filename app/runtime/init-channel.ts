// The host's end of fd 3, while the init process (or exec's process) sets the container up: a
// failure, in JSON, if it could not start the command; with -t, first the fd of the terminal's
// master, to take and answer "go"; end of file once the command was exec'd. Under --userns, the
// stage's report (the init process's pid) comes before all that.
import type { Readable } from "node:stream";
import { UserError } from "../errors.js";
import type { StageReport } from "./init-userns.js";
import type { InitFailure } from "./spec.js";
import type { TerminalMessage } from "./terminal-handover.js";

/** Resolves with the failure init reported, or undefined at end of file (the command started). */
export function readInitMessages(pipe: Readable, onTerminal: (fd: number) => void): Promise<InitFailure | undefined> {
  return new Promise((resolve) => {
    let text = "";
    let failure: InitFailure | undefined;
    pipe.setEncoding("utf8");
    pipe.on("data", (chunk: string) => {
      text += chunk;
      for (let newline = text.indexOf("\n"); newline >= 0; newline = text.indexOf("\n")) {
        const message = JSON.parse(text.slice(0, newline)) as InitFailure | TerminalMessage;
        text = text.slice(newline + 1);
        if ("terminal" in message) onTerminal(message.terminal);
        else failure = message;
      }
    });
    // A reset after init wrote its failure (it exited before reading the spec) keeps what it wrote.
    const received = () => failure ?? (text.trim() ? (JSON.parse(text.trim()) as InitFailure) : undefined);
    pipe.on("error", () => resolve(received()));
    pipe.on("end", () => resolve(received()));
    // Paused after the --userns stage's report: a listener alone would not start it again.
    pipe.resume();
  });
}

/** The --userns stage's first line on fd 3 (the rest is the init process's, as without it). */
export function readStageReport(pipe: Readable): Promise<StageReport> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const newline = text.indexOf("\n");
      if (newline < 0) return;
      pipe.off("data", onData);
      pipe.off("end", onEnd);
      pipe.pause();
      const rest = text.slice(newline + 1);
      if (rest) pipe.unshift(Buffer.from(rest));
      const line = JSON.parse(text.slice(0, newline)) as StageReport | InitFailure;
      // The stage failed before it started the init process (unshareOwnedNamespaces, say): its report is a failure.
      if ("init" in line) resolve(line);
      else reject(new UserError(line.message, line.hint, line.exitCode));
    };
    const onEnd = () => reject(new UserError("--userns: the init process did not start in the user namespace", "run again with --trace FILE to see the calls it made"));
    pipe.on("data", onData);
    pipe.once("end", onEnd);
  });
}

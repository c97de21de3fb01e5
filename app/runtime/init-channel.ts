// The host's end of fd 3, while the init process (or exec's process) sets the container up: a
// failure, in JSON, if it could not start the command; with -t, first the fd of the terminal's
// master, to take and answer "go"; end of file once the command was exec'd.
import type { Readable } from "node:stream";
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
  });
}

/**
 * Copying to the clipboard of the terminal the app is drawn in (OSC 52), which works over SSH
 * and needs no program of the machine's (xclip, wl-copy). Terminals that do not allow it ignore
 * the sequence; tmux takes it into its paste buffer with `set-clipboard on`.
 */
import type { Writable } from "node:stream";

export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, "utf8").toString("base64")}\u0007`;
}

/** Writes the sequence to the terminal: it draws nothing, so it can go between two of Ink's frames. */
export function terminalClipboard(out: Writable = process.stdout): (text: string) => void {
  return (text) => {
    out.write(osc52(text));
  };
}

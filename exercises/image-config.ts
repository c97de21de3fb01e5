// Bonus step: honour the image's configuration — docs/07-bonus.md
import type { ImageConfig } from "#contract";
import { todo } from "./todo.js";

/** The command to run: the image's Entrypoint, then `args` if any were given, else the image's Cmd. */
export function commandLine(config: ImageConfig, args: string[]): string[] {
  return todo(7, "commandLine", "docs/07-bonus.md, image config");
}

/** The environment: the image's Env, with `extra` winning where both set a name. */
export function environment(config: ImageConfig, extra: string[]): string[] {
  return todo(7, "environment", "docs/07-bonus.md, image config");
}

/** The directory the command starts in: the image's WorkingDir, or "/". */
export function workingDir(config: ImageConfig): string {
  return todo(7, "workingDir", "docs/07-bonus.md, image config");
}

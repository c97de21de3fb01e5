// Bonus step: honour the image's configuration — docs/bonus-image-config.md
import type { ImageConfig } from "#contract";
import { todo } from "#given";

/** The command to run: the image's Entrypoint, then `args` if any were given, else the image's Cmd. */
export function commandLine(config: ImageConfig, args: string[]): string[] {
  return todo("commandLine");
}

/** The environment: the image's Env, with `extra` winning where both set a name. */
export function environment(config: ImageConfig, extra: string[]): string[] {
  return todo("environment");
}

/** The directory the command starts in: the image's WorkingDir, or "/". */
export function workingDir(config: ImageConfig): string {
  return todo("workingDir");
}

// Bonus step: honour the image's configuration the way `docker run` does.
import type { ImageConfig } from "#contract";

export function commandLine(config: ImageConfig, args: string[]): string[] {
  // Arguments replace Cmd, never Entrypoint: an image with an Entrypoint treats them as its arguments.
  return [...(config.Entrypoint ?? []), ...(args.length ? args : (config.Cmd ?? []))];
}

export function environment(config: ImageConfig, extra: string[]): string[] {
  const merged = new Map<string, string>();
  for (const entry of [...(config.Env ?? []), ...extra]) merged.set(entry.split("=", 1)[0] ?? entry, entry);
  return [...merged.values()];
}

export function workingDir(config: ImageConfig): string {
  return config.WorkingDir || "/";
}

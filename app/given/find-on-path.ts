import { accessSync, constants, statSync } from "node:fs";
import { join } from "node:path";

/**
 * PATH lookup the way a shell does it. Returns the first executable file named `name` in the PATH
 * from `env`, or the first such file that is not executable, or undefined.
 * It uses synchronous fs calls on purpose: see "Pitfalls" in docs/01-process.md.
 */
export function findOnPath(name: string, env: string[]): string | undefined {
  const pathVar = env.find((e) => e.startsWith("PATH="))?.slice(5) ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  let firstFound: string | undefined;
  for (const dir of pathVar.split(":")) {
    const candidate = join(dir || ".", name);
    try {
      if (!statSync(candidate).isFile()) continue;
    } catch {
      continue;
    }
    firstFound ??= candidate;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // present but not executable: keep looking
    }
  }
  return firstFound;
}

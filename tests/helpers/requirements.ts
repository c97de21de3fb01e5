import { execFileSync } from "node:child_process";
import type { TestContext } from "vitest";

/**
 * Tests of the real kernel features need root. Outside CI a test that cannot run is skipped with
 * the reason; in CI (CI=true) nothing may be skipped, so a missing requirement fails the test.
 */
export function requireRoot(ctx: TestContext): void {
  if (process.getuid?.() === 0) return;
  if (process.env.CI) throw new Error("this test needs root, and CI must run it");
  ctx.skip("needs root: run the tests with sudo");
}

/** Same for a program from a Debian package. */
export function requireProgram(ctx: TestContext, program: string, debianPackage: string): void {
  try {
    execFileSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" });
  } catch {
    if (process.env.CI) throw new Error(`${program} is missing: .ci/run must install ${debianPackage}`);
    ctx.skip(`needs ${program}: apt-get install ${debianPackage}`);
  }
}

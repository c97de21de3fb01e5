import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runScript } from "../helpers/node-script.js";
import { requireRoot } from "../helpers/requirements.js";

let temp: string;
beforeEach((ctx) => {
  requireRoot(ctx);
  temp = mkdtempSync(join(tmpdir(), "read-only-"));
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

describe("makeReadOnlyRecursive, in a mount namespace of a child", () => {
  it.each([
    ["mount_setattr(AT_RECURSIVE)", undefined, { call: "mount_setattr", code: "EINVAL" }],
    ["the remount fallback", "remount", { call: "mount", code: "EINVAL" }],
  ])("via %s: a tmpfs under a bind is read-only too, its other options kept; the bind's source stays writable", async (_, via, refusal) => {
    const result = await runScript(join(import.meta.dirname, "scripts", "read-only.ts"), via ? [temp, via] : [temp]);
    expect(result.stderr).toBe("");
    const { writes, options, notMountPoint } = JSON.parse(result.stdout);
    expect(writes).toEqual({ dst: "EROFS", dstSub: "EROFS", src: "written", srcSub: "written" });
    expect(options).toEqual({ dst: "ro,relatime", "dst/sub": "ro,nosuid,nodev,noexec,relatime" });
    expect(notMountPoint).toMatchObject(refusal);
    expect(notMountPoint.hint).toMatch(/mount point|bad flags/);
    expect(readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(temp);
  });
});

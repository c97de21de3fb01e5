import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TraceRecord } from "#native";
import { runScript } from "../helpers/node-script.js";
import { requireRoot } from "../helpers/requirements.js";

let temp: string;
beforeEach((ctx) => {
  requireRoot(ctx);
  temp = mkdtempSync(join(tmpdir(), "old-kernel-"));
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

describe("on a kernel without openat2 and mount_setattr (hidden by a seccomp filter that answers ENOSYS)", () => {
  it("openInRoot walks the path itself, and makeReadOnlyRecursive remounts each mount, without being told", async () => {
    const traceFile = join(temp, "trace.jsonl");
    const result = await runScript(join(import.meta.dirname, "scripts", "old-kernel.ts"), [temp, traceFile]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ types: ["directory", "directory"], write: "EROFS" });
    expect(statSync(join(temp, "root/a/b/c")).isDirectory()).toBe(true);
    const trace: TraceRecord[] = readFileSync(traceFile, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    // openat2 is tried once; after ENOSYS the process remembers and walks with openat.
    expect(trace.filter((r) => r.call === "openat2").map((r) => r.error)).toEqual(["ENOSYS"]);
    expect(trace.filter((r) => r.call === "openat").length).toBeGreaterThan(4);
    expect(trace.filter((r) => r.call === "mount_setattr").map((r) => r.error)).toEqual(["ENOSYS"]);
    expect(trace.filter((r) => r.call === "mount").map((r) => r.args.slice(1, 4))).toEqual([
      [join(temp, "ro"), null, "MS_RDONLY|MS_REMOUNT|MS_BIND|MS_RELATIME"],
      [join(temp, "ro/sub"), null, "MS_RDONLY|MS_REMOUNT|MS_BIND|MS_RELATIME"],
    ]);
  });
});

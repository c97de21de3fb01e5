import { closeSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fstat, O_RDONLY, openInRoot, SyscallError, type OpenInRootOptions } from "#native";
import { runScript } from "../helpers/node-script.js";
import { requireRoot } from "../helpers/requirements.js";

// Resolution changes nothing but files in the test's temp dir, so it runs in this process;
// the mount through an fd runs in a child in a mount namespace of its own.

let temp: string;
let root: string;
let victim: string;
let victimBefore: string;

/** Every path and file content under a directory, to show it was not touched. */
function snapshot(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return `${path}:${entry.isFile() ? readFileSync(path, "utf8") : entry.isDirectory() ? "dir" : "other"}`;
    })
    .sort()
    .join("\n");
}

beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), "open-in-root-"));
  victim = join(temp, "victim");
  mkdirSync(victim);
  writeFileSync(join(victim, "secret"), "host secret");
  root = join(temp, "root");
  mkdirSync(join(root, "etc"), { recursive: true });
  writeFileSync(join(root, "etc/passwd"), "image passwd");
  mkdirSync(join(root, "dir"));
  mkdirSync(join(root, "dev"));
  writeFileSync(join(root, "sys"), "");
  // What a hostile image can hold: links that point at the host's victim directory.
  symlinkSync(victim, join(root, "abs"));
  symlinkSync(`${"../".repeat(20)}${victim.slice(1)}`, join(root, "rel"));
  symlinkSync("chain2", join(root, "chain1"));
  symlinkSync("/rel", join(root, "chain2"));
  symlinkSync("loop-b", join(root, "loop-a"));
  symlinkSync("loop-a", join(root, "loop-b"));
  symlinkSync("../..", join(root, "dir/up"));
  symlinkSync(victim, join(root, "dir/abs"));
  symlinkSync("/etc", join(root, "proc"));
  symlinkSync(join(victim, "planted"), join(root, "dangling"));
  victimBefore = snapshot(victim);
});

afterEach(() => {
  expect(snapshot(victim)).toBe(victimBefore);
  rmSync(temp, { recursive: true, force: true });
});

function failure(run: () => unknown): SyscallError {
  try {
    run();
  } catch (error) {
    if (error instanceof SyscallError) return error;
    throw error;
  }
  throw new Error("expected a SyscallError");
}

function readInRoot(path: string, options: OpenInRootOptions): string {
  const fd = openInRoot(root, path, { ...options, flags: O_RDONLY });
  try {
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

describe.each(["openat2", "walk"] as const)("openInRoot, resolving via %s", (via) => {
  it("keeps absolute, relative and chained symlinks inside the root: the victim's file is never reached", () => {
    for (const link of ["abs", "rel", "chain1"]) {
      expect(failure(() => openInRoot(root, `${link}/secret`, { via })).code).toBe("ENOENT");
    }
    // The same path inside the root is where every one of them leads.
    mkdirSync(join(root, victim), { recursive: true });
    writeFileSync(join(root, victim, "secret"), "decoy inside the root");
    for (const link of ["abs", "rel", "chain1", "/abs", "dir/abs", "dir/up/rel"]) {
      expect(readInRoot(`${link}/secret`, { via })).toBe("decoy inside the root");
    }
  });

  it('stops ".." at the root', () => {
    expect(readInRoot("dir/up/../../../etc/passwd", { via })).toBe("image passwd");
    const fd = openInRoot(root, "../../..", { via });
    try {
      expect(fstat(fd).ino).toBe(BigInt(statSync(root).ino));
    } finally {
      closeSync(fd);
    }
  });

  it("refuses a symlink loop with ELOOP", () => {
    expect(failure(() => openInRoot(root, "loop-a/file", { via })).code).toBe("ELOOP");
  });

  it("creates missing directories and the final file or directory inside the root, through the image's symlinks", () => {
    mkdirSync(join(root, victim), { recursive: true });
    closeSync(openInRoot(root, "abs/new/deeper/file.txt", { via, mkdirs: true, create: "file" }));
    expect(statSync(join(root, victim, "new/deeper/file.txt")).isFile()).toBe(true);
    const fd = openInRoot(root, "rel/made", { via, mkdirs: true, create: "directory" });
    try {
      expect(fstat(fd).type).toBe("directory");
    } finally {
      closeSync(fd);
    }
    expect(statSync(join(root, victim, "made")).isDirectory()).toBe(true);
    // Opening what exists creates nothing and changes nothing.
    closeSync(openInRoot(root, "etc/passwd", { via, create: "file" }));
    expect(readFileSync(join(root, "etc/passwd"), "utf8")).toBe("image passwd");
  });

  it("never creates through a dangling symlink, inside the root or out", () => {
    expect(failure(() => openInRoot(root, "dangling", { via, create: "file" })).code).toBe("ENOENT");
    expect(existsSync(join(root, victim, "planted"))).toBe(false);
  });

  it("without mkdirs or create, a missing path is ENOENT with a hint", () => {
    const error = failure(() => openInRoot(root, "no/such/file", { via }));
    expect(error.code).toBe("ENOENT");
    expect(error.hint).toMatch(/pass mkdirs or create/);
    expect(existsSync(join(root, "no"))).toBe(false);
  });

  it("refuses a final component of another type than expected, a symlink to a directory included", () => {
    const symlink = failure(() => openInRoot(root, "/proc", { via, expect: "directory" }));
    expect(symlink).toMatchObject({ call: "openInRoot", args: [root, "/proc"], code: "ENOTDIR" });
    expect(symlink.message).toBe(`openInRoot("${root}", "/proc") failed: ENOTDIR (a symbolic link, where a directory must be) — ${symlink.hint}`);
    expect(symlink.hint).toMatch(/refusing rather than following it/);
    expect(failure(() => openInRoot(root, "sys", { via, expect: "directory" })).description).toBe("a regular file, where a directory must be");
    expect(failure(() => openInRoot(root, "etc", { via, expect: "file" })).code).toBe("EISDIR");
    for (const [path, options] of [["dev", {}], ["new-proc", { create: "directory" }]] as const) {
      const fd = openInRoot(root, path, { via, expect: "directory", ...options });
      expect(fstat(fd).type).toBe("directory");
      closeSync(fd);
    }
  });
});

describe("openInRoot and fdPath as a mount target", () => {
  it("mounts on the directory that was checked, even when its path is swapped for a symlink to the host before the mount", async (ctx) => {
    requireRoot(ctx);
    const result = await runScript(join(import.meta.dirname, "scripts", "mount-in-root.ts"), [root, victim]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ mountedAt: [join(root, "checked")], victim: ["secret"] });
    expect(readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(root);
  });
});

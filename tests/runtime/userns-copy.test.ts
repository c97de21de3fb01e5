// The copy --userns falls back to where a file system cannot be idmapped: every owner moves into
// the container's range, setuid and setgid bits survive the chown that clears them, symlinks are
// changed themselves (never what they point to), and ids past the range are left alone.
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyOwnedBy } from "../../app/runtime/userns.js";
import { requireRoot } from "../helpers/requirements.js";

let work: string;
beforeEach((ctx) => {
  requireRoot(ctx);
  work = mkdtempSync(join(tmpdir(), "userns-copy-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const range = { start: 2_000_000_000, size: 65536 };

describe("copyOwnedBy", () => {
  it("moves every owner into the range and keeps modes, setuid bits included", () => {
    const image = join(work, "image");
    mkdirSync(join(image, "bin"), { recursive: true });
    writeFileSync(join(image, "bin", "su"), "");
    chmodSync(join(image, "bin", "su"), 0o4755);
    writeFileSync(join(image, "bin", "mail"), "");
    chownSync(join(image, "bin", "mail"), 8, 12);
    chmodSync(join(image, "bin", "mail"), 0o2711);
    symlinkSync("/etc/shadow", join(image, "bin", "link"));
    writeFileSync(join(image, "far"), "");
    chownSync(join(image, "far"), 70000, 70000);
    writeFileSync(join(image, "half"), "");
    chownSync(join(image, "half"), 0, 70000);
    const target = join(work, "copy");
    copyOwnedBy(image, target, range);
    const at = (path: string) => lstatSync(join(target, path));
    expect([at(".").uid, at("bin").gid]).toEqual([range.start, range.start]);
    expect([at("bin/su").uid, at("bin/su").mode & 0o7777]).toEqual([range.start, 0o4755]);
    expect([at("bin/mail").uid, at("bin/mail").gid, at("bin/mail").mode & 0o7777]).toEqual([range.start + 8, range.start + 12, 0o2711]);
    expect([at("bin/link").uid, at("bin/link").isSymbolicLink()]).toEqual([range.start, true]);
    expect(at("far").uid).toBe(70000);
    // Each id on its own: the owner in range moves, the group past it stays.
    expect([at("half").uid, at("half").gid]).toEqual([range.start, 70000]);
    // The image itself is as it was, and so is what the link names.
    expect(statSync(join(image, "bin", "su")).uid).toBe(0);
    expect(statSync("/etc/shadow").uid).toBe(0);
  });
});

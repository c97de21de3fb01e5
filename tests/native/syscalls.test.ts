import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloneFlags, CLONE_NEWNET, CLONE_NEWPID, CLONE_NEWUTS, errnoName, mountFlags, MS_BIND, MS_PRIVATE, MS_REC, SyscallError } from "#native";
import { runScript } from "../helpers/node-script.js";
import { requireRoot } from "../helpers/requirements.js";

const script = (name: string) => join(import.meta.dirname, "scripts", `${name}.ts`);

let temp: string;
beforeEach((ctx) => {
  requireRoot(ctx);
  temp = mkdtempSync(join(tmpdir(), "native-test-"));
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

describe("the syscall layer, on the real kernel", () => {
  it("sets a hostname inside a new UTS namespace and leaves the machine's alone", async () => {
    const before = hostname();
    const result = await runScript(script("hostname"));
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ before, inside: "inside-uts" });
    expect(hostname()).toBe(before);
  });

  it("mounts a tmpfs in a new mount namespace that nobody outside can see", async () => {
    const dir = join(temp, "mnt");
    mkdirSync(dir);
    const result = await runScript(script("tmpfs"), [dir]);
    expect(JSON.parse(result.stdout)).toEqual({ mounted: true, sawFile: true });
    expect(readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(` ${dir} `);
    expect(existsSync(join(dir, "inside"))).toBe(false);
  });

  it("attaches detached copies of a directory by path and by fd, idmapped through a user namespace, in a mount namespace nobody outside sees", async () => {
    const [source, byPath, byFd] = ["source", "by-path", "by-fd"].map((name) => join(temp, name)) as [string, string, string];
    for (const dir of [source, byPath, byFd]) mkdirSync(dir);
    writeFileSync(join(source, "file"), "");
    const result = await runScript(script("mount-trees"), [source, byPath, byFd]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ byPath: ["file"], byFd: ["file"], owners: ["0:0", "0:0", "100000:100000"], idmapped: 1 });
    expect(readdirSync(byPath)).toEqual([]);
    expect(readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(temp);
  });

  it("names the call, its arguments and the errno in a SyscallError, with a hint for learners", async () => {
    // The machine's own root is one filesystem; temp may be another: use a directory on "/" itself.
    const onRootFs = mkdtempSync("/var/tmp/native-test-");
    const onTmpfs = join(temp, "tmpfs");
    mkdirSync(onTmpfs);
    const result = await runScript(script("errors"), [onRootFs, onTmpfs]).finally(() => rmSync(onRootFs, { recursive: true }));
    expect(result.stderr).toBe("");
    const { ebusy, einval, eperm } = JSON.parse(result.stdout);
    expect(ebusy).toMatchObject({ call: "pivot_root", args: [onRootFs, `${onRootFs}/old`], code: "EBUSY", errno: 16 });
    expect(ebusy.message).toBe(`pivot_root("${onRootFs}", "${onRootFs}/old") failed: EBUSY (Device or resource busy) — ${ebusy.hint}`);
    expect(ebusy.hint).toMatch(/bind-mount it onto itself first/);
    const newRoot = `${onTmpfs}/new-root`;
    expect(einval).toMatchObject({ call: "pivot_root", args: [newRoot, `${newRoot}/old`], code: "EINVAL", errno: 22 });
    expect(einval.hint).toMatch(/^the new root must be a mount point/);
    expect(eperm).toMatchObject({ call: "sethostname", code: "EPERM", errno: 1 });
    expect(eperm.hint).toMatch(/needs root/);
  });

  it("execve keeps stdin, stdout and stderr (Node opens them close-on-exec)", async () => {
    const result = await runScript(script("execve"), [], { input: "hello\n" });
    expect(result.stdout).toBe("got:hello\n");
    expect(result.stderr).toBe("to-stderr\n");
    expect(result.status).toBe(0);
  });

  it("records every call as a JSON line, failures with their errno, until tracing is switched off", async () => {
    const file = join(temp, "trace.jsonl");
    const result = await runScript(script("trace"), [file]);
    expect(result.stderr).toBe("");
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.call, l.args, l.result ?? l.error])).toEqual([
      ["unshare", ["CLONE_NEWNS|CLONE_NEWUTS"], 0],
      ["sethostname", ["traced"], 0],
      ["chdir", ["/does/not/exist"], "ENOENT"],
    ]);
    for (const line of lines) {
      expect(line.pid).toBe(result.pid);
      expect(typeof line.time).toBe("number");
      expect(typeof line.ms).toBe("number");
    }
  });

  it("switches tracing on from the WORKSHOP_TRACE environment variable, for the process and what it execs", async () => {
    const file = join(temp, "env-trace.jsonl");
    const result = await runScript(script("execve"), [], { input: "x\n", env: { WORKSHOP_TRACE: file } });
    expect(result.stdout).toBe("got:x\n");
    const calls = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l).call);
    expect(calls).toContain("execve");
  });
});

describe("flags and errors as a person reads them", () => {
  it("decodes flag words to names", () => {
    expect(cloneFlags(CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNET)).toBe("CLONE_NEWUTS|CLONE_NEWPID|CLONE_NEWNET");
    expect(mountFlags(MS_BIND | MS_REC)).toBe("MS_BIND|MS_REC");
    expect(mountFlags(MS_PRIVATE | 0x80000000)).toBe("MS_PRIVATE|0x80000000");
    expect(errnoName(16)).toBe("EBUSY");
  });

  it("builds its message from the call, the arguments and the errno", () => {
    const error = new SyscallError("umount2", ["/mnt", 0], 16, "Device or resource busy");
    expect(error.message).toBe('umount2("/mnt", 0) failed: EBUSY (Device or resource busy) — still in use: a process has its cwd or an open file there, or something is mounted below it (MNT_DETACH detaches lazily)');
  });
});

// Implementations with one mistake each (copies of solutions/): the check meant for the mistake
// catches it, says what it saw and what it expected, and the others are not fooled.
import { describe, expect, it } from "vitest";
import { allWaitingFor, described, inProgress, mutant, mutantsWorkspace, partial } from "./support.js";

const { impls, failures } = mutantsWorkspace("mutants");

describe.concurrent("a mistake is caught by the check meant for it", () => {
  it("no CLONE_NEWUTS: the hostname check fails, quoting container's own diagnosis", async () => {
    const impl = mutant(impls, "namespaces.ts", [["CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS", "CLONE_NEWPID | CLONE_NEWNS"]]);
    const failed = await failures("2", impl);
    expect(Object.keys(failed).sort()).toEqual(["2.hostname-default", "2.hostname-inside"]);
    expect(failed["2.hostname-inside"]).toMatchObject({
      status: "fail",
      message:
        'the hostname inside was "workshop-host" (the host\'s); expected "check-host-1": container says the init process shares the host\'s UTS namespace: is CLONE_NEWUTS in namespaceFlags()? (docs/02-namespaces.md, Task 1)',
    });
  });

  it("no CLONE_NEWPID: the command is not PID 1, and sees the host's processes", async () => {
    const impl = mutant(impls, "namespaces.ts", [["CLONE_NEWPID | CLONE_NEWUTS", "CLONE_NEWUTS"]]);
    const failed = await failures("2", impl);
    expect(Object.keys(failed).sort()).toEqual(["2.host-processes-hidden", "2.pid-one"]);
    expect(failed["2.pid-one"]!.message).toMatch(/^the command's PID was \d+; expected 1: the init process is not the first of a new PID namespace \(CLONE_NEWPID, docs\/02-namespaces.md, Task 1\)$/);
  });

  it("/proc not mounted: the /proc check says ps saw nothing", async () => {
    const impl = mutant(impls, "rootfs.ts", [['  inRoot(rootfs, "/proc", { create: "directory", lastLink: "refuse" }, (target) => mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC));\n', ""]]);
    const failed = await failures("3", impl);
    expect(Object.keys(failed)).toEqual(["3.proc"]);
    expect(failed["3.proc"]!.message).toBe("ps inside listed no processes: /proc is empty, so proc was not mounted on the image's /proc (docs/03-rootfs.md, Task 2)");
  });

  it("propagation not made private (no MS_REC): container refuses to mount, and the checks say why", async () => {
    const impl = mutant(impls, "rootfs.ts", [['mount(null, "/", null, MS_REC | MS_PRIVATE);', 'mount(null, "/", null, MS_PRIVATE);']]);
    const failed = await failures("3", impl);
    expect(failed["3.no-propagation"]!.message).toMatch(
      /^container refused to start it: "after makeMountsPrivate\(\), \d+ mount\(s\) below \/ still propagate to the host: refusing to mount anything" \(docs\/03-rootfs.md, Task 1\)$/,
    );
  });

  it("the process never moved into its cgroup: the in-cgroup check fails, and the limits do not hold", async () => {
    const impl = mutant(impls, "cgroups.ts", [['  for (const dir of uniqueDirs(cgroup)) writeFileSync(join(dir, "cgroup.procs"), String(pid));', "  void cgroup, pid;"]]);
    const failed = await failures("4", impl);
    expect(Object.keys(failed).sort()).toEqual(["4.in-cgroup", "4.memory-enforced", "4.other-version", "4.pids-enforced"]);
    expect(failed["4.in-cgroup"]!.message).toMatch(
      /^the container's process \d+ is not in \/sys\/fs\/cgroup\/.*\(its \/proc\/self\/cgroup says ".*\/sandbox"\): its limits do not apply to it; move it in with cgroup.procs \(docs\/04-cgroups.md, Task 2\)$/,
    );
  });

  it("a cgroup never removed: the cgroup-removed check fails, and only it", async () => {
    const impl = mutant(impls, "cgroups.ts", [["    killAll(dir);\n    rmdirWhenEmpty(dir);\n", "    void dir;\n"]]);
    const failed = await failures("4", impl);
    expect(Object.keys(failed)).toEqual(["4.cgroup-removed"]);
    expect(failed["4.cgroup-removed"]!.message).toMatch(
      /^cgroup \/sys\/fs\/cgroup\/\S+\/[0-9a-f]{12}(, cgroup \S+ and 1 more)? stayed after the container exited \(the workshop removed (it|them)\): removeCgroup\(\) must kill what is left in it and rmdir it \(docs\/04-cgroups.md, Task 3\)$/,
    );
  });

  it("a volume also mounted on the host's side stays there: the nothing-left-mounted check fails", async () => {
    const impl = mutant(impls, "volumes.ts", [
      ['import { statSync } from "node:fs";', 'import { execFileSync } from "node:child_process";\nimport { readFileSync, statSync } from "node:fs";\nimport { join } from "node:path";'],
      [
        "    inRoot(rootfs, volume.target, { create: kind }, (target) => mount(volume.source, target, null, MS_BIND | MS_REC));\n",
        [
          "    inRoot(rootfs, volume.target, { create: kind }, (target) => mount(volume.source, target, null, MS_BIND | MS_REC));",
          "    // Mistake: mounted from the runtime's side as well, in the host's mount namespace, where it stays.",
          '    const runtime = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ")[1]!;',
          '    execFileSync("nsenter", ["--target", runtime, "--mount", "mount", "--bind", volume.source, join(rootfs, volume.target)]);',
          "",
        ].join("\n"),
      ],
    ]);
    const failed = await failures("5", impl);
    expect(Object.keys(failed)).toEqual(["5.nothing-left-mounted"]);
    expect(failed["5.nothing-left-mounted"]!.message).toMatch(
      /^after the container exited, the host still had a mount on \/\S+\/rw, a mount on \/\S+\/ro and 1 more \(the workshop removed it\): mount volumes only in the container's own mount namespace \(docs\/05-volumes.md, Task 1\)$/,
    );
  });

  it("lo left down: the lo check fails", async () => {
    const impl = mutant(impls, "network.ts", [['const commands = ["link set lo up"];', "const commands: string[] = [];"]]);
    const failed = await failures("6", impl);
    expect(Object.keys(failed)).toEqual(["6.lo-up"]);
    expect(failed["6.lo-up"]!.message).toBe(
      "lo is down inside the container (flags <LOOPBACK>), so 127.0.0.1 does not answer; expected it up: a new network namespace starts with lo down (docs/06-network.md, Task 3)",
    );
  });

  it("stdio not wired to the init process: the stdout check says the output never arrived", async () => {
    const impl = mutant(impls, "process.ts", [['stdio: ["inherit", "inherit", "inherit", "pipe"]', 'stdio: ["ignore", "ignore", "ignore", "pipe"]']]);
    const failed = await failures("1", impl);
    expect(Object.keys(failed).sort()).toEqual(["1.stdin", "1.stdout"]);
    expect(failed["1.stdout"]!.message).toBe(
      'the command ran (it exited with 42) but printed nothing on container\'s stdout; expected "got: typed into stdin": the init process must share our stdin, stdout and stderr (stdio "inherit" in spawnInit(), docs/01-process.md, Task 1)',
    );
  });

  it("spawnInNamespaces never returns to the runtime's namespaces: every step 2 check says so, naming the fix", async () => {
    const impl = mutant(impls, "namespaces.ts", [["      for (const { fd, flag } of saved) setns(fd, flag);\n", ""]]);
    const failed = await failures("2", impl);
    expect(Object.keys(failed).sort()).toEqual(["2.host-hostname-unchanged", "2.host-processes-hidden", "2.hostname-default", "2.hostname-inside", "2.pid-one"]);
    for (const result of Object.values(failed)) {
      expect(result.message).toBe(
        "container exited with 125: container: spawnInNamespaces() left container run in the new namespaces (uts, ipc, net, mnt, pid_for_children), where it would set up the host side (expected 0)",
      );
    }
  });

  it("spawnInNamespaces forgets the working directory: every step 2 check says where it was left", async () => {
    const impl = mutant(impls, "namespaces.ts", [["      if (flags & CLONE_NEWNS) process.chdir(cwd);\n", ""]]);
    const failed = await failures("2", impl);
    expect(Object.keys(failed)).toHaveLength(5);
    for (const result of Object.values(failed)) expect(result.message).toMatch(/^container exited with 125: container: spawnInNamespaces\(\) left container run in \/ instead of \/\S+ \(expected 0\)$/);
  });

  it("chroot without chdir(\"/\"): the runtime refuses to start the command, and step 3 says why", async () => {
    const impl = mutant(impls, "rootfs.ts", [["  chroot(rootfs);\n  // chroot leaves the working directory outside the new root: without this, \"..\" walks back to the host.\n  chdir(\"/\");\n", "  chroot(rootfs);\n"]]);
    const failed = await failures("3", impl);
    expect(Object.keys(failed).length).toBeGreaterThan(0);
    for (const result of Object.values(failed)) expect(result.message).toContain('changeRoot() left the working directory outside the new root, where ".." leads back to the host: refusing to start the command');
  });

  it("a failing ip command: the network checks quote ip's own words", async () => {
    const impl = mutant(impls, "network.ts", [["`addr add ${net.address} dev ${net.containerVeth}`", "`addr add ${net.address} dev eth9`"]]);
    const failed = await failures("6", impl);
    expect(Object.keys(failed).length).toBeGreaterThan(0);
    expect(Object.values(failed).map((r) => r.message).join("\n")).toContain('configureContainerNetwork() failed: `ip -batch -` failed: Cannot find device "eth9"');
  });

  it("a mistake in the cgroup version this machine does not run (v2 here): only the fake-tree check fails, saying so", async () => {
    const impl = mutant(impls, "cgroups.ts", [["`${Math.round(limits.cpus * CPU_PERIOD_US)} ${CPU_PERIOD_US}`", "String(limits.cpus)"]]);
    const failed = await failures("4", impl);
    expect(Object.keys(failed)).toEqual(["4.other-version"]);
    expect(failed["4.other-version"]!.message).toBe(
      'cpu.max is "0.5", which is no limit; expected 0.5 (--cpus 0.5), on a fake cgroup v2 tree (this machine runs v1, so that code never ran for real) (docs/04-cgroups.md, Task 1)',
    );
  });

  describe("the privileges bonus step", () => {
    it("written whole, passes; back to TODOs, every check is not started and names the first", async () => {
      expect(await failures("privileges", mutant(impls, "privileges.ts", []))).toEqual({});
      const failed = await failures("privileges", inProgress(impls, "privileges"));
      expect(Object.keys(failed)).toHaveLength(6);
      // Each check names the first function of its own still a TODO.
      expect(described(failed)).toEqual([
        "privileges.capabilities: not-started: the privileges bonus step is not done yet: dropCapabilities() is still a TODO",
        "privileges.chroot-escape: not-started: the privileges bonus step is not done yet: dropCapabilities() is still a TODO",
        "privileges.read-only-holds: not-started: the privileges bonus step is not done yet: dropCapabilities() is still a TODO",
        "privileges.no-new-privileges: not-started: the privileges bonus step is not done yet: forbidNewPrivileges() is still a TODO",
        "privileges.seccomp: not-started: the privileges bonus step is not done yet: installSeccompFilter() is still a TODO",
        "privileges.pivot-capabilities: not-started: the privileges bonus step is not done yet: dropCapabilities() is still a TODO",
      ]);
    });

    it("capabilities kept: root can chroot, and the checks say what it holds (the filter alone still refuses mount)", async () => {
      const impl = mutant(impls, "privileges.ts", [["  keepOnlyCapabilities(keep);", "  void keep, keepOnlyCapabilities;"]]);
      const failed = await failures("privileges", impl);
      expect(Object.keys(failed).sort()).toEqual(["privileges.capabilities", "privileges.chroot-escape", "privileges.pivot-capabilities"]);
      expect(failed["privileges.capabilities"]!.message).toMatch(
        /^inside, \/proc\/self\/status says CapEff 000001ff\w+, CapPrm 000001ff\w+, CapBnd 000001ff\w+; expected 00000000a80025fb in CapEff, CapPrm and CapBnd \(Docker's set without CAP_SYS_CHROOT\) and nothing inheritable or ambient \(docs\/bonus-privileges.md, Task 1\)$/,
      );
    });

    it("neither capabilities nor the filter: mount and a read-write remount of a :ro volume work inside, and the checks say so", async () => {
      const impl = mutant(impls, "privileges.ts", [
        ["  keepOnlyCapabilities(keep);", "  void keep, keepOnlyCapabilities;"],
        ["  loadSeccompFilter(buildSeccompFilter({ rules: SECCOMP_RULES }));", "  void loadSeccompFilter, buildSeccompFilter;"],
      ]);
      const failed = await failures("privileges", impl);
      expect(failed["privileges.read-only-holds"]!.message).toBe(
        "inside the container mount -t tmpfs worked, and mount -o remount,rw of the :ro volume worked, and a file was written to the :ro volume: root there still has CAP_SYS_ADMIN (docs/bonus-privileges.md, Task 1)",
      );
    });

    it("no_new_privs not set: the filter cannot even be loaded without CAP_SYS_ADMIN, and the run says why", async () => {
      const impl = mutant(impls, "privileges.ts", [["  setNoNewPrivs();", "  void setNoNewPrivs;"]]);
      const failed = await failures("privileges", impl);
      expect(Object.keys(failed)).toContain("privileges.no-new-privileges");
      expect(failed["privileges.no-new-privileges"]!.message).toMatch(/^container exited with 125: container: installSeccompFilter\(\) failed: seccomp\(.*\) failed: EACCES/);
    });

    it("a filter that refuses nothing: only the seccomp check fails", async () => {
      const impl = mutant(impls, "privileges.ts", [["buildSeccompFilter({ rules: SECCOMP_RULES })", "buildSeccompFilter({ rules: [] })"]]);
      const failed = await failures("privileges", impl);
      expect(Object.keys(failed)).toEqual(["privileges.seccomp"]);
      expect(failed["privileges.seccomp"]!.message).toBe(
        "unshare -U worked inside: the filter lets a container make a user namespace, where it has every capability again; refuse unshare and clone with CLONE_NEW* flags (docs/bonus-privileges.md, Task 3)",
      );
    });
  });
  describe("the userns bonus step", () => {
    it("written whole, passes; back to TODOs, every check is not started and names the first", async () => {
      expect(await failures("userns", mutant(impls, "userns.ts", []))).toEqual({});
      const failed = await failures("userns", inProgress(impls, "userns"));
      expect(described(failed)).toEqual(allWaitingFor("userns", "writeIdMaps"));
    });

    it("all but the last function written: every check is not started, naming it", async () => {
      const failed = await failures("userns", partial(impls, "userns.ts", "unshareOwnedNamespaces"));
      expect(new Set(Object.values(failed).map((r) => `${r.status}: ${r.message}`))).toEqual(
        new Set(["not-started: the userns bonus step is not done yet: unshareOwnedNamespaces() is still a TODO"]),
      );
      expect(Object.keys(failed)).toHaveLength(7);
    });

    it("root mapped to the host's root: the container's root is root on the host, and every container the same one", async () => {
      const impl = mutant(impls, "userns.ts", [["const line = `0 ${range.start} ${range.size}\\n`;", "const line = `0 0 ${range.size}\\n`;"]]);
      const failed = await failures("userns", impl);
      expect(Object.keys(failed).sort()).toEqual(["userns.escape-cannot-write", "userns.ranges-apart", "userns.unprivileged-on-host"]);
      expect(failed["userns.unprivileged-on-host"]!.message).toBe(
        'inside, /proc/self/uid_map says "0 0 65536": uid 0 in the container is root on the host; write "0 START SIZE" with the range\'s start and size (docs/bonus-userns.md, Task 1)',
      );
      expect(failed["userns.escape-cannot-write"]!.message).toMatch(/^from inside, the chroot escape (wrote over|made a new file in) a directory of root's on the host/);
    });

    it("the root filesystem not idmapped: the image's files are nobody's inside, and not root's to write", async () => {
      const impl = mutant(impls, "userns.ts", [["  mountSetattr(tree, { set: MOUNT_ATTR_IDMAP, usernsFd }, AT_RECURSIVE);\n", "  void mountSetattr, usernsFd;\n"]]);
      const failed = await failures("userns", impl);
      // Seen as nobody's, or, where a mount point is still to make in the shared image, not even writable.
      expect(failed["userns.image-owned-by-root"]!.message).toMatch(
        /^inside, \/bin\/busybox is owned by 65534:65534; expected 0:0: the root filesystem is not idmapped through the container's user namespace \(MOUNT_ATTR_IDMAP, docs\/bonus-userns.md, Task 2\)$|^container exited with 125: container: .*EACCES \(Permission denied\)/,
      );
    });

    it("no namespaces made inside the user namespace: the run stops, and says which function makes them", async () => {
      const impl = mutant(impls, "userns.ts", [["  unshare(flags);", "  void unshare, flags;"]]);
      const failed = await failures("userns", impl);
      // Root in the container owns none of them: the run cannot even mount its /proc, and says why first.
      expect(Object.keys(failed)).toContain("userns.owned-namespaces");
      expect(failed["userns.owned-namespaces"]!.message).toBe(
        "container exited with 125: container: the init process shares the host's UTS namespace (did unshareOwnedNamespaces() make it, inside the user namespace?): not setting the hostname (expected 0)",
      );
    });
  });
});

// Which cgroup hierarchies the runtime believes in, from the mount table alone: one that was
// mounted over since (an empty tmpfs on /sys/fs/cgroup, a new sysfs on /sys) is not used, or the
// runtime would "create cgroups" in a plain directory and silently enforce nothing.
import { describe, expect, it } from "vitest";
import { findCgroupRoot } from "../../app/runtime/cgroup-root.js";

const HYBRID = [
  "22 1 0:21 / /sys rw,nosuid - sysfs sysfs rw",
  "25 22 0:24 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755",
  "32 25 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct",
  "35 25 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
  "39 25 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids",
];
const V1 = { version: 1, controllers: { memory: "/sys/fs/cgroup/memory", cpu: "/sys/fs/cgroup/cpu,cpuacct", pids: "/sys/fs/cgroup/pids" }, parent: "p" };

describe("finding the cgroup hierarchies", () => {
  it("uses the v1 hierarchies of a hybrid machine", () => {
    expect(findCgroupRoot("p", HYBRID.join("\n"))).toEqual(V1);
  });

  it("does not use hierarchies hidden under an empty tmpfs mounted on /sys/fs/cgroup", () => {
    expect(findCgroupRoot("p", [...HYBRID, "60 22 0:50 / /sys/fs/cgroup rw - tmpfs no-cgroups rw"].join("\n"))).toBeUndefined();
  });

  it("uses the copies bound back after /sys was mounted over, as the host sandbox does", () => {
    const sandbox = [
      ...HYBRID,
      "70 1 0:60 / /sys rw - sysfs sysfs rw",
      "71 70 0:24 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755",
      "72 71 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct",
      "73 71 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
      "74 71 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids",
    ];
    expect(findCgroupRoot("p", sandbox.join("\n"))).toEqual(V1);
  });

  it("is not put off by a later mount on / or on a directory beside the hierarchies", () => {
    const more = [...HYBRID, "80 1 0:70 / / rw - overlay overlay rw", "81 25 0:71 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw"];
    expect(findCgroupRoot("p", more.join("\n"))).toEqual(V1);
  });
});

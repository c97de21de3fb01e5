// Loads the container filter, then reports what is refused and what still works. The mount
// namespace is made first: were the filter to let mount through, it would stay in here.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import {
  buildSeccompFilter,
  CLONE_FS,
  CLONE_NEWNS,
  CLONE_NEWUSER,
  DOCKER_DEFAULT_CAPABILITIES,
  keepOnlyCapabilities,
  loadSeccompFilter,
  mount,
  MOUNT_ATTR_RDONLY,
  mountSetattr,
  MS_PRIVATE,
  MS_REC,
  setNoNewPrivs,
  SyscallError,
  unshare,
} from "#native";
// The reference runtime's rules: what the privileges bonus step has learners refuse.
import { SECCOMP_RULES } from "../../../solutions/privileges.js";

function attempt(run: () => void): string {
  try {
    run();
    return "allowed";
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    return error.code;
  }
}

const [dir, how] = process.argv.slice(2) as [string, "as-root" | "after-dropping"];
unshare(CLONE_NEWNS);
mount(null, "/", null, MS_REC | MS_PRIVATE);
const filter = buildSeccompFilter({ rules: SECCOMP_RULES });
const report: Record<string, unknown> = {};
if (how === "after-dropping") {
  keepOnlyCapabilities(DOCKER_DEFAULT_CAPABILITIES);
  report.withoutNoNewPrivs = attempt(() => loadSeccompFilter(filter));
  setNoNewPrivs();
}
loadSeccompFilter(filter);

mkdirSync(join(dir, "mnt"));
report.mount = attempt(() => mount("tmpfs", join(dir, "mnt"), "tmpfs", 0, "size=1m"));
report.mountSetattr = attempt(() => mountSetattr(dir, { set: MOUNT_ATTR_RDONLY }));
report.unshareMountNs = attempt(() => unshare(CLONE_NEWNS));
report.unshareUserNs = attempt(() => unshare(CLONE_NEWUSER));
report.unshareFs = attempt(() => unshare(CLONE_FS));
const shell = spawnSync("/bin/sh", ["-c", 'echo forked; unshare -m true; echo "unshare exit $?"'], { encoding: "utf8" });
report.shell = { stdout: shell.stdout, stderr: shell.stderr };
writeFileSync(join(dir, "file"), "written");
report.syncRead = readFileSync(join(dir, "file"), "utf8");
report.threadPoolRead = await readFile(join(dir, "file"), "utf8");
report.worker = await new Promise((resolve, reject) => {
  const worker = new Worker("require('node:worker_threads').parentPort.postMessage(6 * 7)", { eval: true });
  worker.once("message", resolve);
  worker.once("error", reject);
});
report.threads = readdirSync("/proc/self/task").map((tid) => /^Seccomp:\s+(\d)/m.exec(readFileSync(`/proc/self/task/${tid}/status`, "utf8"))?.[1]);
process.stdout.write(JSON.stringify(report));

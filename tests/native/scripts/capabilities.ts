// Keeps only the capabilities named (or Docker's default set), sets no_new_privs, reports what this
// process and a program it execs then have, and whether creating a namespace is still allowed.
import { readFileSync, writeSync } from "node:fs";
import {
  capget,
  CLONE_NEWUTS,
  DOCKER_DEFAULT_CAPABILITIES,
  execve,
  getNoNewPrivs,
  keepOnlyCapabilities,
  setNoNewPrivs,
  SyscallError,
  unshare,
  type CapabilityName,
} from "#native";

const [which] = process.argv.slice(2) as [string];
keepOnlyCapabilities(which === "docker" ? DOCKER_DEFAULT_CAPABILITIES : (which.split(",") as CapabilityName[]));
const nnpBefore = getNoNewPrivs();
setNoNewPrivs();
let unshareUts: string;
try {
  unshare(CLONE_NEWUTS);
  unshareUts = "allowed";
} catch (error) {
  if (!(error instanceof SyscallError)) throw error;
  unshareUts = error.code;
}
const status = readFileSync("/proc/self/status", "utf8")
  .split("\n")
  .filter((line) => /^(Cap|NoNewPrivs)/.test(line))
  .join("\n");
const { effective, permitted, inheritable } = capget();
const report = { status, capget: [effective, permitted, inheritable].map((set) => set.toString(16)), nnpBefore, nnpAfter: getNoNewPrivs(), unshareUts };
writeSync(1, `${JSON.stringify(report)}\n`);
execve("/bin/sh", ["/bin/sh", "-c", "grep -E '^(Cap|NoNewPrivs)' /proc/self/status"], []);

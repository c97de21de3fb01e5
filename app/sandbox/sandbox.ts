/**
 * A throwaway stand-in for the host: runs a command in its own mount, UTS and network namespaces.
 * Inside, it looks like a systemd host: "/" is shared, so a container that forgets to make its
 * mounts private changes the sandbox visibly (and never the real machine). Tests and checks run
 * `container` in one, so nothing a container (or a learner's mistake) does reaches the machine.
 */
const ENTER = `set -eu
hostname "$SANDBOX_HOSTNAME"
# /sys shows the network devices of the namespace that mounted it: remount it for ours, and
# carry the cgroup hierarchies over, which a new sysfs does not have. They are reached through
# an fd opened before, so nothing is created on the machine's disk (a killed sandbox leaves nothing).
exec 3</sys/fs/cgroup
mount -t sysfs sysfs /sys
mount --no-canonicalize --rbind /proc/self/fd/3 /sys/fs/cgroup
exec 3<&-
mount --make-rshared /
ip link set lo up
exec "$@"`;

export const SANDBOX_HOSTNAME = "workshop-host";

/** The command line that runs `command` inside a fresh sandbox; pass `env` to the spawn as well. */
export function sandboxed(command: string, args: string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: "unshare",
    args: ["--mount", "--uts", "--net", "--propagation", "private", "sh", "-c", ENTER, "sandbox", command, ...args],
    env: { SANDBOX_HOSTNAME },
  };
}

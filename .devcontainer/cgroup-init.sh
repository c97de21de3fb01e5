#!/bin/sh
# Entry point of the devcontainer: make cgroup v2 controllers usable below the root, then run the command.
set -e
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  mkdir -p /sys/fs/cgroup/init
  # Move every process out of the root (xargs -rn1: one write per pid, as cgroup.procs wants).
  xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init/cgroup.procs 2>/dev/null || true
  sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers > /sys/fs/cgroup/cgroup.subtree_control || true
fi
exec "$@"

// Where root's programs live. ip, iptables and runc are in /usr/sbin, which a root shell opened
// with `su` (without "-") lacks on PATH.

export const SYSTEM_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/** PATH with the system's sbin directories added where it lacks them. */
export function withSystemDirectories(path = ""): string {
  const dirs = path.split(":").filter(Boolean);
  return [...dirs, ...SYSTEM_DIRS.filter((d) => !dirs.includes(d))].join(":");
}

// Execs a shell that shows its ignored signals, then lets `yes` write into a closed pipe and `head`
// write past a file size limit: killed by SIGPIPE and SIGXFSZ if the dispositions were reset first,
// or failing with EPIPE and EFBIG if they are still ignored, as Node leaves them.
import { execve, resetSignalDisposition } from "#native";

const [dir, mode] = process.argv.slice(2) as [string, "reset" | "inherit"];
if (mode === "reset") {
  resetSignalDisposition("SIGPIPE");
  resetSignalDisposition("SIGXFSZ");
}
const script = [
  "grep SigIgn /proc/self/status",
  '(yes; echo "yes exit $?" >&2) | head -1',
  // SIGXFSZ dumps core by default: none wanted, here or in a coredump service.
  `(ulimit -c 0; ulimit -f 1; head -c 4096 /dev/zero > "${dir}/big"; echo "head exit $?" >&2)`,
].join("\n");
execve("/bin/sh", ["/bin/sh", "-c", script], ["PATH=/usr/bin:/bin", "LC_ALL=C"]);

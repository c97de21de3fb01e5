// Replaces this Node process with /bin/sh through the FFI execve; the shell must still have stdio.
import { execve } from "#native";

execve("/bin/sh", ["/bin/sh", "-c", 'read line; echo "got:$line"; echo to-stderr >&2'], ["PATH=/bin:/usr/bin"]);

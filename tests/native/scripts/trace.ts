// Makes a few calls with tracing switched on programmatically, one of them failing.
import { CLONE_NEWNS, CLONE_NEWUTS, chdir, setTrace, sethostname, unshare } from "#native";

setTrace(process.argv[2]!);
unshare(CLONE_NEWUTS | CLONE_NEWNS);
sethostname("traced");
try {
  chdir("/does/not/exist");
} catch {
  // recorded as a failure
}
setTrace(null);
sethostname("not-traced");

// Sets a hostname inside a new UTS namespace and prints what it sees there.
import { CLONE_NEWUTS, gethostname, sethostname, unshare } from "#native";

const before = gethostname();
unshare(CLONE_NEWUTS);
sethostname("inside-uts");
process.stdout.write(JSON.stringify({ before, inside: gethostname() }));

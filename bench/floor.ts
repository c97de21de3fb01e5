// The floor for this design's container start, run twice in a row by the benchmark: a Node
// process that loads the bundled syscall layer (koffi and libc) and makes one call, as both of
// `container run`'s processes must. With `--hold`, it says "ready" and stays, so that its memory
// can be read (the reference for the CLI's own).
import { getpid } from "#native";

getpid();
if (process.argv.includes("--hold")) {
  process.stdout.write("ready\n");
  setInterval(() => undefined, 60_000);
}

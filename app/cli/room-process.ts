// The room's dashboard runs for hours and redraws every second: with V8's defaults its garbage
// alone held it past 100 MB under 200 learners (the young generation grows to 16 MB a half-space,
// the old one is collected late). A small young generation and an old one capped at 64 MB (the
// room's live data is about a tenth of that, 500 learners at most) keep it near 90 MB. Node takes
// these flags only at start: `workshop room` starts itself again with them when it is about to draw.
import { spawn } from "node:child_process";
import { constants } from "node:os";

export const ROOM_NODE_FLAGS = ["--max-semi-space-size=1", "--max-old-space-size=64"];

/** Whether this process already has the room's flags. */
export function hasRoomFlags(): boolean {
  return ROOM_NODE_FLAGS.every((flag) => process.execArgv.includes(flag));
}

/**
 * This same command line again, in a Node with the room's flags, on this terminal; resolves with
 * its exit status. Ctrl-C reaches it from the terminal; TERM and HUP sent to us are passed on.
 */
export function relaunchWithRoomFlags(): Promise<number> {
  const child = spawn(process.execPath, [...ROOM_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
  const ignore = () => {};
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", ignore);
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", forward);
      process.off("SIGHUP", forward);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

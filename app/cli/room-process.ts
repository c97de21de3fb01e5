// The room's dashboard runs for hours and redraws every second: with V8's default young
// generation (up to 16 MB a half-space) its garbage alone held it past 100 MB. A small one
// keeps it near 90 MB for a few tenths of a percent of a core more. Node takes the flag only
// at start: `workshop room` starts itself again with it when it is about to draw.
import { spawn } from "node:child_process";
import { constants } from "node:os";

export const ROOM_NODE_FLAGS = ["--max-semi-space-size=1"];

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

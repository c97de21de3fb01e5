// The `workshop` program, which bin/workshop runs: the CLI, and the app it opens when given no
// command (and the room's dashboard for `workshop room`). The one place that joins the two, so
// that the CLI imports nothing of app/tui; the app is loaded only then, so that `workshop check`
// stays quick.
import { main as cli } from "./cli/workshop.js";

export function main(argv: string[]): Promise<number> {
  return cli(
    argv,
    async (options) => (await import("./tui/index.js")).openApp(options),
    undefined,
    async (options) => (await import("./tui/room-open.js")).openRoomDashboard(options),
  );
}

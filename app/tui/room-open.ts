/**
 * Opens `workshop room`'s dashboard in the terminal until the instructor quits (q) or the room is
 * stopped (a signal). Loaded only by `workshop room` with a terminal.
 */
import type { DashboardOptions } from "../cli/workshop-room.js";

export async function openRoomDashboard({ state, joinCommands, projector, checkTitle, stop }: DashboardOptions): Promise<void> {
  // React's production build, as the app loads it (index.ts): the development one is twice as slow.
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV ??= "production";
  const [{ render }, { roomDashboardElement }, { applyColorPreference }] = await Promise.all([import("ink"), import("./room-dashboard.js"), import("./theme.js")]).finally(() => {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  });
  applyColorPreference();
  const dashboard = render(roomDashboardElement({ state, joinCommands, projector, checkTitle }), { exitOnCtrlC: false });
  const unmount = () => dashboard.unmount();
  stop.addEventListener("abort", unmount, { once: true });
  try {
    await dashboard.waitUntilExit();
  } finally {
    stop.removeEventListener("abort", unmount);
  }
}

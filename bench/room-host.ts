// The instructor's side of `workshop room`, as the room benchmark runs it: the server and the
// state file, and with "dashboard" the dashboard too, in one process (as `workshop room` has
// them), drawn by Ink to a terminal of 120×40 that only counts what is written. Over IPC it says
// the room's URL, and answers each key the benchmark sends with the milliseconds until the next
// frame was written.
import { render } from "ink";
import { Writable } from "node:stream";
import { EventEmitter } from "node:events";
import { join } from "node:path";
import { newRoomCode, RoomServer } from "../app/room/server.js";
import { RoomSaver } from "../app/room/state-file.js";
import { RoomState } from "../app/room/state.js";
import { roomDashboardElement } from "../app/tui/room-dashboard.js";

/** A terminal that keeps nothing: it tells `onFrame` when something is written. */
class Screen extends Writable {
  columns = 120;
  rows = 40;
  isTTY = true;
  onFrame: (() => void) | undefined;

  override _write(_chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.onFrame?.();
    done();
  }
}

/** Keys typed into Ink, as ink-testing-library types them. */
class Keyboard extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  type(key: string): void {
    this.data = key;
    this.emit("readable");
    this.emit("data", key);
  }
  read = (): string | null => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

const [work, mode] = process.argv.slice(2) as [string, "headless" | "dashboard"];
const state = new RoomState();
const code = newRoomCode();
const server = await RoomServer.start({ state, code, port: 0, host: "127.0.0.1" });
const saver = new RoomSaver(join(work, "room.json"), state, { code, port: server.port });
state.subscribe(saver.schedule);
const screen = new Screen();
const keyboard = new Keyboard();
const dashboard =
  mode === "dashboard" &&
  render(roomDashboardElement({ state, joinCommands: server.joinUrls().map((u) => `workshop join ${u} --name YOUR-NAME`), checkTitle: (id) => id }), {
  stdout: screen as unknown as NodeJS.WriteStream,
  stdin: keyboard as unknown as NodeJS.ReadStream,
  exitOnCtrlC: false,
  patchConsole: false,
});

process.on("message", (message: { key?: string; stop?: boolean }) => {
  if (message.stop) {
    if (dashboard) dashboard.unmount();
    void server.stop().then(() => {
      saver.flush();
      process.send!({ stopped: true }, () => process.exit(0));
    });
    return;
  }
  const started = performance.now();
  screen.onFrame = () => {
    screen.onFrame = undefined;
    process.send!({ keyToFrameMs: performance.now() - started });
  };
  keyboard.type(message.key!);
});
process.send!({ url: server.joinUrls()[0] });

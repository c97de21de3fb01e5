/**
 * A learner's link to the room (the `ws` library's client). It keeps what the learner shares (the
 * open step, the latest results of each step, the steps done) and says hello with all of it on
 * each connection, so that a room restarted, or a network that dropped, catches up at once.
 * Messages are sent while connected; in between they only update what the next hello says.
 */
import WebSocket from "ws";
import type { RoomMembership } from "../course/progress.js";
import { parseRoomUrl } from "./membership.js";
import { sanitiseLine, type LearnerMessage, type LearnerSnapshot, type RoomMessage, type StepResults } from "./protocol.js";

export type LinkStatus = "connecting" | "connected" | "offline" | "refused";

export interface RoomLinkOptions {
  /** Reconnect after a drop (the app); a `workshop check` sends once and goes. */
  reconnect?: boolean;
  /** The longest wait between two attempts. */
  maxBackoffMs?: number;
}

export class RoomLink {
  status: LinkStatus = "connecting";
  /** Why the room refused us, when it did. */
  refusal?: string;
  readonly label: string;
  private socket: WebSocket | undefined;
  private readonly results = new Map<string, StepResults>();
  private readonly listeners = new Set<() => void>();
  /** Sent after the next hello: results of other steps than the open one (a `check all`). */
  private readonly pending: LearnerMessage[] = [];
  private attempts = 0;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly endpoint: string;

  constructor(
    private readonly membership: RoomMembership,
    private readonly shared: { step: string; done: string[] },
    private readonly options: RoomLinkOptions = {},
  ) {
    const url = parseRoomUrl(membership.url);
    this.endpoint = url.learner;
    this.label = url.label;
    this.connect();
  }

  /** A step opened, checks run, a step done: shared now if connected, and in every later hello. */
  send(message: LearnerMessage): void {
    if (message.t === "step") this.shared.step = message.step;
    if (message.t === "checks") {
      const { t: _, ...results } = message;
      this.results.set(message.step, results);
    }
    if (message.t === "done" && !this.shared.done.includes(message.step)) this.shared.done.push(message.step);
    if (this.status === "connected") this.socket!.send(JSON.stringify(message));
    else if (message.t !== "step" && this.pending.length < 32) this.pending.push(message);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): LinkStatus => this.status;

  /** Waits until the room has welcomed us (true), or `timeoutMs` passed or it refused (false). */
  connected(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const settle = () => {
        if (this.status === "connected" || this.status === "refused" || (this.status === "offline" && !this.options.reconnect)) {
          clearTimeout(timer);
          stop();
          resolve(this.status === "connected");
        }
      };
      const timer = setTimeout(() => {
        stop();
        resolve(false);
      }, timeoutMs);
      const stop = this.subscribe(settle);
      settle();
    });
  }

  /** Sends what is queued, then closes; resolves once the socket is closed (or `timeoutMs` passed). */
  async close(timeoutMs = 2000): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate();
        resolve();
      }, timeoutMs);
      socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000);
    });
  }

  private hello(): LearnerSnapshot & { t: "hello"; learner: string; name: string } {
    const results = this.results.get(this.shared.step);
    return { t: "hello", learner: this.membership.learner, name: this.membership.name, step: this.shared.step, done: [...this.shared.done], ...(results ? { results } : {}) };
  }

  private connect(): void {
    if (this.closed) return;
    this.setStatus("connecting");
    const socket = new WebSocket(this.endpoint, { handshakeTimeout: 5000, perMessageDeflate: false });
    this.socket = socket;
    socket.on("open", () => socket.send(JSON.stringify(this.hello())));
    socket.on("message", (data) => {
      let message: RoomMessage;
      try {
        message = JSON.parse(data.toString()) as RoomMessage;
      } catch {
        return;
      }
      if (message.t === "welcome") {
        this.attempts = 0;
        this.setStatus("connected");
        for (const queued of this.pending.splice(0)) socket.send(JSON.stringify(queued));
      } else if (message.t === "refused") {
        // Shown in the learner's terminal: a room is a stranger too.
        this.refusal = sanitiseLine(String(message.why));
      }
    });
    socket.on("unexpected-response", (_request, response) => {
      const why: Record<number, string> = { 401: "the room's code is not this room's (the room was started anew?)", 503: "the room is full", 404: "this is not a room's address" };
      this.refusal = why[response.statusCode ?? 0] ?? `the room answered HTTP ${response.statusCode}`;
      socket.terminate();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (this.socket !== socket) return;
      if (this.refusal) return this.setStatus("refused");
      this.setStatus("offline");
      if (this.options.reconnect && !this.closed) {
        // 0.5 s, 1 s, 2 s... up to the maximum: a room that is down is not hammered.
        const delay = Math.min(500 * 2 ** this.attempts++, this.options.maxBackoffMs ?? 10_000);
        this.retry = setTimeout(() => this.connect(), delay);
        this.retry.unref();
      }
    });
  }

  private setStatus(status: LinkStatus): void {
    this.status = status;
    for (const listener of this.listeners) listener();
  }
}

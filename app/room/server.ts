/**
 * The room's server: HTTP on the local network, with one WebSocket (the `ws` library) per
 * learner's app or `workshop check`. The URL carries the room's code; a request without it is
 * refused before any WebSocket exists. A connection must say hello first, then may send the
 * protocol's messages, at a bounded rate; anything else closes it. Nothing a learner sends is
 * run or stored but the fields the protocol knows.
 *
 *   GET  /r/CODE/state     the room as JSON (`workshop room --status URL --json`)
 *   WS   /r/CODE/learner   a learner's messages
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { networkInterfaces } from "node:os";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { MAX_MESSAGE_BYTES, parseLearnerMessage, type RoomMessage } from "./protocol.js";
import { MAX_LEARNERS, type RoomState } from "./state.js";
import { statusReport } from "./view.js";

/** A new room's code: 128 random bits, as URL-safe text. */
export function newRoomCode(): string {
  return randomBytes(16).toString("base64url");
}

export interface RateLimit {
  /** Messages a connection may send at once... */
  burst: number;
  /** ...and how many a second after that. */
  perSecond: number;
  /** Messages over the limit a connection may send before it is closed. */
  dropsBeforeClose: number;
}

// A burst holds a `workshop check all` that waited for its connection: a hello and up to 32 queued.
export const DEFAULT_RATE: RateLimit = { burst: 40, perSecond: 5, dropsBeforeClose: 100 };

export interface RoomServerOptions {
  state: RoomState;
  code: string;
  /** 0: any free port. */
  port: number;
  /** Where to listen: every interface by default (the room is on the local network). */
  host?: string;
  rate?: RateLimit;
  /** How long a connection may stay silent before its hello, and between pings. */
  helloTimeoutMs?: number;
  pingIntervalMs?: number;
}

/** Policy violation and message too big, as RFC 6455 numbers them. */
const POLICY = 1008;

export class RoomServer {
  /** Connections refused or closed for what they sent, by reason: for the tests and the log. */
  readonly refusals = new Map<string, number>();
  private readonly codeDigest: Buffer;
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  private readonly pinger: NodeJS.Timeout;

  private constructor(
    private readonly http: Server,
    private readonly options: RoomServerOptions,
    readonly port: number,
  ) {
    this.codeDigest = digest(options.code);
    const alive = new WeakSet<WebSocket>();
    this.sockets.on("connection", (socket: WebSocket) => {
      alive.add(socket);
      socket.on("pong", () => alive.add(socket));
      this.serve(socket);
    });
    // A learner whose network went away is noticed at the next ping, not at the next TCP timeout.
    this.pinger = setInterval(() => {
      for (const socket of this.sockets.clients) {
        if (!alive.delete(socket)) socket.terminate();
        else socket.ping();
      }
    }, options.pingIntervalMs ?? 30_000);
    this.pinger.unref();
  }

  static async start(options: RoomServerOptions): Promise<RoomServer> {
    const http = createServer();
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
    });
    const address = http.address();
    const server = new RoomServer(http, options, typeof address === "object" && address ? address.port : options.port);
    http.on("request", (request, response) => {
      const route = server.route(request.url);
      if (route === "state" && request.method === "GET") {
        response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
        response.end(JSON.stringify(statusReport(options.state, Date.now())));
      } else {
        if (route === "denied") server.refuse("wrong code");
        response.writeHead(route === "denied" ? 401 : 404).end();
      }
    });
    http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const route = server.route(request.url);
      if (route !== "learner") {
        if (route === "denied") server.refuse("wrong code");
        socket.end(`HTTP/1.1 ${route === "denied" ? "401 Unauthorized" : "404 Not Found"}\r\nconnection: close\r\n\r\n`);
        return;
      }
      if (server.sockets.clients.size >= 2 * MAX_LEARNERS) {
        server.refuse("too many connections");
        socket.end("HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n");
        return;
      }
      server.sockets.handleUpgrade(request, socket, head, (ws) => server.sockets.emit("connection", ws, request));
    });
    return server;
  }

  /** The URLs learners can reach: one per IPv4 address of this machine (loopback when listening there). */
  joinUrls(): string[] {
    const host = this.options.host;
    const addresses =
      host && host !== "0.0.0.0"
        ? [host]
        : Object.values(networkInterfaces())
            .flat()
            .filter((a) => a && a.family === "IPv4" && !a.internal)
            .map((a) => a!.address);
    return (addresses.length ? addresses : ["127.0.0.1"]).map((a) => `http://${a}:${this.port}/r/${this.options.code}`);
  }

  async stop(): Promise<void> {
    clearInterval(this.pinger);
    for (const socket of this.sockets.clients) socket.terminate();
    this.sockets.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Which endpoint a URL names, once its code is compared in constant time. */
  private route(url: string | undefined): "state" | "learner" | "denied" | "unknown" {
    const match = /^\/r\/([^/?#]*)\/(state|learner)(?:\?.*)?$/.exec(url ?? "");
    if (!match) return "unknown";
    return timingSafeEqual(digest(match[1]!), this.codeDigest) ? (match[2] as "state" | "learner") : "denied";
  }

  private refuse(why: string): void {
    this.refusals.set(why, (this.refusals.get(why) ?? 0) + 1);
  }

  private serve(socket: WebSocket): void {
    const { state } = this.options;
    const rate = this.options.rate ?? DEFAULT_RATE;
    let learner: string | undefined;
    let tokens = rate.burst;
    let refilled = performance.now();
    let drops = 0;
    // Counted by kind (the detail is the sender's own doing, and would grow the map); told in full.
    const close = (kind: string, detail?: string) => {
      this.refuse(kind);
      const why = detail ? `${kind}: ${detail}` : kind;
      send(socket, { t: "refused", why });
      socket.close(POLICY, kind);
    };
    const silent = setTimeout(() => close("no hello"), this.options.helloTimeoutMs ?? 10_000);
    socket.on("message", (data: RawData, binary: boolean) => {
      if (socket.readyState !== socket.OPEN) return;
      const now = performance.now();
      tokens = Math.min(rate.burst, tokens + ((now - refilled) / 1000) * rate.perSecond);
      refilled = now;
      if (tokens < 1) {
        this.refuse("too many messages");
        if (++drops > rate.dropsBeforeClose) close("too many messages");
        return;
      }
      tokens--;
      let message;
      try {
        if (binary) throw new Error("a message is text");
        message = parseLearnerMessage(data.toString());
      } catch (error) {
        return close("malformed message", (error as Error).message);
      }
      if (learner === undefined) {
        if (message.t !== "hello") return close("hello first");
        if (!state.apply(message.learner, message)) return close("the room is full");
        clearTimeout(silent);
        learner = message.learner;
        state.connection(learner, 1);
        send(socket, { t: "welcome" });
        return;
      }
      if (message.t === "hello" && message.learner !== learner) return close("one learner per connection");
      state.apply(learner, message);
    });
    socket.on("error", () => socket.terminate());
    socket.on("close", () => {
      clearTimeout(silent);
      if (learner !== undefined) state.connection(learner, -1);
    });
  }
}

function send(socket: WebSocket, message: RoomMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/** Digests have one length whatever was typed, so the comparison's time tells nothing. */
function digest(code: string): Buffer {
  return createHash("sha256").update(code).digest();
}

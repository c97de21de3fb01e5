/**
 * Machines without a network, or with a broken one, made of sandboxes (their own network and
 * mount namespaces): nothing here sends a packet beyond the sandbox, and no DNS query reaches a
 * real resolver.
 *
 * - without a network: the sandbox as it is, only `lo`; the machine's resolv.conf names a server
 *   no route leads to, so a lookup fails at once;
 * - a network: the default route through a veth pair whose other end is in the sandbox too, with
 *   no address (what is sent that way goes nowhere);
 * - its resolver: /etc/resolv.conf, bound over in the sandbox's mount namespace, names 127.0.0.1,
 *   where either nothing listens (no DNS server answers) or a small server answers every query
 *   NXDOMAIN (the name does not exist);
 * - without /bin/busybox: an overlay over /usr/bin whose top layer whites busybox out; or one
 *   that is not static: a dynamically linked program bound over it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collect, CONTAINER, type Result, type Workspace } from "../helpers/container.js";

export interface OfflineMachine {
  network?: boolean; // a default route (into a veth pair that leads nowhere)
  dns?: "none" | "nxdomain"; // resolv.conf names 127.0.0.1: nothing there, or a server that knows no name
  busybox?: "missing" | "dynamic";
}

/**
 * Answers every query with NXDOMAIN on 127.0.0.1:53 (UDP, as the libc resolver asks), then runs
 * its arguments as a command and exits with its status.
 */
const NXDOMAIN_SERVER = `
const dgram = require("node:dgram");
const { spawn } = require("node:child_process");
const server = dgram.createSocket("udp4");
server.on("message", (query, peer) => {
  if (query.length < 12) return;
  const reply = Buffer.from(query);
  reply[2] = 0x80 | (query[2] & 0x79); // a response, same opcode, recursion desired as asked
  reply[3] = 0x80 | 3; // recursion available, NXDOMAIN
  reply.writeUInt16BE(0, 6); // no answers
  reply.writeUInt16BE(0, 8); // no authority records
  server.send(reply, peer.port, peer.address);
});
server.bind(53, "127.0.0.1", () => {
  const [command, ...args] = process.argv.slice(1);
  const child = spawn(command, args, { stdio: "inherit" });
  child.on("exit", (status, signal) => {
    server.close();
    process.exit(status ?? 128 + require("node:os").constants.signals[signal]);
  });
});`;

/** `container ARGS...` on such a machine, with the workspace's store. */
export function runOn(ws: Workspace, machine: OfflineMachine, args: string[]): Promise<Result> {
  const scratch = mkdtempSync(join(tmpdir(), "workshop-offline-"));
  const setup: string[] = [];
  if (machine.network) {
    setup.push(
      "ip link add net0 type veth peer name net1",
      "ip addr add 10.99.0.2/24 dev net0",
      "ip link set net0 up",
      "ip link set net1 up",
      "ip route add default via 10.99.0.1",
    );
  }
  if (machine.dns) {
    writeFileSync(join(scratch, "resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    setup.push(`mount --bind ${join(scratch, "resolv.conf")} /etc/resolv.conf`);
  }
  if (machine.busybox === "missing") {
    const whiteouts = join(scratch, "whiteouts");
    mkdirSync(whiteouts);
    execFileSync("mknod", [join(whiteouts, "busybox"), "c", "0", "0"]);
    setup.push(`mount -t overlay no-busybox -o lowerdir=${whiteouts}:/usr/bin /usr/bin`);
  }
  if (machine.busybox === "dynamic") setup.push("mount --bind /usr/bin/true /usr/bin/busybox");
  const node = process.execPath;
  const command = machine.dns === "nxdomain" ? [node, "-e", NXDOMAIN_SERVER, node, CONTAINER] : [node, CONTAINER];
  const script = `set -e; ${setup.join("; ")}${setup.length ? "; " : ""}exec "$@"`;
  return collect(ws.spawn("sh", ["-c", script, "sh", ...command, ...args])).finally(() => rmSync(scratch, { recursive: true, force: true }));
}

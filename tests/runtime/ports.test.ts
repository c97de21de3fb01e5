// `container run -p` end to end with the reference implementation, in a sandbox standing in for
// the host (its own network namespace: its nat table and addresses are the sandbox's).
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
/** A file in the workspace for a script's server to write to (the sandbox shares the machine's files). */
const out = () => join(ws.root, `out-${Math.random().toString(36).slice(2)}`);
beforeAll(() => ws.pull());
beforeEach((ctx) => requireRoot(ctx));
afterEach(() => expect(ws.leftovers()).toEqual([]));
afterAll(() => ws.cleanUp());

/** The FIFO the servers read, held open for writing on fd 3; and $OUT, there before the server writes to it. */
const HOLD = 'mkfifo "$OUT.fifo" && exec 3<>"$OUT.fifo" && : >"$OUT"';

/**
 * In the background, a server container on port 80 answering with its hostname, with `publish`
 * (-p options); it writes "ready" to $OUT once it listens, runs `then`, and ends when the script
 * closes its fd 3 (the only writer of the FIFO that is the server's stdin). $server is the pid of
 * its `container run`.
 */
const server = (hostname: string, publish: string, then = "") =>
  [
    `$CONTAINER run --hostname ${hostname} ${publish} $IMAGE sh -c 'nc -ll -p 80 -e hostname & until netstat -ltn | grep -q ":80 "; do sleep 0.05; done; echo ready; ${then} read -r _' <"$OUT.fifo" >"$OUT" 3>&- &`,
    "server=$!",
    // Given up on if the server ends first: what it said is then the test's failure.
    'until grep -q ready "$OUT"; do kill -0 $server 2>/dev/null || { cat "$OUT" >&2; exit 1; }; sleep 0.05; done',
  ].join("\n");

describe("container run -p", () => {
  it("answers on each of the host's addresses, from the host, another container and the container itself; not on 127.0.0.1", async () => {
    const script = [
      // A second address of the host, as on its network card.
      "set -e; ip link add lan0 type veth peer name lan1; ip addr add 198.51.100.1/24 dev lan0; ip link set lan0 up; set +e",
      HOLD,
      server("web", "-p 8080:80", "echo hairpin=$(nc -w 5 198.51.100.1 8080 </dev/null);"),
      'echo "host-lan=$(busybox nc -w 5 198.51.100.1 8080 </dev/null)"',
      'echo "host-bridge=$(busybox nc -w 5 10.229.0.1 8080 </dev/null)"',
      'echo "localhost=$(busybox nc -w 5 127.0.0.1 8080 </dev/null 2>&1)"',
      "$CONTAINER run $IMAGE sh -c 'echo \"container=$(nc -w 5 198.51.100.1 8080 </dev/null)\"'",
      "until grep -q hairpin \"$OUT\"; do sleep 0.05; done; cat \"$OUT\"",
      "exec 3>&-; wait",
    ].join("\n");
    const result = await ws.script(script, { env: { IMAGE: ws.image, OUT: out() }, timeout: 90_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n").sort().join("\n")).toBe(
      ["", "container=web", "hairpin=web", "host-bridge=web", "host-lan=web", "localhost=nc: can't connect to remote host (127.0.0.1): Connection refused", "ready"].join("\n"),
    );
  }, 120_000);

  it("refuses a host port another container publishes, naming it; that container goes on, and the port is free once it exits", async () => {
    const script = [
      HOLD,
      server("first", "-p 8080:80"),
      "first=$($CONTAINER ps | awk '/ first / { print $1 }')",
      'said=$($CONTAINER run -p 9090:90 -p 8080:81 $IMAGE true 2>&1); status=$?',
      'echo "$said" | sed "s/$first/FIRST/"; echo "status=$status"',
      'echo "still=$(busybox nc -w 5 10.229.0.1 8080 </dev/null)"',
      // The first container ends when our stdin closes: the port is published again, by another.
      "exec 3>&-; wait",
      "$CONTAINER run -p 8080:80 -p 9090:90 $IMAGE true && echo free-again",
    ].join("\n");
    const result = await ws.script(script, { env: { IMAGE: ws.image, OUT: out() }, timeout: 90_000 });
    expect(result.stdout).toBe(
      [
        "container: host port 8080/tcp is already published by container FIRST",
        "  publish another host port, or stop that container first",
        "status=125",
        "still=first",
        "free-again",
        "",
      ].join("\n"),
    );
  }, 120_000);

  it("removes the rules when the container exits; after a killed run, prune removes what it left, and the port is free again", async () => {
    const rules = "iptables -t nat -S | grep -c container-workshop";
    const script = [
      HOLD,
      server("killed", "-p 8080:80 -p 5353:53/udp"),
      `echo "while-running=$(${rules})"`,
      // The CLI killed outright: its container goes with it, its rules and claims stay behind.
      "kill -KILL $server; wait",
      `echo "after-kill=$(${rules})"`,
      "$CONTAINER prune >/dev/null",
      `echo "after-prune=$(${rules})"`,
      // The port is free again.
      "$CONTAINER run -p 8080:80 $IMAGE true && echo ran",
      `echo "after-exit=$(${rules})"`,
    ].join("\n");
    const result = await ws.script(script, { env: { IMAGE: ws.image, OUT: out() }, timeout: 90_000 });
    expect(result.stdout).toBe("while-running=6\nafter-kill=6\nafter-prune=0\nran\nafter-exit=0\n");
  }, 120_000);
});

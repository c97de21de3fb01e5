// Step 6 end to end. The sandbox's network namespace plays the host: the bridge, NAT rule and
// veths are made there, and all traffic stays inside it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { containerResolvConf } from "../../solutions/network.js";
import { Workspace } from "../helpers/container.js";
import { requireProgram, requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
beforeAll(() => ws.pull());
beforeEach((ctx) => {
  requireRoot(ctx);
  requireProgram(ctx, "ip", "iproute2");
  requireProgram(ctx, "iptables", "iptables");
});
afterEach(() => expect(ws.leftovers()).toEqual([]));
afterAll(() => ws.cleanUp());

describe("bridge networking", () => {
  it("gives the container eth0 with an address, a default route via the bridge, and the gateway answers ping", async () => {
    const result = await ws.run(["run", ws.image, "sh", "-c", "ip -o -4 addr show; ip route; ping -c 1 -W 2 10.229.0.1 >/dev/null && echo ping-ok"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^\d+: lo\s+inet 127\.0\.0\.1\/8/m);
    expect(result.stdout).toMatch(/^\d+: eth0\s+inet 10\.229\.0\.\d+\/24/m);
    expect(result.stdout).toMatch(/^default via 10\.229\.0\.1 dev eth0/m);
    expect(result.stdout).toMatch(/^ping-ok$/m);
  });

  it("finds ip and iptables in /usr/sbin when PATH lacks it (a root shell from su without -)", async () => {
    const result = await ws.run(["run", ws.image, "sh", "-c", "ip -o -4 addr show eth0 | wc -l"], { env: { PATH: "/usr/bin:/bin" } });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("1\n");
  });

  it("sets up the host side: bridge, forwarding and NAT, and removes the container's veth afterwards", async () => {
    const result = await ws.script(
      `$CONTAINER run ${ws.image} true; ip -o link show | awk -F': ' '{print $2}'; cat /proc/sys/net/ipv4/ip_forward; iptables -t nat -S POSTROUTING | grep MASQUERADE`,
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("lo\ncw0\n1\n-A POSTROUTING -s 10.229.0.0/24 ! -o cw0 -j MASQUERADE\n");
  });

  it("gives containers running at the same time different addresses, and they reach each other", async () => {
    const result = await ws.script(
      [
        // The two runs' output goes to files in the store root, which the workspace removes.
        `out=${ws.root}/two-at-once`,
        `$CONTAINER run --hostname a ${ws.image} sh -c 'ip -o -4 addr show eth0; sleep 2' > $out.a &`,
        `$CONTAINER run --hostname b ${ws.image} sh -c 'ip -o -4 addr show eth0; sleep 2' > $out.b &`,
        "sleep 1",
        `$CONTAINER run ${ws.image} sh -c "ping -c 1 -W 2 $(awk '{print $4}' $out.a | cut -d/ -f1) >/dev/null && echo a-reachable"`,
        "wait; cat $out.a $out.b",
      ].join("\n"),
      { timeout: 30_000 },
    );
    const addresses = [...result.stdout.matchAll(/inet (10\.229\.0\.\d+)\/24/g)].map((m) => m[1]);
    expect(addresses).toHaveLength(2);
    expect(new Set(addresses).size).toBe(2);
    expect(result.stdout).toMatch(/^a-reachable$/m);
  });

  it("with --net none has only a loopback interface, up", async () => {
    const result = await ws.run(["run", "--net", "none", ws.image, "sh", "-c", "ip -o link show | awk -F': ' '{print $2}'; ping -c 1 -W 1 127.0.0.1 >/dev/null && echo lo-ok"]);
    expect(result.stdout).toBe("lo\nlo-ok\n");
  });

  it("refuses a subnet that overlaps a route the host already has", async () => {
    const result = await ws.script(`ip link add other0 type veth peer name other1 && ip addr add 10.229.0.1/16 dev other0 && ip link set other0 up && $CONTAINER run ${ws.image} true`);
    expect(result.status).toBe(125);
    expect(result.stderr).toBe(
      "container: the container subnet 10.229.0.0/24 overlaps the host's route to 10.229.0.0/16 on other0\n  choose another subnet with --subnet or CONTAINER_SUBNET, e.g. 10.230.0.0/24\n",
    );
  });

  it("writes /etc/hosts and a resolv.conf the container can use", async () => {
    const result = await ws.run(["run", "--hostname", "web", ws.image, "sh", "-c", "cat /etc/hosts /etc/resolv.conf"]);
    expect(result.stdout).toMatch(/^10\.229\.0\.\d+\tweb$/m);
    expect(result.stdout).toMatch(/^nameserver \S+$/m);
    expect(result.stdout).not.toMatch(/nameserver 127\./);
  });
});

describe("the container's resolv.conf", () => {
  it("keeps the host's nameservers, search and options when they are reachable from a container", () => {
    expect(containerResolvConf("nameserver 192.0.2.53\nsearch example.org\noptions ndots:2\n", undefined)).toBe(
      "nameserver 192.0.2.53\nsearch example.org\noptions ndots:2\n",
    );
  });

  it("replaces systemd-resolved's 127.0.0.53 stub with the upstream servers", () => {
    expect(containerResolvConf("nameserver 127.0.0.53\nsearch lan\n", "nameserver 192.0.2.1\nnameserver 192.0.2.2\n")).toBe(
      "nameserver 192.0.2.1\nnameserver 192.0.2.2\nsearch lan\n",
    );
  });

  it("falls back to public resolvers when only loopback servers are known", () => {
    expect(containerResolvConf("nameserver 127.0.0.1\n", undefined)).toBe("nameserver 8.8.8.8\nnameserver 1.1.1.1\n");
  });
});

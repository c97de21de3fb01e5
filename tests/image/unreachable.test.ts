// How the routing table says "no network". The CLI on machines without one: the network rows
// of docs/bad-input.md.
import { describe, expect, test } from "vitest";
import { defaultRouteIn } from "../../app/image/network-failure.js";

describe("a default route, read from the kernel's tables", () => {
  const IPV4_HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

  test("an IPv4 default route that is up counts", () => {
    const table = `${IPV4_HEADER}\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`;
    expect(defaultRouteIn(table, "ipv4")).toBe(true);
  });

  test("routes to a subnet alone do not, nor does the header", () => {
    expect(defaultRouteIn(`${IPV4_HEADER}\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`, "ipv4")).toBe(false);
    expect(defaultRouteIn(`${IPV4_HEADER}\n`, "ipv4")).toBe(false);
  });

  test("the unreachable IPv6 default that lo keeps in a namespace without a network does not", () => {
    const lo = [
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo",
      "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo",
    ].join("\n");
    expect(defaultRouteIn(lo, "ipv6")).toBe(false);
    const gateway = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0";
    expect(defaultRouteIn(`${lo}\n${gateway}\n`, "ipv6")).toBe(true);
  });
});

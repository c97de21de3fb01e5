// Step 6: networking — docs/06-network.md
//
// The host gets a bridge (like docker0) with NAT to the outside; each container gets a veth pair,
// one end on the bridge, the other as eth0 in its network namespace. The addresses and names
// are chosen for you and arrive in `net`.
import type { BridgeNetwork } from "#contract";
import { todo } from "#given";

/** On the host: create the bridge with the gateway address, turn on forwarding, add NAT — unless the bridge exists. (Task 1) */
export function setupBridge(net: BridgeNetwork): void {
  todo("setupBridge");
}

/** On the host: create the veth pair, the container's end inside the network namespace of `pid`, the host's on the bridge. (Task 2) */
export function connectContainer(pid: number, net: BridgeNetwork): void {
  todo("connectContainer");
}

/** In the init process: bring lo up and, with `net`, give the container's end its address and a default route. (Task 3) */
export function configureContainerNetwork(net: BridgeNetwork | undefined): void {
  todo("configureContainerNetwork");
}

/** On the host, after the container exited: delete the host's end of the veth pair if it is still there. (Task 4) */
export function disconnectContainer(net: BridgeNetwork): void {
  todo("disconnectContainer");
}

/** The container's /etc/resolv.conf: the host's nameservers that work from a container. (Task 5) */
export function containerResolvConf(hostResolvConf: string, upstreamResolvConf: string | undefined): string {
  return todo("containerResolvConf");
}

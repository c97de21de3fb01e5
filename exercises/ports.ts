// Bonus step: published ports — docs/bonus-ports.md
//
// `container run -p 8080:80` makes port 8080 on the host's addresses lead to port 80 in the
// container. Both functions run on the host, in `container run`, with iptables' nat table.
import type { BridgeNetwork, PublishedPort } from "#contract";
import { todo } from "#given";

/**
 * Add the nat rules that send `port.hostPort` on the host's addresses to `port.containerPort` at
 * the container's address: from outside (PREROUTING), from the host itself (OUTPUT), and, with a
 * MASQUERADE in POSTROUTING, from other containers and from the container itself. Every rule
 * carries the comment `owner`. (Task 1)
 */
export function publishPort(port: PublishedPort, net: BridgeNetwork, owner: string): void {
  todo("publishPort");
}

/** Remove the rules publishPort() added for `port`. (Task 2) */
export function unpublishPort(port: PublishedPort, net: BridgeNetwork, owner: string): void {
  todo("unpublishPort");
}

// The ranges of user and group ids that --userns gives containers, one each, so that two running
// containers never share their root on the host. Like addresses, they belong to the host (every
// store's containers use them), beside it in the run directory, one file per range taken.
import { join } from "node:path";
import { UserError } from "../errors.js";
import type { IdRange } from "./contract.js";
import { hostRunDir, ownerRecord, releaseClaim } from "./host-network.js";
import { ClaimPool } from "./ipam.js";

/**
 * 1024 ranges of 65536 ids from 2,000,000,000: clear of what useradd writes to /etc/subuid (from
 * 100000 up, 65536 a user) and of systemd-nspawn's own pick (524288 to 1879048191), below 2^31.
 */
export const ID_RANGES = { first: 2_000_000_000, size: 65536, count: 1024 } as const;

export function idRangePool(): ClaimPool {
  return new ClaimPool(join(hostRunDir(), "userns"));
}

/** Takes a free range for container `id` of the store at `root`. */
export function allocateIdRange(root: string, id: string): IdRange {
  const slot = idRangePool().claim(ownerRecord(root, id), slots());
  if (slot === undefined) throw new UserError(`all ${ID_RANGES.count} id ranges for --userns are taken`, "stop some containers, or run `container prune`");
  return { start: ID_RANGES.first + Number(slot) * ID_RANGES.size, size: ID_RANGES.size };
}

/** Gives a container's range back, if a container of the store at `root` holds it. */
export function releaseIdRange(root: string, range: IdRange): void {
  releaseClaim(idRangePool(), String((range.start - ID_RANGES.first) / ID_RANGES.size), root);
}

function* slots(): Generator<string> {
  for (let n = 0; n < ID_RANGES.count; n++) yield String(n);
}

/**
 * The course's image without a network. Every "try it" runs Docker Hub's `busybox`; when its
 * registry cannot be reached at all, the image is built from this machine's static busybox (the
 * one the checks' workshop/busybox is made of) and filed under the name asked for, marked as
 * built here (the ref's `builtFrom`, which `container images` shows, and a label in its config).
 *
 * Only that one name, and only an image the store has not got from elsewhere: a busybox pulled
 * or imported before is never replaced by a build, and any other image gets the network error.
 */
import { rmSync } from "node:fs";
import { UserError } from "../errors.js";
import { buildBusyboxLayout, busyboxProblem, HOST_BUSYBOX, INSTALL_BUSYBOX } from "./busybox-image.js";
import { importImages, type ImportContext } from "./import.js";
import type { RegistryUnreachable } from "./network-failure.js";

/** `busybox` and `busybox:latest`, as the store files them. */
export const OFFLINE_BUSYBOX = "docker.io/library/busybox:latest";

/** What a ref built here says it was built from. */
export const BUILT_FROM = `${HOST_BUSYBOX} (busybox-static)`;

const DESCRIPTION = `busybox built by container-workshop from ${HOST_BUSYBOX} (Debian's busybox-static) on a machine that could not reach Docker Hub; not Docker Hub's busybox image`;

/**
 * Builds busybox:latest instead of pulling it, and tells `notice` so in one line; for any other
 * ref, or when the store holds a busybox:latest that was not built here, throws `error`.
 */
export async function buildBusyboxOffline(
  ref: string,
  error: RegistryUnreachable,
  context: ImportContext,
  { signal, notice }: { signal?: AbortSignal; notice: (line: string) => void },
): Promise<{ ref: string; digest: string }> {
  const existing = context.refs.entry(ref);
  if (ref !== OFFLINE_BUSYBOX || (existing && existing.builtFrom === undefined)) throw error;
  const problem = busyboxProblem(HOST_BUSYBOX);
  if (problem) {
    throw new UserError(
      `${error.message}, and busybox:latest cannot be built here instead: ${problem}`,
      `${INSTALL_BUSYBOX}, or bring the image as a file (\`docker save busybox\` on a machine with a network, then \`container import\`)`,
    );
  }
  const layout = context.layout.scratch("busybox-layout");
  try {
    await buildBusyboxLayout(layout, { config: { Labels: { "org.opencontainers.image.description": DESCRIPTION } } });
    signal?.throwIfAborted();
    const [built] = await importImages(layout, context, { tag: ref, builtFrom: BUILT_FROM });
    const reason = error.why === "no network" ? "no network" : `cannot reach Docker Hub (${error.why})`;
    notice(`${reason}: busybox:latest was built from this machine's ${BUILT_FROM} instead of pulled`);
    return built!;
  } finally {
    rmSync(layout, { recursive: true, force: true });
  }
}

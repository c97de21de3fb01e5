/** Where the container store (images, containers, addresses) is, for `container` and the checks alike. */

/** Unless --root or CONTAINER_ROOT says otherwise; the devcontainer keeps it in a volume. */
export const DEFAULT_ROOT = "/var/lib/container-workshop";

/** The store root: the --root given, else CONTAINER_ROOT, else the default. */
export function chosenStoreRoot(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return option ?? env.CONTAINER_ROOT ?? DEFAULT_ROOT;
}

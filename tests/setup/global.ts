/**
 * Vitest globalSetup: one docker-registry on loopback for the whole run, with the busybox test
 * image pushed to it. Tests read the address with `inject`:
 *
 *   import { inject } from "vitest";
 *   const image = inject("busyboxRef");            // "127.0.0.1:PORT/workshop/busybox:latest"
 *   const host = inject("registryHost");           // "127.0.0.1:PORT"
 *   await new ImageStore(root).pull(image);
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildBusyboxLayout } from "../../app/image/busybox-image.js";
import { pushLayout, startRegistry } from "../helpers/registry.js";

declare module "vitest" {
  export interface ProvidedContext {
    registryHost: string;
    busyboxRef: string;
  }
}

const BUSYBOX_REPOSITORY = "workshop/busybox";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const registry = await startRegistry();
  const layout = await mkdtemp(join(tmpdir(), "workshop-busybox-layout-"));
  try {
    await buildBusyboxLayout(layout);
    await pushLayout(layout, registry.host, `${BUSYBOX_REPOSITORY}:latest`);
  } catch (error) {
    await registry.stop();
    throw error;
  } finally {
    await rm(layout, { recursive: true, force: true });
  }
  project.provide("registryHost", registry.host);
  project.provide("busyboxRef", `${registry.host}/${BUSYBOX_REPOSITORY}:latest`);
  return () => registry.stop();
}

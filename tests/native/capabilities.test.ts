import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { capabilityMask, DOCKER_DEFAULT_CAPABILITIES } from "#native";
import { runScript } from "../helpers/node-script.js";
import { requireRoot } from "../helpers/requirements.js";

const status = (sets: { inh: string; prm: string; eff: string; bnd: string }, nnp: number) =>
  [`CapInh:\t${sets.inh}`, `CapPrm:\t${sets.prm}`, `CapEff:\t${sets.eff}`, `CapBnd:\t${sets.bnd}`, "CapAmb:\t0000000000000000", `NoNewPrivs:\t${nnp}`].join("\n");

async function keepOnly(which: string) {
  const result = await runScript(join(import.meta.dirname, "scripts", "capabilities.ts"), [which]);
  expect(result.stderr).toBe("");
  const [report, ...afterExec] = result.stdout.trim().split("\n");
  return { ...JSON.parse(report!), afterExec: afterExec.join("\n") };
}

describe("capabilities and no_new_privs, in a child process", () => {
  it("Docker's default set is the mask every `docker run` shows", () => {
    expect(capabilityMask(DOCKER_DEFAULT_CAPABILITIES)).toBe(0xa80425fbn);
  });

  it("keeps Docker's default set: no CAP_SYS_ADMIN (no new namespace), nothing inheritable or ambient, and root keeps the set across execve", async (ctx) => {
    requireRoot(ctx);
    const docker = "00000000a80425fb";
    const result = await keepOnly("docker");
    expect(result.capget).toEqual(["a80425fb", "a80425fb", "0"]);
    expect(result.status).toBe(status({ inh: "0000000000000000", prm: docker, eff: docker, bnd: docker }, 1));
    expect(result.unshareUts).toBe("EPERM");
    expect([result.nnpBefore, result.nnpAfter]).toEqual([false, true]);
    expect(result.afterExec).toBe(status({ inh: "0000000000000000", prm: docker, eff: docker, bnd: docker }, 1));
  });

  it("drops CAP_SETPCAP itself last: the bounding set is emptied while it still may be", async (ctx) => {
    requireRoot(ctx);
    const result = await keepOnly("CAP_CHOWN");
    const chown = "0000000000000001";
    expect(result.afterExec).toBe(status({ inh: "0000000000000000", prm: chown, eff: chown, bnd: chown }, 1));
  });
});

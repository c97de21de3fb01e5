// The devcontainer cannot be built here (no Docker engine); what can be checked is checked:
// the files parse, they agree with each other, and every Debian package the Dockerfile installs exists.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO } from "../../app/build/repo.mjs";
import { requireProgram } from "../helpers/requirements.js";

const file = (name: string) => readFileSync(join(REPO, ".devcontainer", name), "utf8");

describe(".devcontainer", () => {
  it("has a devcontainer.json that is valid JSON: privileged, the store in a named volume, npm ci after create", () => {
    const config = JSON.parse(file("devcontainer.json"));
    expect(config.build.dockerfile).toBe("Dockerfile");
    expect(config.runArgs).toContain("--privileged");
    expect(config.mounts.join(" ")).toMatch(/type=volume/);
    expect(config.mounts.join(" ")).toMatch(/target=\/var\/lib\/container-workshop/);
    expect(config.postCreateCommand).toBe("npm ci");
  });

  it("has a compose.yaml with a privileged `shell` service built from the same Dockerfile", () => {
    const compose = parse(file("compose.yaml"));
    expect(compose.services.shell.build).toBe(".");
    expect(compose.services.shell.privileged).toBe(true);
    expect(Object.keys(compose.volumes)).toEqual(["container-workshop-store"]);
  });

  it("installs only Debian packages that exist", (ctx) => {
    requireProgram(ctx, "apt-cache", "apt");
    // The RUN instruction as one logical line, then the words between "install" and the next "&&".
    const run = file("Dockerfile").replace(/\\\n/g, " ");
    const install = /apt-get install ([^&]*)&&/.exec(run)?.[1] ?? "";
    const packages = install.split(/\s+/).filter((word) => /^[a-z0-9][a-z0-9.+-]+$/.test(word));
    expect(packages).toContain("busybox-static");
    // One apt-cache call for all (each costs most of a second): it prints a stanza per package it knows.
    const shown = spawnSync("apt-cache", ["show", "--no-all-versions", ...packages], { encoding: "utf8" }).stdout;
    const known = new Set([...shown.matchAll(/^Package: (\S+)$/gm)].map((m) => m[1]));
    expect(packages.filter((name) => !known.has(name))).toEqual([]);
  });
});

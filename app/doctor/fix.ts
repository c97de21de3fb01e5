/**
 * `workshop doctor --fix`: installs the packages of what the doctor found missing, with the
 * machine's package manager, after showing the command and asking. Asking the person and running
 * the commands are given (`FixIo`), so tests see both without installing anything.
 */
import { UserError } from "../errors.js";
import { blockers, formatFindings, resolveProbes, runDoctor, type DoctorOptions } from "./index.js";
import { findPackageManager, formatCommands, installCommands } from "./packages.js";

export interface FixIo {
  out: NodeJS.WritableStream;
  /** Asks a question on the terminal and resolves with the answer; undefined without a terminal. */
  ask: ((question: string) => Promise<string>) | undefined;
  /** Runs a command, its output the person's to see; resolves with its exit status (null: killed by a signal). */
  run(command: string[]): Promise<number | null>;
}

export interface FixOptions extends DoctorOptions {
  /** Install without asking: for scripts. */
  yes: boolean;
}

/** Returns the exit status: 0 once nothing blocks the workshop, 1 when something still does or the person said no. */
export async function fixMachine(options: FixOptions, io: FixIo): Promise<number> {
  const probe = await resolveProbes(options);
  const findings = await runDoctor({ probes: probe });
  io.out.write(formatFindings(findings));
  const manager = findPackageManager(probe.which);
  const packages = findings.flatMap((f) => (f.package ? [f.package] : []));
  if (!manager || packages.length === 0) {
    const wrong = findings.some((f) => f.severity === "fail" || f.severity === "warn");
    // Without a package manager the doctor names no package to install: say why.
    if (wrong && !manager) throw new UserError("cannot install anything: this machine has neither apt-get nor dnf", "install what the lines above name with its own package manager");
    io.out.write(wrong ? "\nNothing to install: no package fixes what the lines above report.\n" : "\nNothing to install.\n");
    return blockers(findings).length > 0 ? 1 : 0;
  }
  const commands = installCommands(manager, packages);
  const shown = formatCommands(commands);
  if (probe.uid !== 0) throw new UserError(`cannot run \`${shown}\`: installing packages needs root`, "run: sudo npx workshop doctor --fix");
  io.out.write(`\nTo install what is missing, the workshop runs:\n  ${shown}\n`);
  if (!options.yes) {
    if (!io.ask) throw new UserError("nothing was installed: there is no terminal to ask on", "run that yourself, or: npx workshop doctor --fix --yes");
    const answer = await io.ask("Run it? [y/N] ");
    if (!/^\s*y(es)?\s*$/i.test(answer)) {
      io.out.write("Nothing was installed.\n");
      return 1;
    }
  }
  for (const command of commands) {
    const status = await io.run(command).catch((error: Error) => {
      throw new UserError(`cannot run \`${command.join(" ")}\`: ${error.message}`, "run it yourself, then `npx workshop doctor` again");
    });
    if (status !== 0) {
      const how = status === null ? "was killed" : `exited with ${status}`;
      throw new UserError(`\`${command.join(" ")}\` ${how}: nothing more was installed`, "its output above says why; then run `npx workshop doctor --fix` again");
    }
  }
  io.out.write("\nThe machine now:\n");
  const after = await runDoctor({ probes: probe });
  io.out.write(formatFindings(after));
  return blockers(after).length > 0 ? 1 : 0;
}

// Bonus, the image's config: with no command the image's Cmd runs, after its Entrypoint; its Env
// applies (and -e overrides it); its WorkingDir is where the command starts.
import { CONFIG_IMAGES, ensureConfigImages } from "../check-image.js";
import { docFor, fail, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import { describeRun, keyValues, unexpectedExit } from "./common.js";

const task = (func: string) => docFor("image-config", func);

interface Seen {
  result: Result;
  values: Map<string, string>;
}

const ran = (result: Result): Seen => ({ result, values: keyValues(result.stdout) });

function precondition({ result }: Seen): Verdict | undefined {
  return unexpectedExit(result);
}

export const imageConfigChecks: StepChecks = {
  step: "image-config",
  prepare: ensureConfigImages,
  probes: [
    probe({
      // No command: the image's Cmd prints what it got.
      run: async (c) => ran(await c.container(["run", "--net", "none", "-e", "GREETING=override", CONFIG_IMAGES.cmd.ref])),
      checks: [
        {
          name: "cmd",
          title: "With no command, the image's Cmd runs",
          judge: (seen) => precondition(seen) ?? (/^cmd ran$/m.test(seen.result.stdout) ? pass() : fail(`the image's Cmd did not run (it prints "cmd ran"): ${describeRun(seen.result)} (${task("commandLine")})`)),
        },
        {
          name: "env",
          title: "The image's Env is applied, and -e overrides it",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const problems = [
              seen.values.get("from-image") === "yes" ? undefined : `FROM_IMAGE, set by the image, was "${seen.values.get("from-image") ?? ""}", expected "yes"`,
              seen.values.get("greeting") === "override" ? undefined : `GREETING was "${seen.values.get("greeting") ?? ""}"; expected "override", from -e, over the image's value`,
            ].filter(Boolean);
            return problems.length ? fail(`${problems.join("; ")} (${task("environment")})`) : pass();
          },
        },
        {
          name: "workdir",
          title: "The command starts in the image's WorkingDir",
          judge: (seen) => {
            const cwd = seen.values.get("cwd");
            return precondition(seen) ?? (cwd === CONFIG_IMAGES.cmd.config.WorkingDir ? pass() : fail(`the command started in "${cwd}"; expected the image's WorkingDir, ${CONFIG_IMAGES.cmd.config.WorkingDir} (${task("workingDir")})`));
          },
        },
      ],
    }),
    probe({
      run: async (c) => {
        const [plain, withArgs] = await Promise.all([
          c.container(["run", "--net", "none", CONFIG_IMAGES.entrypoint.ref]),
          c.container(["run", "--net", "none", CONFIG_IMAGES.entrypoint.ref, "one", "two"]),
        ]);
        return { plain, withArgs };
      },
      checks: [
        {
          name: "entrypoint",
          title: "The Entrypoint runs with the image's Cmd, or with the arguments given instead",
          judge: ({ plain, withArgs }) => {
            const got = (r: Result) => /^entrypoint got: (.*)$/m.exec(r.stdout)?.[1];
            if (got(plain) !== "from-cmd") return fail(`run with no command, the image printed ${JSON.stringify(got(plain) ?? plain.stdout.trim())} (${describeRun(plain)}); expected "entrypoint got: from-cmd": the Entrypoint, then the Cmd (${task("commandLine")})`);
            if (got(withArgs) !== "one two") return fail(`run with "one two", the image printed ${JSON.stringify(got(withArgs) ?? withArgs.stdout.trim())} (${describeRun(withArgs)}); expected "entrypoint got: one two": arguments replace the Cmd, never the Entrypoint (${task("commandLine")})`);
            return pass();
          },
        },
      ],
    }),
  ],
};

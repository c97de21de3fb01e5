// `workshop reset STEP`: puts the step's exercise module back as it is in git (HEAD), keeping
// the learner's version in .workshop/backup/ first.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { moduleFile } from "../course/steps.js";
import { UserError } from "../errors.js";
import { stepArgument, type Workspace } from "./workshop-args.js";

export function resetCommand(args: string[], { repo, out }: Workspace): number {
  const [stepId, ...extra] = args;
  const step = stepArgument(stepId, "reset STEP");
  if (extra.length) throw new UserError(`unexpected argument "${extra[0]}"`, "usage: workshop reset STEP", 2);
  const module = moduleFile(step);
  const path = `exercises/${module}`;
  const pristine = fromGit(repo, path);
  const file = join(repo, path);
  const mine = readFileSync(file);
  if (mine.equals(pristine)) {
    out.write(`${path} is already as it was.\n`);
    return 0;
  }
  const backup = join(repo, ".workshop", "backup", `${new Date().toISOString().replace(/[:.]/g, "-")}-${module}`);
  mkdirSync(join(repo, ".workshop", "backup"), { recursive: true });
  writeFileSync(backup, mine);
  writeFileSync(file, pristine);
  out.write(`${path} is back as it was; your version is in ${backup.slice(repo.length + 1)}\n`);
  return 0;
}

function fromGit(repo: string, path: string): Buffer {
  try {
    return execFileSync("git", ["show", `HEAD:${path}`], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const why = (error as { stderr?: Buffer }).stderr?.toString().trim().split("\n")[0] ?? String(error);
    throw new UserError(`cannot read the original ${path} from git: ${why}`, "reset needs the workshop's git checkout, with git installed");
  }
}

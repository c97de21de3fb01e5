// The `container` launcher, which the checks run as a learner would.
import { join } from "node:path";
import { REPO } from "../build/repo.mjs";

export const CONTAINER = join(REPO, "bin", "container");

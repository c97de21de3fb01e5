// The app, opened the way `workshop` (no arguments) is to open it, for part 4 while `workshop`
// does not yet:  node <bundle> COURSE IMPL ROOT
import { openApp } from "../app/tui/index.js";

const [repo, impl, root] = process.argv.slice(2);
if (!repo || !impl) throw new Error("usage: open-app COURSE IMPL [ROOT]");
process.exitCode = await openApp({ repo, impl, root });
